"""The demo cohort's past sessions, held command by command through the same rules as a live one (on a clock
set to their date), so their logs are real logs and continuity is derived from them like any other."""

from dataclasses import dataclass

from .actions import Sessions
from .clock import ManualClock
from .domain import Actor, Phase, Role
from .domain import commands as c


@dataclass(frozen=True)
class Visit:
    """What one patient does at one past session."""

    patient_id: str
    name: str
    topic: str = ""  # proposes it
    numbers: tuple[int, int, float, int] | None = None  # systolic, diastolic, weight (kg), glucose
    request: str = ""  # a one-on-one about this
    strategy: str = ""  # shares it
    goal: tuple[str, str, str, str, int] | None = None  # what, how much, when, how often, confidence
    follow_up: tuple[str, str] | None = None  # how last session's goal went, and what got in the way
    rating: int = 0
    helped: str = ""
    change: str = ""


@dataclass(frozen=True)
class Team:
    facilitator: Actor
    clinicians: tuple[Actor, ...]


async def hold(sessions: Sessions, clock: ManualClock, session_id: str, team: Team,
               visits: list[Visit], bring: int = 0) -> None:
    """Run one whole session: check-in and matching, agenda, discussion with strategies and one-on-ones,
    goals, wrap-up and close. `bring` strategies come back from the cohort's library."""
    lead = team.facilitator

    async def run(command: c.Command, actor: Actor = lead) -> None:
        await sessions.execute(session_id, command, actor)
        clock.advance(20)

    live = await sessions.get(session_id)
    ids: dict[str, str] = {}
    for visit in visits:
        await run(c.Join(visit.name))
        ids[visit.patient_id] = list(live.state.participants)[-1]
        await run(c.MatchParticipant(ids[visit.patient_id], visit.patient_id))
    for visit in visits:
        me = Actor(Role.PARTICIPANT, ids[visit.patient_id])
        if visit.follow_up:
            await run(c.GiveFollowUp(visit.follow_up[0], visit.follow_up[1]), me)
        if visit.numbers:
            systolic, diastolic, weight, glucose = visit.numbers
            await run(c.RecordNumbers(systolic, diastolic, weight, "kg", glucose), me)
        if visit.request:
            await run(c.RequestVisit(visit.request), me)
    await run(c.OpenPhase(Phase.AGENDA.value))
    for visit in visits:
        if visit.topic:
            await run(c.ProposeTopic(visit.topic), Actor(Role.PARTICIPANT, ids[visit.patient_id]))
    topics = list(live.state.topics)
    for n, visit in enumerate(visits):
        me = Actor(Role.PARTICIPANT, ids[visit.patient_id])
        for k in range(min(3, len(topics))):  # everyone's three dots, spread over the topics
            await run(c.CastVote(topics[(n * k + k) % len(topics)]), me)
    await run(c.OpenPhase(Phase.DISCUSSION.value, confirm=True))
    await run(c.NextTopic())
    for entry in live.state.continuity.library[:bring] if live.state.continuity else []:
        await run(c.BringStrategy(entry.id))
    waiting = [e.id for e in live.state.encounters.values() if e.status == "waiting"]
    for n, visit in enumerate(visits):
        if visit.strategy:
            await run(c.CaptureStrategy(visit.strategy, participant_id=ids[visit.patient_id]))
        if n % 3 == 2:
            await run(c.NextTopic())
        if waiting and n % 2 == 0:  # the residents see one patient each while the group talks
            encounter, clinician = waiting.pop(0), team.clinicians[n % len(team.clinicians)]
            await run(c.CallParticipant(encounter, f"Exam room {n % len(team.clinicians) + 1}"), clinician)
            await run(c.StartEncounter(encounter), clinician)
            clock.advance(7 * 60)
            await run(c.CompleteEncounter(encounter, "Reviewed numbers and medication; plan agreed."), clinician)
    strategies = list(live.state.strategies)
    for n, visit in enumerate(visits):
        me = Actor(Role.PARTICIPANT, ids[visit.patient_id])
        for strategy in strategies[n % 2::3]:
            if live.state.strategies[strategy].author_id != me.id:
                await run(c.MarkHelpful(strategy), me)
    clock.advance(10 * 60)
    await run(c.OpenPhase(Phase.GOALS.value, confirm=True))
    for visit in visits:
        if visit.goal:
            what, how_much, when, how_often, confidence = visit.goal
            await run(c.SetGoal(what, how_much, when, how_often, confidence, shared=confidence >= 8),
                      Actor(Role.PARTICIPANT, ids[visit.patient_id]))
    await run(c.OpenPhase(Phase.WRAP_UP.value, confirm=True))
    for visit in visits:
        if visit.rating:
            await run(c.GiveEvaluation(visit.rating, visit.helped, visit.change),
                      Actor(Role.PARTICIPANT, ids[visit.patient_id]))
    await run(c.CloseSession(confirm=True))

