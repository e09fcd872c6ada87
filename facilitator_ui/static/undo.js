// Undo: a button on the encounter this staff member just moved (called, started, completed, sent back or
// skipped), shown while the server still allows it. The view says until when (`undo_until`, server
// seconds); the countdown runs on the server's clock (the channel's offset), like every timer here.
import { el, setText, show } from "/static/common/patch.js";
import { run, setLabel } from "./staff.js";

const MOVE = { call: "call", start: "start", complete: "Complete", not_here: "“not here”", skip: "skip" };

// An Undo button and its alert for encounter `e`, hidden until `fillUndo` finds it undoable.
export function makeUndo(e, send) {
  const button = el("button", { type: "button", class: "undo", "data-testid": "undo" }, "Undo");
  const alertNode = el("p", { class: "error", role: "alert" });
  button.addEventListener("click", () => {
    run(button, alertNode, send("undo_encounter", { encounter_id: e.encounter_id }), "Undoing…");
  });
  const box = el("div", { class: "undo-box" }, button, alertNode);
  box.hidden = true;
  return box;
}

function left(seconds) {
  const whole = Math.max(0, Math.ceil(seconds));
  return Math.floor(whole / 60) + ":" + String(whole % 60).padStart(2, "0");
}

// Shows the Undo of `box` while `e` can still be undone by this viewer at `now` (server seconds).
export function fillUndo(box, e, now) {
  const remaining = e.undo_action ? e.undo_until - now : 0;
  const button = box.querySelector("button");
  show(box, remaining > 0);
  if (remaining <= 0) return;
  setLabel(button, "Undo " + MOVE[e.undo_action] + " (" + left(remaining) + ")");
  button.setAttribute("aria-label", "Undo " + MOVE[e.undo_action] + " for " + e.name + ", " +
    left(remaining) + " left");
}
