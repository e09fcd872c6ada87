// The one-on-one visits at a glance: whether everyone fits the session, who is with a clinician, who waits
// (how long, and when and with whom they are expected to be called), who is done; the facilitator can skip
// someone for now, and undo that skip for a short while. No flags on numbers here: those are the queue's.
import { clockTime } from "/static/common/live.js";
import { el, setText, show, syncList } from "/static/common/patch.js";
import { expectedText, liveSlots, renderFit } from "../plan.js";
import { duration, run } from "../staff.js";
import { fillUndo, makeUndo } from "../undo.js";

const $ = (id) => document.getElementById(id);
let channel = null;

export function render(view) {
  const { waiting, active, completed } = view.queue;
  setText($("active-count"), active.length);
  setText($("waiting-count"), waiting.length);
  setText($("completed-count"), completed.length);
  syncList($("queue-active"), active, (e) => e.encounter_id, () => el("li", {}), (row, e) => {
    row.dataset.encounterId = e.encounter_id;
    const where = e.room ? ", " + e.room : "";
    const when = e.status === "called" ? "called " + clockTime(e.called_at) : "since " + clockTime(e.started_at);
    setText(row, e.name + " — with " + e.clinician_name + where + " (" + when + ")");
  });
  const closed = view.session.phase === "closed";
  syncList($("queue-waiting"), waiting, (e) => e.encounter_id, makeWaitingRow, (row, e) => {
    row.dataset.encounterId = e.encounter_id;
    row.dataset.closed = String(closed);
    show(row.querySelector(".skip-button"), !closed);
    row.dataset.queuedAt = e.queued_at;
    setText(row.querySelector(".who"), e.name);
    setText(row.querySelector(".flag"), e.in_top_topic ? "In their top topic now" : "");
    row.querySelector(".skip-button").setAttribute("aria-label", "Skip " + e.name + " for now");
  });
  const done = [...completed].sort((a, b) => b.ended_at - a.ended_at);
  syncList($("queue-completed"), done, (e) => e.encounter_id, () => el("li", {}), (row, e) => {
    row.dataset.encounterId = e.encounter_id;
    setText(row, e.name + " — " + e.clinician_name + ", " + clockTime(e.started_at) + "–" + clockTime(e.ended_at));
  });
  tick(view);
}

function makeWaitingRow(e) {
  const alertNode = el("p", { class: "error", role: "alert" });
  const skip = el("button", { type: "button", class: "skip-button small" }, "Skip");
  skip.addEventListener("click", () => {
    run(skip, alertNode, channel.send("skip_encounter", { encounter_id: e.encounter_id }));
  });
  return el("li", {},
    el("span", { class: "who" }), " ", el("span", { class: "waited subtle" }), " ",
    el("span", { class: "expected", "data-testid": "expected" }),
    el("span", { class: "flag" }), skip, alertNode, makeUndo(e, (name, args) => channel.send(name, args)));
}

// Every second: whether everyone fits, how long each person has waited and when they are expected (the plan
// slips on the screen's clock between events), and how long a skip of theirs can still be undone.
export function tick(view) {
  const now = channel.serverNow() / 1000;
  renderFit(view, now);
  const slots = liveSlots(view.queue.plan, now);
  const waiting = new Map(view.queue.waiting.map((e) => [e.encounter_id, e]));
  for (const row of $("queue-waiting").children) {
    const closed = row.dataset.closed === "true";
    setText(row.querySelector(".waited"), closed ? "not seen" : "waiting " + duration(now - Number(row.dataset.queuedAt)));
    const slot = slots.get(row.dataset.encounterId);
    setText(row.querySelector(".expected"), closed ? "" : (slot ? "expected " : "") + expectedText(slot, now, null));
    row.querySelector(".expected").dataset.planned = String(Boolean(slot));
    const e = waiting.get(row.dataset.encounterId);
    if (e) fillUndo(row.querySelector(".undo-box"), e, now);
  }
}

export function wire(liveChannel) {
  channel = liveChannel;
}
