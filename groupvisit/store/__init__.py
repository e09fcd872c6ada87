"""Storage: the only package that talks to the database."""

from .attempts import HeldBack, Limit
from .devices import NewDevice
from .schema import SchemaError
from .staff import UsernameTaken
from .store import CommandKey, DuplicateCommand, SeqConflict, Stored, Store

__all__ = ["CommandKey", "DuplicateCommand", "HeldBack", "Limit", "NewDevice", "SchemaError", "SeqConflict",
           "Store", "Stored", "UsernameTaken"]
