"""LiveSession folds the log: repeats are skipped, gaps are refused."""

import pytest

from groupvisit.actions import LiveSession
from groupvisit.domain.events import ParticipantJoined, SessionScheduled

FIRST = SessionScheduled("s1", "Group", "Cohort", 0.0, 7200.0, "ACDEFH")
JOINED = ParticipantJoined("p1", "Ann", 1.0)
SECOND = ParticipantJoined("p2", "Bob", 2.0)


def test_events_already_applied_are_skipped() -> None:
    live = LiveSession()
    live.fold([(1, FIRST), (2, JOINED)])
    live.fold([(2, JOINED), (3, SECOND)])  # a catch-up read that met a commit in flight
    assert live.state.seq == 3
    assert list(live.state.participants) == ["p1", "p2"]
    assert [seq for seq, _ in live.recent] == [1, 2, 3]


def test_a_gap_in_the_log_is_refused() -> None:
    live = LiveSession()
    live.fold([(1, FIRST)])
    with pytest.raises(RuntimeError, match="jumps from 1 to 3"):
        live.fold([(3, SECOND)])
    assert live.state.seq == 1
