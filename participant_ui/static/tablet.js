// A shared clinic tablet forgets its patient after `idleSeconds` without a touch or key (the server
// ends the device's credential then too). A minute before, it asks; "I'm still here" or any touch
// keeps the person, and no answer or "I'm done" wipes the device. A personal phone never asks.
import { setText } from "/static/common/patch.js";
import { fill, ngettext } from "./i18n.js";
import { live } from "./forms.js";
import { wipe } from "./wrapup.js";

const $ = (id) => document.getElementById(id);
const IDLE_WARNING_SECONDS = 60; // how long a shared tablet asks "Are you still here?" before it forgets
const IDLE_ANNOUNCE_AT = [30, 10]; // seconds left when the countdown is read out again

export function watchIdle(idleSeconds) {
  const dialog = $("idle-dialog");
  const warnFor = Math.min(IDLE_WARNING_SECONDS, idleSeconds / 2);
  let lastInput = Date.now();
  let announced = Infinity; // the last second read out, so each is said once

  function stay() {
    lastInput = Date.now();
    announced = Infinity;
    if (dialog.open) dialog.close();
  }

  function check() {
    const left = Math.ceil(idleSeconds - (Date.now() - lastInput) / 1000);
    if (left > warnFor) return;
    if (left <= 0) {
      wipe();
      return;
    }
    const text = fill(ngettext("The screen clears in %(count)s second.", "The screen clears in %(count)s seconds.",
      left), { count: left });
    setText($("idle-countdown"), text);
    if (!dialog.open) {
      dialog.showModal(); // its title, text and countdown are read out as it opens
      $("idle-stay").focus();
      announced = left;
    }
    const due = IDLE_ANNOUNCE_AT.find((at) => left <= at && announced > at);
    if (due !== undefined) {
      setText($("idle-announce"), text);
      announced = left;
    }
  }

  for (const kind of ["pointerdown", "keydown", "wheel"]) {
    document.addEventListener(kind, (event) => {
      // Inside the question only its buttons (or Escape) answer it: Tab must move between them.
      if (dialog.open && event.target !== dialog && dialog.contains(event.target)) return;
      stay();
    }, { passive: true, capture: true });
  }
  $("idle-stay").addEventListener("click", (event) => {
    stay();
    // A click with no pointer behind it (a screen reader's) may have come with nothing live.js saw.
    if (event.detail === 0) live.channel.reportActivity();
  });
  $("idle-leave").addEventListener("click", wipe);
  dialog.addEventListener("cancel", (event) => { // Escape
    event.preventDefault();
    stay();
  });
  window.setInterval(check, 1000);
}
