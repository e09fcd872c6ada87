// The clinician's say in the plan, on the queue screen: the "On duty" card (join the plan, leave at a time,
// leave now) and, on each waiting patient's row, "Move up" and their own minutes. Rendered on every view and
// every second like the rest of the queue: a field someone has typed in keeps what they typed, and what the
// view says fills it only while it still shows what the view said last.
import { clockTime } from "/static/common/live.js";
import { el, setText, show } from "/static/common/patch.js";
import { run, setDisabled, setLabel } from "./staff.js";

const $ = (id) => document.getElementById(id);

let channel = null; // set at the first render: the page's live channel

// Fills `input` with `value` from the view unless someone has typed something else there (or is typing).
function offer(input, value) {
  const shown = input.dataset.shown ?? "";
  if (input.value === shown && document.activeElement !== input && input.value !== value) input.value = value;
  input.dataset.shown = value;
}

// "HH:MM" of `seconds` (server seconds) in this device's time, as an <input type=time> holds it.
function timeValue(seconds) {
  const at = new Date(seconds * 1000);
  return String(at.getHours()).padStart(2, "0") + ":" + String(at.getMinutes()).padStart(2, "0");
}

// The server seconds of "HH:MM" today (on the server's clock), or null for an empty field.
function secondsOf(value) {
  const match = /^(\d{1,2}):(\d{2})/.exec(value);
  if (!match) return null;
  const at = new Date(channel.serverNow());
  at.setHours(Number(match[1]), Number(match[2]), 0, 0);
  return at.getTime() / 1000;
}

// ---- The "On duty" card ------------------------------------------------------------

function wireCard() {
  const alertNode = $("duty-error");
  $("duty-join").addEventListener("click", () => {
    run($("duty-join"), alertNode, channel.send("go_on_duty", { until: null }), "Joining…");
  });
  $("duty-leave-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const until = secondsOf($("duty-until").value);
    if (until === null) {
      setText(alertNode, "Type the time you leave first (for example 11:30).");
      $("duty-until").focus();
      return;
    }
    run($("duty-leave-at"), alertNode, channel.send("go_on_duty", { until }), "Saving…");
  });
  $("duty-leave-now").addEventListener("click", () => {
    run($("duty-leave-now"), alertNode, channel.send("go_off_duty", {}), "Leaving…");
  });
}

function renderCard(view, closed) {
  const mine = view.queue.plan.clinicians.find((c) => c.clinician_id === view.viewer.id);
  const lane = mine ? mine.encounter_ids.length : 0;
  let state = "You are not in the plan: join it to be given patients.";
  if (mine) {
    state = "You are in the plan " + (mine.until === null ? "to the end" : "until " + clockTime(mine.until)) +
      (mine.on_duty_since === null ? "" : ", since " + clockTime(mine.on_duty_since)) + ": " +
      (lane === 1 ? "1 patient" : lane + " patients") + " planned for you.";
  }
  if (closed) state = "The session has closed.";
  setText($("duty-state"), state);
  const join = $("duty-join");
  show(join, !closed && (!mine || mine.until !== null));
  setLabel(join, mine ? "Stay to the end" : "Join the plan");
  show($("duty-leave-form"), !closed);
  setLabel($("duty-leave-at"), mine ? "Leave at this time" : "Join, leaving at this time");
  offer($("duty-until"), mine && mine.until !== null ? timeValue(mine.until) : "");
  show($("duty-leave-now"), !closed && Boolean(mine));
}

// ---- Each waiting patient: move up, and their minutes ---------------------------------

function makeRow(e) {
  const alertNode = el("p", { class: "error", role: "alert" });
  const moveUp = el("button", { type: "button", class: "move-up", "data-testid": "move-up" }, "Move up");
  const minutesId = "minutes-" + e.encounter_id;
  const minutes = el("input", { id: minutesId, class: "minutes-input", type: "number", min: "1", max: "60",
    step: "0.5", inputmode: "decimal", "data-testid": "minutes" });
  const set = el("button", { type: "submit", "data-testid": "set-minutes" }, "Set");
  // No browser check: the server's refusal names what was wrong ("minutes must be between 1 and 60, not 0").
  const form = el("form", { class: "minutes-form", novalidate: true },
    el("label", { for: minutesId }, "Minutes"), " ", minutes, " ", set);
  moveUp.addEventListener("click", () => {
    run(moveUp, alertNode, channel.send("move_up", { encounter_id: e.encounter_id }), "Moving up…");
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (minutes.validity.badInput) { // not a number: the field's value reads as empty, which would clear it
      setText(alertNode, "Type the minutes as a number, for example 10.");
      return;
    }
    const typed = minutes.value.trim();
    const value = typed === "" ? null : Number(typed); // empty: back to the session's estimate
    run(set, alertNode, channel.send("set_estimate", { encounter_id: e.encounter_id, minutes: value }), "Setting…")
      .then((done) => {
        if (done) minutes.dataset.shown = minutes.value; // what the view will say now
      });
  });
  return el("div", { class: "duty-row" },
    el("p", { class: "moved-note subtle" }),
    el("div", { class: "button-row" }, moveUp, form),
    alertNode);
}

function fillRow(row, e, defaultMinutes, first) {
  const moved = row.querySelector(".moved-note");
  setText(moved, e.moved_up ? "Moved up by a clinician" : "");
  show(moved, e.moved_up);
  const moveUp = row.querySelector(".move-up");
  setDisabled(moveUp, first);
  moveUp.setAttribute("aria-label", "Move " + e.name + " up");
  const minutes = row.querySelector(".minutes-input");
  minutes.placeholder = String(Math.round(defaultMinutes * 10) / 10);
  offer(minutes, e.estimate_minutes === null ? "" : String(e.estimate_minutes));
  row.querySelector("[data-testid=set-minutes]").setAttribute("aria-label", "Set the minutes for " + e.name);
}

// Adds the controls to each row of the waiting list (once per row: a row keeps them as it is patched).
function renderRows(view, closed) {
  const waiting = new Map(view.queue.waiting.map((e) => [e.encounter_id, e]));
  const defaultMinutes = view.queue.plan.minutes_per_patient;
  const firstId = view.queue.waiting.length ? view.queue.waiting[0].encounter_id : null;
  for (const item of $("waiting-list").children) {
    const e = waiting.get(item.dataset.encounterId);
    if (!e) continue;
    let row = item.querySelector(":scope > .duty-row");
    if (!row) row = item.appendChild(makeRow(e));
    show(row, !closed);
    fillRow(row, e, defaultMinutes, e.encounter_id === firstId);
  }
}

export function renderDuty(view, liveChannel) {
  if (!channel) {
    channel = liveChannel;
    wireCard();
  }
  const closed = view.session.phase === "closed";
  renderCard(view, closed);
  renderRows(view, closed);
}
