// What every part of the participant's screen shares: the live channel and its state, which
// commands the phase allows, and the forms' helpers. Forms live in the page and are never rebuilt;
// a form someone has touched is theirs ("dirty"), and live updates stop refilling it.
import { setText } from "/static/common/patch.js";
import { _, fill, ngettext } from "./i18n.js";
import { showRefusal } from "./refusals.js";

const $ = (id) => document.getElementById(id);

// Set by participant.js: the channel, its connection state, and how to redraw the whole screen.
export const live = { channel: null, connection: "connecting", renderAll() {} };

const OPEN = ["check_in", "agenda", "discussion", "goals", "wrap_up"];
// The phases in which the server accepts each command (groupvisit/domain/commands/).
const ALLOWED = {
  record_numbers: OPEN,
  request_visit: OPEN,
  withdraw_request: OPEN,
  propose_topic: ["check_in", "agenda"],
  cast_vote: ["agenda"],
  retract_vote: ["agenda"],
  room_vote: ["discussion"],
  capture_strategy: OPEN,
  mark_helpful: OPEN,
  mark_tried: OPEN,
  give_follow_up: OPEN,
  set_goal: ["goals", "wrap_up"],
  share_goal: ["goals", "wrap_up"],
  give_evaluation: ["wrap_up"],
};

export function can(view, command) {
  if (live.connection === "ended" || live.connection === "refused") return false;
  return ALLOWED[command].includes(view.session.phase);
}

// A button that is sending keeps its pending look whatever the view says meanwhile.
export function setDisabled(control, disabled) {
  if (!control.dataset.pending) control.disabled = disabled;
}

// For states a person can still focus and ask about (no votes left, already marked).
export function setAriaDisabled(button, disabled, why) {
  if (disabled) {
    button.setAttribute("aria-disabled", "true");
    button.dataset.why = why;
  } else {
    button.removeAttribute("aria-disabled");
    delete button.dataset.why;
  }
}

// Every control of a form on or off by phase. (Its submit button starts off in the
// page itself, so nothing can be sent, even by Enter, before the first view arrives.)
export function gateForm(form, allowed) {
  for (const control of form.elements) {
    if (control.tagName !== "FIELDSET") setDisabled(control, !allowed);
  }
}

export function isDirty(form) {
  return form.dataset.dirty === "true";
}

// What a form holds now, to tell later whether the person changed it after sending it.
export function contents(form) {
  const ticked = (control) => control.type === "checkbox" || control.type === "radio";
  return JSON.stringify(Array.from(form.elements, (control) => (ticked(control) ? control.checked : control.value)));
}

// After a form was sent (`sent` is its contents then), the view fills it again, unless the person
// changed it meanwhile (a command waits while the connection is down, and the form stays open).
export function settle(form, sent) {
  if (contents(form) === sent) delete form.dataset.dirty;
}

export function updateCount(field) {
  const counter = $(field.dataset.count);
  const limit = Number(field.getAttribute("maxlength"));
  const left = limit - field.value.length;
  // Only near the limit: a counter from the first letter is noise.
  setText(counter, left <= Math.max(20, limit * 0.2)
    ? fill(ngettext("%(count)s character left", "%(count)s characters left", left), { count: left }) : "");
}

export function setValue(field, value) {
  field.value = value === null || value === undefined ? "" : String(value);
  if (field.dataset.count) updateCount(field);
}

// Sends a message typed into `form` (a topic, a strategy). On success the form is emptied for the
// next one, unless the person changed it while it was being sent (a command waits while the
// connection is down, and the form stays open to typing).
export function sendMessage(form, button, errorBox, name, args) {
  const sent = contents(form);
  return send(button, errorBox, name, args).then((ok) => {
    if (!ok || contents(form) !== sent) return;
    form.reset();
    for (const field of form.querySelectorAll("[data-count]")) updateCount(field);
    delete form.dataset.dirty;
  });
}

export function checkRadio(form, name, value) {
  for (const radio of form.querySelectorAll(`input[name="${name}"]`)) {
    radio.checked = value !== null && value !== undefined && radio.value === String(value);
  }
}

export function checkedValue(form, name) {
  const radio = form.querySelector(`input[name="${name}"]:checked`);
  return radio ? radio.value : null;
}

// Sends a command from `button`: disabled and "Sending…" until the server answers;
// a refusal is shown in `errorBox`, next to the control used. Resolves true on success.
export function send(button, errorBox, name, args) {
  if (button.dataset.pending) return Promise.resolve(false);
  const hadFocus = document.activeElement === button;
  const label = Array.from(button.childNodes);
  button.dataset.pending = "true";
  button.disabled = true;
  button.textContent = _("Sending…");
  errorBox.textContent = "";
  return live.channel.send(name, args)
    .then(() => true, (error) => {
      showRefusal(errorBox, name, error);
      return false;
    })
    .finally(() => {
      delete button.dataset.pending;
      button.replaceChildren(...label);
      button.disabled = false;
      live.renderAll(); // re-applies what the view says about this button
      // Disabling the button dropped focus to the page: give it back, unless the person has
      // moved on to something else meanwhile.
      const lost = document.activeElement === null || document.activeElement === document.body;
      if (hadFocus && lost && button.isConnected && !button.disabled) button.focus({ preventScroll: true });
    });
}

// A form someone has touched is theirs: live updates stop refilling it.
export function wireForms() {
  for (const form of document.querySelectorAll("main form")) {
    form.addEventListener("input", () => {
      form.dataset.dirty = "true";
    });
  }
  for (const field of document.querySelectorAll("[data-count]")) {
    field.addEventListener("input", () => updateCount(field));
  }
}
