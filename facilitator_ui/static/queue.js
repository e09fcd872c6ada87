// The clinician's queue: who is waiting (in calling order), this clinician's own
// encounter pinned on top, and the call → start → complete flow of a brief 1:1 visit.
import { clockTime } from "/static/common/live.js";
import { el, setText, show, syncList } from "/static/common/patch.js";
import { renderDuty } from "./duty.js";
import { fillPrior, makePrior } from "./prior.js";
import { duration, numbersText, run, setDisabled, start } from "./staff.js";
import { fillUndo, makeUndo } from "./undo.js";

const $ = (id) => document.getElementById(id);

const { config, channel } = start({ render, tick: render });
const me = config.viewer.id;

// ---- The clinician's room: asked once (at the first call, or in the header), remembered per clinician on
// this device, so that every call says where to go.
const ROOM_KEY = "groupvisit-room-" + me;
const REASONS = {
  left: "left the session", mistake: "checked in by mistake", not_needed: "said they don't need it today",
};
let room = "";
try {
  room = (window.localStorage.getItem(ROOM_KEY) || "").trim();
} catch (blocked) {
  // Storage can be off (private mode): the room is then asked once per page instead.
}

function setRoom(value) {
  room = value.trim();
  try {
    window.localStorage.setItem(ROOM_KEY, room);
  } catch (blocked) {
    // As above: nothing to remember it in beyond this page.
  }
  showRoom();
}

function showRoom() {
  setText($("room-name"), room || "not set yet");
  setText($("room-change"), room ? "change" : "set");
}
showRoom();

$("room-change").addEventListener("click", () => {
  $("room").value = room;
  show($("room-shown"), false);
  show($("room-form"), true);
  $("room").focus();
});
$("room-form").addEventListener("submit", (event) => {
  event.preventDefault();
  if ($("room").value.trim()) setRoom($("room").value);
  show($("room-form"), false);
  show($("room-shown"), true);
  $("room-change").focus();
});

function send(name, args) {
  return channel.send(name, args);
}

function nowSeconds() {
  return channel.serverNow() / 1000;
}

function render(view) {
  const { waiting, active, completed } = view.queue;
  // Each participant's action plan, if set: part of what a clinician sees before a visit.
  const goals = new Map(view.people.map((p) => [p.id, p.goal]));
  const mine = active.filter((e) => e.clinician_id === me);
  const others = active.filter((e) => e.clinician_id !== me);
  const closed = view.session.phase === "closed";
  show($("closed-note"), closed);
  show($("mine-panel"), !closed || mine.length > 0);
  renderMine(mine, goals);
  renderWaiting(waiting, goals, mine[0], closed);
  renderDuty(view, channel);
  renderOthers(others);
  renderCompleted(completed);
  renderWithdrawn(view.queue.withdrawn);
}

// What every encounter card shows about the person: name, request, numbers, goal, and what they bring from
// the cohort's earlier sessions.
function cardParts() {
  return [
    el("h3", { class: "who" }),
    el("p", { class: "request" }, el("span", { class: "label" }, "Wants to talk about: "), el("span", { class: "request-text" })),
    el("p", { class: "numbers subtle" }),
    el("p", { class: "goal-line subtle" }),
    makePrior(),
  ];
}

function goalText(goal) {
  if (!goal) return "";
  return "Goal: " + [goal.what, goal.how_much, goal.when, goal.how_often].join(", ") +
    " (confidence " + goal.confidence + "/10)";
}

function fillCard(card, e, goals) {
  card.dataset.encounterId = e.encounter_id;
  card.dataset.status = e.status;
  setText(card.querySelector(".who"), e.name);
  setText(card.querySelector(".request-text"), e.request);
  setText(card.querySelector(".numbers"), numbersText(e.numbers));
  const goal = goalText(goals.get(e.participant_id));
  setText(card.querySelector(".goal-line"), goal);
  show(card.querySelector(".goal-line"), Boolean(goal));
  fillPrior(card.querySelector(".prior"), e.prior, e.numbers, e.name);
}

// ---- The clinician's own encounter -------------------------------------------------

function renderMine(mine, goals) {
  show($("mine-empty"), mine.length === 0);
  syncList($("mine-list"), mine, (e) => e.encounter_id, makeMineCard, (card, e) => {
    fillCard(card, e, goals);
    const called = e.status === "called";
    const where = e.room ? " to " + e.room : "";
    setText(card.querySelector(".state"), called
      ? "Called" + where + " at " + clockTime(e.called_at) + " — " + duration(nowSeconds() - e.called_at) + " ago"
      : "In progress since " + clockTime(e.started_at) + " — " + duration(nowSeconds() - e.started_at));
    show(card.querySelector(".called-actions"), called);
    show(card.querySelector(".complete-form"), !called);
    fillUndo(card.querySelector(".undo-box"), e, nowSeconds());
  });
}

function makeMineCard(e) {
  const alertNode = el("p", { class: "error", role: "alert" });
  const start = el("button", { type: "button", class: "primary", "data-testid": "start-encounter" }, "Start");
  const notHere = el("button", { type: "button", "data-testid": "not-here" }, "Not here: back in the queue");
  const noteId = "note-" + e.encounter_id;
  const note = el("textarea", { id: noteId, class: "note", rows: "3", maxlength: "1000" });
  note.value = e.note; // back in progress after an undone Complete: its note, to edit and send again
  const complete = el("button", { type: "submit", class: "primary", "data-testid": "complete-encounter" }, "Complete");
  const form = el("form", { class: "complete-form" },
    el("label", { for: noteId }, "Short note (optional)"), note, complete);

  start.addEventListener("click", () => {
    run(start, alertNode, send("start_encounter", { encounter_id: e.encounter_id }), "Starting…");
  });
  notHere.addEventListener("click", () => {
    run(notHere, alertNode, send("not_here", { encounter_id: e.encounter_id }), "Sending back…");
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run(complete, alertNode, send("complete_encounter", { encounter_id: e.encounter_id, note: note.value }),
      "Completing…");
  });
  const [who, ...about] = cardParts();
  return el("li", { class: "encounter mine-card" },
    who,
    el("p", { class: "state" }),
    ...about,
    el("div", { class: "button-row called-actions" }, start, notHere),
    form,
    alertNode,
    makeUndo(e, send));
}

// ---- Waiting -----------------------------------------------------------------------

function renderWaiting(waiting, goals, busyWith, closed) {
  setText($("waiting-count"), waiting.length);
  show($("waiting-empty"), waiting.length === 0);
  // One encounter at a time: say why Call is off instead of letting the server refuse.
  show($("busy-note"), Boolean(busyWith) && waiting.length > 0);
  setText($("busy-note"), busyWith
    ? "You are with " + busyWith.name + ": complete that encounter or send them back before calling someone else."
    : "");
  syncList($("waiting-list"), waiting, (e) => e.encounter_id, makeWaitingCard, (card, e, index) => {
    fillCard(card, e, goals);
    setText(card.querySelector(".position"), index + 1);
    setText(card.querySelector(".waited"), closed ? "Not seen" : "Waiting " + duration(nowSeconds() - e.queued_at));
    show(card.querySelector(".button-row"), !closed); // nobody can be called once the session has closed
    setText(card.querySelector(".returns"), e.returns === 0 ? ""
      : "Back in the queue " + (e.returns === 1 ? "once" : e.returns + " times"));
    show(card.querySelector(".flag"), e.in_top_topic);
    const call = card.querySelector("[data-testid=call]");
    setDisabled(call, Boolean(busyWith));
    call.setAttribute("aria-label", "Call " + e.name);
    card.querySelector("[data-testid=skip]").setAttribute("aria-label", "Skip " + e.name + " for now");
    fillUndo(card.querySelector(".undo-box"), e, nowSeconds());
  });
}

function makeWaitingCard(e) {
  const alertNode = el("p", { class: "error", role: "alert" });
  const call = el("button", { type: "button", class: "primary", "data-testid": "call", "aria-describedby": "busy-note" },
    "Call");
  const skip = el("button", { type: "button", "data-testid": "skip" }, "Skip");
  // With no room yet, Call asks for it right here; Call again (or Enter) sends it.
  const askId = "room-ask-" + e.encounter_id;
  const ask = el("input", { id: askId, class: "room-ask-input", maxlength: "40", autocomplete: "off",
    placeholder: "e.g. Exam room 2" });
  const asking = el("form", { class: "room-ask" },
    el("label", { for: askId }, "Your room (asked once, remembered on this device)"), ask);
  asking.hidden = true;
  asking.addEventListener("submit", (event) => {
    event.preventDefault();
    call.click();
  });
  call.addEventListener("click", () => {
    if (!room && ask.value.trim()) setRoom(ask.value);
    if (!room) {
      show(asking, true);
      ask.focus();
      setText(alertNode, "Which room should they come to? Type it, then Call again.");
      return;
    }
    show(asking, false);
    run(call, alertNode, send("call_participant", { encounter_id: e.encounter_id, room }), "Calling…");
  });
  skip.addEventListener("click", () => {
    run(skip, alertNode, send("skip_encounter", { encounter_id: e.encounter_id }), "Skipping…");
  });
  const [who, ...about] = cardParts();
  return el("li", { class: "encounter" },
    el("div", { class: "card-head" },
      el("span", { class: "position", "aria-hidden": "true" }), who,
      el("span", { class: "waited" }), el("span", { class: "returns subtle" })),
    el("p", { class: "flag" }, el("span", { "aria-hidden": "true" }, "⚑ "),
      "In their top topic now — consider later"),
    ...about,
    asking,
    el("div", { class: "button-row" }, call, skip),
    alertNode,
    makeUndo(e, send));
}

// ---- Others and completed ----------------------------------------------------------

function renderOthers(others) {
  show($("others-empty"), others.length === 0);
  syncList($("others-list"), others, (e) => e.encounter_id, () => el("li", {}), (row, e) => {
    row.dataset.encounterId = e.encounter_id;
    const where = e.room ? ", " + e.room : "";
    const state = e.status === "called"
      ? "called at " + clockTime(e.called_at)
      : "in progress since " + clockTime(e.started_at) + " (" + duration(nowSeconds() - e.started_at) + ")";
    setText(row, e.name + " — with " + e.clinician_name + where + ": " + state);
  });
}

function renderCompleted(completed) {
  const latest = [...completed].sort((a, b) => b.ended_at - a.ended_at);
  setText($("completed-count"), completed.length);
  show($("completed-empty"), completed.length === 0);
  syncList($("completed-list"), latest, (e) => e.encounter_id,
    (e) => el("li", {}, el("h3", { class: "who" }), el("p", { class: "times" }), el("p", { class: "note-text" }),
      makeUndo(e, send)),
    (row, e) => {
      row.dataset.encounterId = e.encounter_id;
      setText(row.querySelector(".who"), e.name);
      const by = e.clinician_id === me ? "you" : e.clinician_name;
      setText(row.querySelector(".times"), clockTime(e.started_at) + "–" + clockTime(e.ended_at) + " · " +
        duration(e.ended_at - e.started_at) + " · with " + by);
      setText(row.querySelector(".note-text"), e.note ? "Note: " + e.note : "No note");
      fillUndo(row.querySelector(".undo-box"), e, nowSeconds());
    });
}

// Someone who left the session, or was checked in by mistake, leaves the queue unseen: said, not lost.
function renderWithdrawn(withdrawn) {
  show($("withdrawn-heading"), withdrawn.length > 0);
  setText($("withdrawn-count"), withdrawn.length);
  syncList($("withdrawn-list"), withdrawn, (e) => e.encounter_id, () => el("li", {}), (row, e) => {
    row.dataset.encounterId = e.encounter_id;
    setText(row, e.name + " — withdrawn: " + (REASONS[e.withdrawn_reason] || "left the queue"));
  });
}
