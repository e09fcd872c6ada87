"""Co-signing a patient's chart note: an attending vouches for a resident's record of the visit (and may take it
back, after which it may be co-signed again).

The note itself is a read model of the log (`groupvisit.outputs.chart_note`); the co-signature is a fact of the
visit like any other, so it goes through the log too, and is folded into `SessionState.cosigns`.
"""

from .commands import CosignChartNote, WithdrawCosign
from .errors import Refused, require
from .events import ChartNoteCosigned, CosignWithdrawn, Event
from .phases import Phase
from .roles import Actor
from .state import Cosign, SessionState


def cosign_chart_note(state: SessionState, cmd: CosignChartNote, actor: Actor, now: float) -> list[Event]:
    require(actor.attending, "only an attending clinician can co-sign a chart note", "not_attending")
    person = state.participants.get(cmd.participant_id)
    if person is None or not person.took_part:
        raise Refused(f"there is no participant {cmd.participant_id!r} in this session", "not_found")
    done = [e for e in state.encounters.values() if e.participant_id == person.id and e.status == "completed"]
    require(state.phase is Phase.CLOSED or bool(done),
            f"{person.name}'s chart note can be co-signed once their one-on-one is completed or the session has "
            "closed", "too_early")
    require(all(e.clinician_id != actor.id for e in done),
            f"you saw {person.name} yourself: their chart note is co-signed by another attending", "conflict")
    earlier = state.cosigns.get(person.id)
    require(earlier is None, f"{person.name}'s chart note is already co-signed by {earlier.name if earlier else ''}",
            "conflict")
    return [ChartNoteCosigned(person.id, actor.id, actor.name, now)]


def withdraw_cosign(state: SessionState, cmd: WithdrawCosign, actor: Actor, now: float) -> list[Event]:
    cosign = state.cosigns.get(cmd.participant_id)
    if cosign is None:
        raise Refused(f"the chart note of {cmd.participant_id!r} is not co-signed", "not_found")
    require(cosign.by == actor.id, f"only {cosign.name}, who co-signed it, can withdraw the co-signature",
            "not_yours")
    return [CosignWithdrawn(cmd.participant_id, actor.id, now)]


def apply_cosigned(state: SessionState, event: ChartNoteCosigned) -> None:
    state.cosigns[event.participant_id] = Cosign(event.by, event.name, event.at)


def apply_withdrawn(state: SessionState, event: CosignWithdrawn) -> None:
    del state.cosigns[event.participant_id]
