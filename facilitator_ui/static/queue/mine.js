// The clinician's own encounter, pinned on top: called → started → completed (or sent back), with its note.
import { clockTime } from "/static/common/live.js";
import { el, setText, show, syncList } from "/static/common/patch.js";
import { duration, run } from "../staff.js";
import { fillUndo, makeUndo } from "../undo.js";
import { cardParts, fillCard, goalsOf } from "./card.js";

const $ = (id) => document.getElementById(id);

export function render(view, screen) {
  const mine = view.queue.active.filter((e) => e.clinician_id === screen.me);
  const now = screen.now();
  show($("mine-panel"), view.session.phase !== "closed" || mine.length > 0);
  show($("mine-empty"), mine.length === 0);
  const goals = goalsOf(view);
  syncList($("mine-list"), mine, (e) => e.encounter_id, (e) => makeMineCard(e, screen.send), (card, e) => {
    fillCard(card, e, goals);
    const called = e.status === "called";
    const where = e.room ? " to " + e.room : "";
    setText(card.querySelector(".state"), called
      ? "Called" + where + " at " + clockTime(e.called_at) + " — " + duration(now - e.called_at) + " ago"
      : "In progress since " + clockTime(e.started_at) + " — " + duration(now - e.started_at));
    show(card.querySelector(".called-actions"), called);
    show(card.querySelector(".complete-form"), !called);
    fillUndo(card.querySelector(".undo-box"), e, now);
  });
}

function makeMineCard(e, send) {
  const alertNode = el("p", { class: "error", role: "alert" });
  const start = el("button", { type: "button", class: "primary", "data-testid": "start-encounter" }, "Start");
  const notHere = el("button", { type: "button", "data-testid": "not-here" }, "Not here: back in the queue");
  const noteId = "note-" + e.encounter_id;
  const note = el("textarea", { id: noteId, class: "note", rows: "3", maxlength: "1000" });
  note.value = e.note; // back in progress after an undone Complete: its note, to edit and send again
  // Apart from the note: this one the patient reads, on their screen and their take-home summary.
  const instructionId = "instruction-" + e.encounter_id;
  const instruction = el("textarea", { id: instructionId, class: "instruction", rows: "3", maxlength: "1000",
    "data-testid": "instruction" });
  instruction.value = e.instruction;
  const complete = el("button", { type: "submit", class: "primary", "data-testid": "complete-encounter" }, "Complete");
  const form = el("form", { class: "complete-form" },
    el("label", { for: noteId }, "Short note (optional)"), note,
    el("label", { for: instructionId }, "For the patient to remember (they see this)"), instruction, complete);

  start.addEventListener("click", () => {
    run(start, alertNode, send("start_encounter", { encounter_id: e.encounter_id }), "Starting…");
  });
  notHere.addEventListener("click", () => {
    run(notHere, alertNode, send("not_here", { encounter_id: e.encounter_id }), "Sending back…");
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run(complete, alertNode, send("complete_encounter",
      { encounter_id: e.encounter_id, note: note.value, instruction: instruction.value }),
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
