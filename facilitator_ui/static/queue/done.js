// Who has been seen (latest first, with an Undo for a mistaken Complete) and who left the queue unseen.
import { clockTime } from "/static/common/live.js";
import { el, setText, show, syncList } from "/static/common/patch.js";
import { duration } from "../staff.js";
import { fillUndo, makeUndo } from "../undo.js";

const $ = (id) => document.getElementById(id);
const REASONS = {
  left: "withdrawn: left the session", mistake: "withdrawn: checked in by mistake",
  not_needed: "withdrawn: said they don't need it today",
  // Still waiting at close: why they were not seen today (domain/lifecycle.py).
  out_of_time: "not seen today: ran out of time", skipped: "not seen today: skipped",
  not_here_twice: "not seen today: not here when called, twice",
};

export function render(view, screen) {
  renderCompleted(view.queue.completed, screen);
  renderWithdrawn(view.queue.withdrawn);
}

function renderCompleted(completed, screen) {
  const latest = [...completed].sort((a, b) => b.ended_at - a.ended_at);
  const now = screen.now();
  setText($("completed-count"), completed.length);
  show($("completed-empty"), completed.length === 0);
  syncList($("completed-list"), latest, (e) => e.encounter_id,
    (e) => el("li", {}, el("h3", { class: "who" }), el("p", { class: "times" }), el("p", { class: "note-text" }),
      makeUndo(e, screen.send)),
    (row, e) => {
      row.dataset.encounterId = e.encounter_id;
      setText(row.querySelector(".who"), e.name);
      const by = e.clinician_id === screen.me ? "you" : e.clinician_name;
      setText(row.querySelector(".times"), clockTime(e.started_at) + "–" + clockTime(e.ended_at) + " · " +
        duration(e.ended_at - e.started_at) + " · with " + by);
      setText(row.querySelector(".note-text"), e.note ? "Note: " + e.note : "No note");
      fillUndo(row.querySelector(".undo-box"), e, now);
    });
}

// Someone who left the session, was checked in by mistake, or was still waiting at close: unseen, said, not lost.
function renderWithdrawn(withdrawn) {
  show($("withdrawn-heading"), withdrawn.length > 0);
  setText($("withdrawn-count"), withdrawn.length);
  syncList($("withdrawn-list"), withdrawn, (e) => e.encounter_id,
    () => el("li", {}, el("span", { class: "why" }), el("p", { class: "request subtle" })), (row, e) => {
      row.dataset.encounterId = e.encounter_id;
      setText(row.querySelector(".why"), e.name + " — " + (REASONS[e.withdrawn_reason] || "withdrawn: left the queue"));
      // What they wanted to talk about: for the follow-up call someone not seen today is owed.
      setText(row.querySelector(".request"), e.request ? "Wanted to talk about: " + e.request : "");
    });
}
