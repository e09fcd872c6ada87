"""What each screen may see: its view of the state, in sections, and its copy of each event.

A view is a dict of sections. Screens render from the view; each live message carries
only the sections that changed for that screen. The projector's view never holds
clinical data; a participant's holds their own private data and what the group shares.
"""

from typing import Any

from .agenda import ranked, timeboxes
from .checkin import numbers_dict
from .cohort_view import follow_up_of, follow_ups_section, library_section, match_of, prior_of, roster_section
from .discussion import CHOICES, extension_minutes
from .events import Event, StrategyCaptured, TopicProposed
from .goals import goal_dict
from .library import counts
from .planner import Plan, flags, plan, top_topic
from .roles import Actor, Role
from .state import Encounter, SessionState
from .undo import undo_until

View = dict[str, Any]


def view_for(state: SessionState, viewer: Actor) -> View:
    """The whole view of `viewer`. It does not depend on the clock: screens count down themselves.

    The one-on-ones' plan is made as of the last moment the state records (`planned_at`), not
    the wall clock: views stay a pure function of the state, so every caller, every replay and
    every screen sees the same plan for the same log, a live message can still carry only the
    sections that changed, and nothing is recomputed between events. A screen counts from
    `planned_at`; the plan re-forms with the next event.
    """
    view: View = {
        "viewer": {"role": viewer.role.value, "id": viewer.id, "name": viewer.name},
        "session": session_section(state),
        "topics": topics_section(state, viewer),
        "agenda": agenda_section(state, viewer),
        "strategies": strategies_section(state, viewer),
        "shared_goals": shared_goals_section(state),
    }
    if viewer.role is Role.PARTICIPANT:
        view["participant_count"] = len(state.here())
        view["me"] = me_section(state, viewer.id)
    else:
        view["participants"] = [{"id": p.id, "name": p.name} for p in state.took_part()]
        view["attendance"] = {"here": len(state.here()), "took_part": len(state.took_part())}
    if viewer.role.is_staff:
        view["people"] = people_section(state)
        view["queue"] = queue_section(state, viewer)
        view["roster"] = roster_section(state)
        view["follow_ups"] = follow_ups_section(state)
        view["library"] = library_section(state)
    return view


def session_section(state: SessionState) -> dict[str, Any]:
    return {
        "id": state.session_id, "title": state.title, "cohort": state.cohort,
        "starts_at": state.starts_at, "ends_at": state.ends_at, "goals_at": state.goals_at,
        "join_code": state.join_code, "phase": state.phase.value, "phase_label": state.phase.label,
        "phase_opened_at": state.phase_opened_at, "vote_budget": state.vote_budget,
        "timebox_minutes": state.timebox_minutes, "closed_at": state.closed_at, "cancelled_at": state.cancelled_at,
        "settings": state.settings.to_dict(),
    }


def author_name(state: SessionState, author_id: str, anonymous: bool, viewer: Actor) -> str | None:
    if not author_id or (anonymous and viewer.id != author_id):
        return None
    return state.participants[author_id].name


def topics_section(state: SessionState, viewer: Actor) -> list[dict[str, Any]]:
    rows = []
    for topic in ranked(state):
        row: dict[str, Any] = {
            "id": topic.id, "title": topic.title, "votes": topic.total,
            "by": author_name(state, topic.proposer_id, topic.anonymous, viewer),
            "anonymous": topic.anonymous, "from_staff": not topic.proposer_id,
        }
        if viewer.role is Role.PARTICIPANT:
            row["my_votes"] = topic.votes.get(viewer.id, 0)
            row["mine"] = topic.proposer_id == viewer.id
        rows.append(row)
    return rows


def agenda_section(state: SessionState, viewer: Actor) -> dict[str, Any]:
    """The agenda with each pending topic's planned start and end, as if the current topic
    ends on time; a screen shifts them by however long the current topic runs over."""
    titles = {t.id: t.title for t in state.topics.values()}
    windows, predicted_end = timeboxes(state)
    items = []
    current = state.current_item()
    for item in state.agenda:
        row: dict[str, Any] = {
            "topic_id": item.topic_id, "title": titles[item.topic_id], "minutes": item.minutes,
            "status": item.status, "started_at": item.started_at, "ends_at": item.ends_at,
            "ended_at": item.ended_at, "extensions": item.extensions,
        }
        if item.status == "pending":
            row["planned_start"], row["planned_end"] = windows[item.topic_id]
            row["fits"] = row["planned_end"] <= state.goals_at
        items.append(row)
    section: dict[str, Any] = {"items": items, "current": None, "predicted_end": predicted_end if state.agenda else None}
    if current is not None:
        tally = {choice: sum(1 for v in current.room_votes.values() if v == choice) for choice in CHOICES}
        section["current"] = {
            "topic_id": current.topic_id, "title": titles[current.topic_id], "started_at": current.started_at,
            "ends_at": current.ends_at, "extensions": current.extensions, "room_vote": tally,
            "next_extension_minutes": extension_minutes(current.extensions),
        }
        if viewer.role is Role.PARTICIPANT:
            section["current"]["my_room_vote"] = current.room_votes.get(viewer.id)
    return section


def strategies_section(state: SessionState, viewer: Actor) -> list[dict[str, Any]]:
    titles = {t.id: t.title for t in state.topics.values()}
    rows = []
    for s in state.strategies.values():
        if s.hidden and viewer.role is not Role.FACILITATOR:
            continue  # off the wall; the console keeps it, marked, to show it again
        helpful, tried = counts(state, s)  # a strategy brought from the library counts across sessions
        row: dict[str, Any] = {
            "id": s.id, "text": s.text, "topic_id": s.topic_id, "topic_title": titles.get(s.topic_id),
            "by": author_name(state, s.author_id, s.anonymous, viewer), "helpful": helpful, "tried": tried,
            "at": s.at,
        }
        if viewer.role is Role.FACILITATOR:
            row["hidden"] = s.hidden
        if viewer.role is Role.PARTICIPANT:
            row["mine"] = s.author_id == viewer.id
            row["marked"] = viewer.id in s.helpful
            row["my_tried"] = viewer.id in s.tried
        rows.append(row)
    return rows


def shared_goals_section(state: SessionState) -> list[dict[str, Any]]:
    return [
        {"name": state.participants[pid].name, "what": g.what, "how_much": g.how_much, "when": g.when,
         "how_often": g.how_often}
        for pid, g in state.goals.items() if g.shared and state.participants[pid].took_part
    ]


def queue_order(state: SessionState) -> list[Encounter]:
    """Waiting encounters first come, first served, except that a participant is not pulled out while the
    room discusses the topic they voted for most: the order closing a session names them in. The screens
    show the plan's order instead (`waiting_in_plan_order`)."""
    current = state.current_item()
    now_topic = current.topic_id if current else None
    waiting = [e for e in state.encounters.values() if e.status == "waiting"]
    # Ties keep the order of the requests (the sort is stable): ids compare as text, "e10" < "e2".
    return sorted(waiting, key=lambda e: (now_topic is not None and top_topic(state, e.participant_id) == now_topic,
                                          e.queued_at))


def waiting_in_plan_order(state: SessionState) -> list[Encounter]:
    """Waiting encounters in the order the plan expects to call them (`Plan.order`)."""
    return [state.encounters[eid] for eid in current_plan(state).order()]


def encounter_dict(state: SessionState, enc: Encounter, viewer: Actor) -> dict[str, Any]:
    """One encounter for a staff screen; `undo`, what `viewer` may undo on it, is theirs alone."""
    participant = state.participants[enc.participant_id]
    current = state.current_item()
    return {
        "encounter_id": enc.id, "participant_id": enc.participant_id, "name": participant.name,
        "request": enc.request, "requested_at": enc.requested_at, "queued_at": enc.queued_at,
        "status": enc.status, "clinician_id": enc.clinician_id, "clinician_name": enc.clinician_name,
        "room": enc.room, "called_at": enc.called_at, "started_at": enc.started_at, "ended_at": enc.ended_at,
        "note": enc.note, "instruction": enc.instruction, "returns": enc.returns, "withdrawn_reason": enc.withdrawn_reason,
        "numbers": numbers_dict(participant.numbers), "flags": flags(participant.numbers, state.settings),
        "in_top_topic": current is not None and top_topic(state, enc.participant_id) == current.topic_id,
        "prior": prior_of(state, enc.participant_id), "estimate_minutes": enc.estimate_minutes,
        "moved_up": enc.moved_up_at is not None, **undo_of(enc, viewer),
    }


def undo_of(enc: Encounter, viewer: Actor) -> dict[str, Any]:
    """Whether `viewer` may undo the latest move on `enc` (`undo_action`) and until when (`undo_until`, server
    seconds: the screen hides its Undo then; the server refuses later ones as too_late)."""
    until = undo_until(enc, viewer.id)
    action = enc.last_action.action if until is not None and enc.last_action is not None else None
    return {"undo_action": action, "undo_until": until}


def planned_at(state: SessionState) -> float:
    """The last moment the state records (not before the session starts): what the views plan from."""
    moments = [state.starts_at, state.phase_opened_at, state.closed_at or 0.0]
    moments += [p.joined_at for p in state.participants.values()]
    moments += [p.numbers.at for p in state.participants.values() if p.numbers is not None]
    moments += [t.proposed_at for t in state.topics.values()]
    moments += [at for item in state.agenda for at in (item.started_at, item.ended_at) if at is not None]
    moments += [s.at for s in state.strategies.values()]
    moments += [at for e in state.encounters.values()
                for at in (e.requested_at, e.queued_at, e.called_at, e.started_at, e.ended_at, e.moved_up_at,
                           e.estimated_at) if at is not None]
    moments += [at for d in state.duty.values() for at in (d.since, d.off_at) if at is not None]
    moments += [g.at for g in state.goals.values()] + [v.at for v in state.evaluations.values()]
    moments += [f.at for f in state.follow_ups.values()]
    return max(moments)


def current_plan(state: SessionState) -> Plan:
    """The plan as of the state's last recorded moment. Every screen of a session (each waiting patient's
    too) reads the same one, so it is made once per event and kept on the state until the next."""
    if state.plan_memo is None or state.plan_memo[0] != state.seq:
        state.plan_memo = (state.seq, plan(state, planned_at(state)))
    return state.plan_memo[1]


def plan_section(state: SessionState, the_plan: Plan) -> dict[str, Any]:
    names = {pid: p.name for pid, p in state.participants.items()}
    slots = [{"encounter_id": s.encounter_id, "participant_id": s.participant_id, "name": names[s.participant_id],
              "clinician_id": s.clinician_id, "clinician_name": s.clinician_name, "expected_at": s.start,
              "expected_end": s.end, "conflict": s.conflict, "minutes": s.minutes} for s in the_plan.slots]
    return {
        "planned_at": the_plan.now, "minutes_per_patient": the_plan.minutes, "ends_at": state.ends_at,
        "clinicians": [{"clinician_id": c.clinician_id, "name": c.name, "free_at": max(c.free_at, the_plan.now),
                        "until": c.until, "on_duty_since": c.since,
                        "encounter_ids": [s.encounter_id for s in the_plan.lane(c.clinician_id)]}
                       for c in the_plan.clinicians],
        "slots": slots,
        "does_not_fit": [{"encounter_id": eid, "name": names[state.encounters[eid].participant_id]}
                         for eid in the_plan.does_not_fit],
        "shortfall_minutes": the_plan.shortfall_minutes,
    }


def queue_section(state: SessionState, viewer: Actor) -> dict[str, Any]:
    active = [e for e in state.encounters.values() if e.active]
    done = [e for e in state.encounters.values() if e.status == "completed"]
    withdrawn = [e for e in state.encounters.values() if e.status == "withdrawn"]
    return {
        "waiting": [encounter_dict(state, e, viewer) for e in waiting_in_plan_order(state)],
        "active": [encounter_dict(state, e, viewer) for e in active],
        "completed": [encounter_dict(state, e, viewer) for e in done],
        "withdrawn": [encounter_dict(state, e, viewer) for e in withdrawn],
        "plan": plan_section(state, current_plan(state)),
    }


def people_section(state: SessionState) -> list[dict[str, Any]]:
    rows = []
    for p in state.participants.values():
        enc = state.open_encounter(p.id) or next(
            (e for e in reversed(state.encounters.values()) if e.participant_id == p.id), None)
        goal, evaluation = state.goals.get(p.id), state.evaluations.get(p.id)
        rows.append({
            "id": p.id, "name": p.name, "status": p.status, "joined_at": p.joined_at,
            "numbers": numbers_dict(p.numbers),
            "votes_used": state.votes_used(p.id), "encounter_status": enc.status if enc else None,
            "goal": goal_dict(goal) if goal else None,
            "evaluation": None if evaluation is None else {
                "rating": evaluation.rating, "helped": evaluation.helped, "change": evaluation.change},
            **match_of(state, p),
        })
    return rows


def me_section(state: SessionState, participant_id: str) -> dict[str, Any] | None:
    participant = state.participants.get(participant_id)
    if participant is None:
        return None
    enc = state.open_encounter(participant_id) or next(
        (e for e in reversed(state.encounters.values()) if e.participant_id == participant_id), None)
    visit = None
    if enc is not None:
        # Only their own place and expected time: the plan's other slots are other people's.
        the_plan = current_plan(state) if enc.status == "waiting" else None
        order = the_plan.order() if the_plan else []
        slot = next((s for s in the_plan.slots if s.encounter_id == enc.id), None) if the_plan else None
        visit = {
            "encounter_id": enc.id, "request": enc.request, "status": enc.status,
            "position": order.index(enc.id) + 1 if the_plan else None,
            "expected_at": slot.start if slot else None, "planned_at": the_plan.now if the_plan else None,
            # Nobody on duty yet: the times are a guess with no clinician behind them, never shown as minutes.
            "no_clinician_yet": slot is not None and not slot.clinician_id,
            "clinician_name": enc.clinician_name, "room": enc.room, "called_at": enc.called_at,
            "started_at": enc.started_at, "ended_at": enc.ended_at, "withdrawn_reason": enc.withdrawn_reason,
            # What the clinician wants them to remember, once given (not while an undone completion is re-edited).
            "instruction": enc.instruction if enc.status == "completed" else "",
        }
    goal, evaluation = state.goals.get(participant_id), state.evaluations.get(participant_id)
    used = state.votes_used(participant_id)
    return {
        "id": participant.id, "name": participant.name, "votes_used": used,
        "votes_left": state.vote_budget - used, "numbers": numbers_dict(participant.numbers), "visit": visit,
        "goal": goal_dict(goal) if goal else None,
        "evaluation": None if evaluation is None else {
            "rating": evaluation.rating, "helped": evaluation.helped, "change": evaluation.change},
        "follow_up": follow_up_of(state, participant_id),  # their own only: never anyone else's
    }


def visible_event(event: Event, viewer: Actor) -> dict[str, Any] | None:
    """`viewer`'s copy of `event`: None when it is not theirs to see, personal fields removed."""
    data = event.to_dict()
    subject = data.get("participant_id")
    entitled = viewer.role.is_staff or (viewer.role is Role.PARTICIPANT and viewer.id == subject)
    if event.audience == "private" and not entitled:
        return None
    if not entitled:
        for name in event.personal:
            data.pop(name, None)
    if not viewer.role.is_staff:
        for name in event.staff_only:
            data.pop(name, None)
    if isinstance(event, TopicProposed) and event.anonymous and not (viewer.id and viewer.id == event.proposer_id):
        data["proposer_id"] = ""
    if isinstance(event, StrategyCaptured) and event.anonymous and not (viewer.id and viewer.id == event.author_id):
        data["author_id"] = data["captured_by"] = ""
    return data

