"""How long planning the one-on-ones takes, and what it costs per event across live sessions.

A session in discussion with a 12-topic agenda, 20 waiting patients (each with votes, some
with flagged numbers) and 3 clinicians, each with an active encounter. Figures, over many runs:
  - the plan alone (`planner.plan`);
  - the baseline: the staff view a queue or console screen gets (`view_for`) with the planning
    taken out, built in the same run; then that view with the plan, as it is served;
  - a waiting patient's view, which holds their own estimate;
and what one event costs at 100 live sessions with 4 staff screens and 20 waiting patients each:
the plan is made once per event (`views.current_plan`) and every screen's view reads it.
Run: python benchmarks/planner.py [--runs N]
"""

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "domain"))

from groupvisit.domain import Actor, Phase, SessionState  # noqa: E402
from groupvisit.domain import commands as c  # noqa: E402
from groupvisit.domain.planner import plan  # noqa: E402
from groupvisit.domain import views  # noqa: E402
from groupvisit.domain.views import planned_at, view_for  # noqa: E402
from sessionkit import Session, clinician  # noqa: E402

PATIENTS, CLINICIANS, TOPICS = 20, 3, 12
SESSIONS, STAFF_SCREENS = 100, 4


def busy_session() -> tuple[SessionState, Actor]:
    """The session to plan, and one waiting patient in it."""
    s = Session(minutes=150, vote_budget=3, timebox_minutes=5)
    people = []
    for n in range(PATIENTS + CLINICIANS):
        who = s.join(f"Person {n}")
        if n % 5 == 0:
            s.run(c.RecordNumbers(glucose=54 if n % 2 else 320), who)
        s.request_visit(who)
        people.append(who)
        s.tick(0.5)
    s.open(Phase.AGENDA)
    topics = [s.propose(f"Topic {n}") for n in range(TOPICS)]
    for n, who in enumerate(people):
        s.vote(who, topics[n % TOPICS], 2)
        s.vote(who, topics[(n * 7 + 3) % TOPICS])
    s.open(Phase.DISCUSSION)
    for n in range(CLINICIANS):
        encounter_id = next(e.id for e in s.state.encounters.values() if e.status == "waiting")
        s.run(c.CallParticipant(encounter_id, f"Room {n}"), clinician(n + 1))
        s.tick(1)
    return s.state, people[-1]


def timed(work: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return times


def figures(times: list[float]) -> str:
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"median {statistics.median(ordered) * 1e6:7.1f} µs   p99 {p99 * 1e6:7.1f} µs"


def fresh(state: SessionState) -> SessionState:
    """The state as a new event leaves it: its plan not made yet."""
    state.plan_memo = None
    return state


def main(runs: int) -> None:
    state, patient = busy_session()
    now, staff = planned_at(state), clinician(1)
    the_plan = plan(state, now)
    waiting = len(the_plan.order())
    assert len(the_plan.clinicians) == CLINICIANS and len(state.agenda) == TOPICS and waiting == PATIENTS
    plans = timed(lambda: plan(state, now), runs)
    staff_views = timed(lambda: view_for(fresh(state), staff), runs)
    patient_views = timed(lambda: view_for(state, patient), runs)  # after the event's first view: no planning
    screens = [staff] * STAFF_SCREENS + [patient] * waiting
    events = timed(lambda: [view_for(fresh(state) if n == 0 else state, who) for n, who in enumerate(screens)],
                   max(1, runs // 20))
    # The baseline: the same staff view with the planning taken out (handed the plan ready-made).
    setattr(views, "plan", lambda *_: the_plan)
    try:
        baseline = timed(lambda: view_for(fresh(state), staff), runs)
    finally:
        setattr(views, "plan", plan)
    one_plan, per_event = statistics.median(plans), statistics.median(events)
    print(f"{waiting} waiting patients x {CLINICIANS} clinicians x a {TOPICS}-topic agenda, {runs} runs each")
    print(f"the plan alone:                      {figures(plans)}")
    print(f"baseline, the staff view without it: {figures(baseline)}")
    print(f"the staff view with the plan:        {figures(staff_views)}")
    print(f"a waiting patient's view:            {figures(patient_views)}")
    print(f"the plan adds {one_plan / statistics.median(baseline):.0%} to the baseline staff view")
    print(f"one event, every view ({STAFF_SCREENS} staff, {waiting} waiting patients): {figures(events)}; the plan, made "
          f"once, is {one_plan / per_event:.0%} of it")
    print(f"at {SESSIONS} live sessions with one event each: {SESSIONS * per_event * 1000:.1f} ms of one core for "
          f"the views, {SESSIONS * one_plan * 1000:.1f} ms of it planning")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000, help="plans and views to time (default 2000)")
    arguments = parser.parse_args()
    if arguments.runs < 1:
        parser.error("--runs must be at least 1")
    main(arguments.runs)
