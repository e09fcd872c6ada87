// Correcting the roster, one person at a time, in a row opened under theirs: a new name (a typo, a
// look-alike: the server's refusal shows next to the field), left early, checked in by mistake or
// back again, and letting them back in on a new or wiped device (a one-time code, in a new tab).
import { el, setText, show } from "/static/common/patch.js";
import { run } from "../staff.js";

let channel = null;
let redraw = null; // draws the people table again (people.js)
let open = null; // the participant whose corrections are open

export const editorId = (participantId) => "correct-" + participantId;
export const isOpen = (participantId) => open === participantId;
export const keyOf = (item) => (item.editorFor ? "correct-" + item.editorFor.id : item.id);

export function toggle(participantId) {
  open = open === participantId ? null : participantId;
}

// The people's rows, with the open person's corrections right after their row (closed when their
// row folds away).
export function withEditor(people) {
  if (!people.some((p) => p.id === open)) open = null;
  return people.flatMap((p) => (p.id === open ? [p, { editorFor: p }] : [p]));
}

export function makeEditor(item) {
  const id = item.editorFor.id;
  const nameInput = el("input", { class: "rename-input", id: "rename-" + id, maxlength: "40", autocomplete: "off",
    required: true, "aria-describedby": "rename-error-" + id });
  const nameError = el("p", { class: "error", role: "alert", id: "rename-error-" + id });
  const renameForm = el("form", { class: "rename-form" },
    el("label", { for: "rename-" + id, class: "rename-label" }),
    el("div", { class: "field-row" }, nameInput, el("button", { type: "submit", class: "rename-submit" }, "Rename")),
    nameError);
  const statusError = el("p", { class: "error", role: "alert" });
  const mark = (status, text) => {
    const button = el("button", { type: "button", class: "mark-button", "data-status": status, "data-text": text }, text);
    button.addEventListener("click", () => {
      run(button, statusError, channel.send("mark_participant", { participant_id: id, status })).then((ok) => {
        // Someone marked a mistake folds away with their row: focus goes to what shows them again.
        if (ok && !button.isConnected) document.getElementById("show-mistakes").focus();
      });
    });
    return button;
  };
  const backIn = el("button", { type: "submit", form: "back-in-form", name: "participant_id", value: id,
    class: "back-in-button" }, "Let back in on a device", el("span", { class: "visually-hidden" }, " (opens a code in a new tab)"));
  const close = el("button", { type: "button", class: "close-button" }, "Done");
  close.addEventListener("click", () => {
    toggle(id);
    const toggleButton = document.querySelector(`[aria-controls="${editorId(id)}"]`);
    if (toggleButton) toggleButton.focus();
    redraw();
  });
  renameForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const name = nameInput.value;
    const args = { participant_id: id, display_name: name };
    run(renameForm.querySelector(".rename-submit"), nameError, channel.send("rename_participant", args)).then((ok) => {
      nameInput.setAttribute("aria-invalid", String(!ok));
      if (ok) nameInput.dataset.edited = "";
    });
  });
  nameInput.addEventListener("input", () => {
    nameInput.dataset.edited = "true";
    nameInput.removeAttribute("aria-invalid");
  });
  const cell = el("td", { colspan: "7" },
    el("div", { class: "corrections", role: "group", "aria-labelledby": "correct-title-" + id },
      el("p", { class: "corrections-title", id: "correct-title-" + id }),
      renameForm,
      el("div", { class: "button-row mark-row" },
        mark("left", "Left early"), mark("mistake", "Checked in by mistake"), mark("present", "Back (here again)")),
      el("p", { class: "subtle mark-hint" }),
      statusError,
      el("div", { class: "button-row" }, backIn, close)));
  return el("tr", { class: "corrections-row", id: editorId(id) }, cell);
}

const HINT = {
  present: "“Checked in by mistake” takes them off every count and closes their screen.",
  left: "They left early: still counted as having taken part, not as here now.",
  mistake: "Checked in by mistake: counted nowhere. “Back” brings them back (they vote again, and need letting back in on a device).",
};

export function updateEditor(row, person, view) {
  const closed = view.session.phase === "closed";
  setText(row.querySelector(".corrections-title"), "Correct " + person.name);
  const input = row.querySelector(".rename-input");
  setText(row.querySelector(".rename-label"), "New name for " + person.name);
  // The field holds the current name until the facilitator starts changing it.
  if (document.activeElement !== input && !input.dataset.edited) input.value = person.name;
  show(row.querySelector(".rename-form"), !closed && person.status !== "mistake");
  for (const button of row.querySelectorAll(".mark-button")) {
    const status = button.dataset.status;
    show(button, !closed && (status === "present" ? person.status !== "present" : person.status === "present"));
    button.setAttribute("aria-label", button.dataset.text + ": " + person.name);
  }
  setText(row.querySelector(".mark-hint"), closed ? "" : HINT[person.status]);
  show(row.querySelector(".back-in-button"), !closed && person.status !== "mistake");
}

export function wire(liveChannel, drawAgain) {
  channel = liveChannel;
  redraw = drawAgain;
}
