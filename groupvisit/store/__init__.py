"""Storage: the only package that talks to the database."""

from .store import DuplicateCommand, SeqConflict, Stored, Store

__all__ = ["DuplicateCommand", "SeqConflict", "Store", "Stored"]
