"""Storage: the only package that talks to the database."""

from .schema import SchemaError
from .store import (CommandKey, DuplicateCommand, HeldBack, Limit, NewDevice, SeqConflict, Stored, Store,
                    UsernameTaken)

__all__ = ["CommandKey", "DuplicateCommand", "HeldBack", "Limit", "NewDevice", "SchemaError", "SeqConflict",
           "Store", "Stored", "UsernameTaken"]
