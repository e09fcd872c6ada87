"""Storage: the only package that talks to the database."""

from .store import DuplicateCommand, NewDevice, SeqConflict, Stored, Store, UsernameTaken

__all__ = ["DuplicateCommand", "NewDevice", "SeqConflict", "Store", "Stored", "UsernameTaken"]
