"""After the visit: co-signing chart notes."""

from dataclasses import dataclass

from ..phases import Phase
from ..roles import CLINICIAN
from .base import Command


@dataclass(frozen=True)
class CosignChartNote(Command):
    """An attending co-signs the chart note of `participant_id`: once their one-on-one is completed, or the session
    closed. The one command a closed session still takes: the record is signed after the visit."""

    name = "cosign_chart_note"
    roles = CLINICIAN
    phases = frozenset(Phase)
    participant_id: str


@dataclass(frozen=True)
class WithdrawCosign(Command):
    """The attending who co-signed the chart note of `participant_id` takes their co-signature back (signed in
    error, or the note must be read again): it may then be co-signed anew."""

    name = "withdraw_cosign"
    roles = CLINICIAN
    phases = frozenset(Phase)
    participant_id: str
