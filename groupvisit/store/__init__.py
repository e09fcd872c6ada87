"""Storage: the only package that talks to the database."""

from .store import SeqConflict, Stored, Store

__all__ = ["SeqConflict", "Store", "Stored"]
