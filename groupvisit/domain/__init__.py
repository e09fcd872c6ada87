"""The session's rules: pure, synchronous, no I/O. Commands in, events out, state as their fold."""

from .errors import Refused
from .phases import Phase
from .roles import Actor, Role
from .rules import apply, decide, replay
from .state import SessionState

__all__ = ["Actor", "Phase", "Refused", "Role", "SessionState", "apply", "decide", "replay"]
