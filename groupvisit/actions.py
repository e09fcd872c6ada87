"""The one place where I/O meets the rules: load state, decide, append, then publish.

Each session served by this process has a `LiveSession`: its state (the fold of its
log) and its recent events. Commands for one session run one at a time under its
lock; the database's sequence check catches a writer in another process.
"""

import asyncio
from collections import Counter, deque
from dataclasses import dataclass, field

from .clock import Clock
from .continuity import Carried, read_carried
from .domain import Actor, Role, SessionState, apply, decide
from .domain.commands import BringStrategy, Command, GiveFollowUp, MatchParticipant
from .domain.errors import Refused
from .domain.events import Event, ParticipantJoined
from .hub import Hub, Notice
from .store import CommandKey, DuplicateCommand, NewDevice, SeqConflict, Store, Stored
from .store.tables import AuditRow

RECENT_LIMIT = 2000
# Commands whose rules read what the cohort carries in: it is checked for changes before they are decided.
READS_CONTINUITY = (MatchParticipant, GiveFollowUp, BringStrategy)
CONFLICT_RETRIES = 10


@dataclass
class LiveSession:
    state: SessionState = field(default_factory=SessionState)
    recent: deque[Stored] = field(default_factory=lambda: deque(maxlen=RECENT_LIMIT))
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # Participant screens open in this process, by participant, and the staff screens to tell when that changes.
    screens: Counter[str] = field(default_factory=Counter)
    presence_watchers: set[asyncio.Event] = field(default_factory=set)
    carried: Carried = field(default_factory=lambda: Carried(None))  # `state.continuity`, with when it was read

    def connected(self) -> list[str]:
        """The participants with a screen open now, in check-in order."""
        return [pid for pid in self.state.participants if self.screens[pid] > 0]

    def screen_opened(self, participant_id: str) -> None:
        self.screens[participant_id] += 1
        self.presence_changed()

    def screen_closed(self, participant_id: str) -> None:
        self.screens[participant_id] -= 1
        if self.screens[participant_id] <= 0:
            del self.screens[participant_id]
        self.presence_changed()

    def presence_changed(self) -> None:
        for watcher in self.presence_watchers:
            watcher.set()

    def fold(self, stored: list[Stored]) -> None:
        """Apply events from the log in order. One already applied is skipped: a catch-up read
        can meet the events a command is committing at the same moment, and the log is the truth."""
        for seq, event in stored:
            if seq <= self.state.seq:
                continue
            if seq != self.state.seq + 1:
                raise RuntimeError(f"log of {self.state.session_id} jumps from {self.state.seq} to {seq}")
            apply(self.state, event, seq)
            self.recent.append((seq, event))

    def since(self, seq: int) -> list[Stored] | None:
        """The events after `seq`, or None when they are no longer held here."""
        if seq >= self.state.seq:
            return []
        if not self.recent or self.recent[0][0] > seq + 1:
            return None
        return [item for item in self.recent if item[0] > seq]


def subject_of(events: list[Event]) -> str:
    """The participant a change was about, when it was about one."""
    return next((getattr(e, "participant_id") for e in events if getattr(e, "participant_id", "")), "")


def audit_row(state: SessionState, actor: Actor, device: str, at: float, action: str, what: str,
              subject: str = "", events: list[Event] | None = None) -> AuditRow:
    name = actor.name or (state.participants[actor.id].name if actor.id in state.participants else "")
    joined = next((e for e in events or [] if isinstance(e, ParticipantJoined)), None)
    if not actor.id and actor.role is Role.PARTICIPANT and joined is not None:  # checking in: who they became
        actor, name = Actor(actor.role, joined.participant_id), joined.display_name
    return AuditRow(session_id=state.session_id, at=at, role=actor.role.value, actor_id=actor.id, actor_name=name,
                    device=device, action=action, what=what, subject=subject)


class UnknownSession(Exception):
    pass


@dataclass(frozen=True)
class Accepted:
    """A command that took effect: the seq of its last event; `duplicate` if it had already run."""

    seq: int
    duplicate: bool = False


class Sessions:
    """The live sessions this process serves."""

    def __init__(self, store: Store, hub: Hub, clock: Clock) -> None:
        self.store, self.hub, self.clock = store, hub, clock
        self.live: dict[str, LiveSession] = {}

    async def get(self, session_id: str, fresh: bool = False) -> LiveSession:
        """The live session; with `fresh`, what its cohort carries in is checked for changes first (a
        screen opening, a command that reads it): an earlier session held or the roster changed since."""
        live = self.live.get(session_id)
        if live is None:
            stored = await self.store.events(session_id)
            if not stored:
                raise UnknownSession(session_id)
            carried = await read_carried(self.store, session_id)
            live = self.live.setdefault(session_id, LiveSession())
            if live.state.seq == 0:
                live.fold(stored)
                live.carried, live.state.continuity = carried, carried.continuity
        elif fresh:
            await self.refresh_continuity(live)
        return live

    async def refresh_continuity(self, live: LiveSession) -> None:
        carried = await read_carried(self.store, live.state.session_id, live.carried)
        if carried is not live.carried:
            live.carried, live.state.continuity = carried, carried.continuity

    async def catch_up(self, live: LiveSession, seq: int | None = None) -> None:
        """Fold events another process appended (up to at least `seq`, when known)."""
        if seq is not None and seq <= live.state.seq:
            return
        live.fold(await self.store.events(live.state.session_id, after=live.state.seq))

    async def execute(self, session_id: str, command: Command, actor: Actor, *, command_id: str | None = None,
                      sender: str = "", new_device: NewDevice | None = None, device: str = "") -> Accepted:
        """Decide and commit `command`; raises `Refused` and stores nothing when not allowed.

        A `command_id` that this `sender` (the credential the screen came in with) already ran
        is not run again: its original result comes back, marked as a duplicate. Another
        sender's command with the same id is a command of its own.
        """
        key = None if command_id is None else CommandKey(sender, command_id)
        live = await self.get(session_id, fresh=isinstance(command, READS_CONTINUITY))
        async with live.lock:
            if key is not None:
                earlier = await self.store.command_seq(session_id, key)
                if earlier is not None:
                    return Accepted(earlier, duplicate=True)
            for _ in range(CONFLICT_RETRIES):
                now = self.clock.now()
                events: list[Event] = decide(live.state, command, actor, now)
                audit = audit_row(live.state, actor, device, now, "changed", command.name, subject_of(events),
                                  events)
                try:
                    stored = await self.store.append(session_id, live.state.seq, events, new_device, key, audit)
                except SeqConflict:
                    await self.catch_up(live)
                    continue
                except DuplicateCommand as duplicate:  # the same command, run by another process meanwhile
                    await self.catch_up(live)
                    return Accepted(duplicate.seq, duplicate=True)
                live.fold(stored)
                break
            else:
                raise Refused("the session is too busy right now: please try again", "busy")
        # Published only after the commit: a failed write tells nobody anything.
        await self.hub.publish(Notice(session_id, stored[-1][0]))
        return Accepted(stored[-1][0])
