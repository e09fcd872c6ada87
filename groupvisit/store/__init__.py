"""Storage: the only package that talks to the database."""

from .attempts import HeldBack, Limit
from .devices import NewDevice
from .program_forms import CohortFields, PatientFields, ProgramError
from .schema import SchemaError
from .staff import UsernameTaken
from .store import CommandKey, DuplicateCommand, SeqConflict, Stored, Store

__all__ = ["CohortFields", "CommandKey", "DuplicateCommand", "HeldBack", "Limit", "NewDevice", "PatientFields",
           "ProgramError", "SchemaError", "SeqConflict", "Store", "Stored", "UsernameTaken"]
