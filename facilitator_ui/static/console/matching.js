// Who is who on the cohort's roster: each check-in matched to an enrolled patient (a suggestion by name
// confirmed in one click, or a pick from the whole roster), or marked "not on the roster" (a guest, who can
// be added to the roster on a page of its own). A patient never sees this list: matching is the
// facilitator's, so a shared tablet's check-in is matched as easily as a phone's.
import { el, setText, show, syncList, syncOptions } from "/static/common/patch.js";
import { plural, run } from "../staff.js";

const $ = (id) => document.getElementById(id);
const CHOOSE = "choose"; // the menu's first line: nothing picked yet
const GUEST = "guest"; // "not on the roster": sent as an empty patient id
let channel = null;
const changing = new Set(); // matched people whose match the facilitator opened to change
let refocus = null; // the person just matched: focus goes to their "Change" once their row shows the match

export function render(view) {
  const roster = view.roster;
  show($("roster-panel"), Array.isArray(roster));
  if (!Array.isArray(roster)) return;
  const people = view.people.filter((p) => p.status !== "mistake");
  const unmatched = people.filter((p) => p.patient_id === null || p.patient_id === undefined).length;
  setText($("match-count"), !people.length ? "" : unmatched ? ": " + plural(unmatched, "check-in", "check-ins") + " to match"
    : ": everyone matched");
  show($("match-empty"), people.length === 0);
  const closed = view.session.phase === "closed";
  const byId = new Map(roster.map((entry) => [entry.patient_id, entry]));
  const names = new Map(view.people.map((p) => [p.id, p.name]));
  for (const id of [...changing]) if (!people.some((p) => p.id === id)) changing.delete(id);
  syncList($("match-list"), people, (p) => p.id, makeMatchRow,
    (row, person) => updateMatchRow(row, person, { roster, byId, names, closed, session: view.session.id }));
}

function makeMatchRow(person) {
  const id = person.id;
  const error = el("p", { class: "error", role: "alert", id: "match-error-" + id });
  const select = el("select", { id: "match-menu-" + id, class: "match-menu", "aria-describedby": error.id });
  const form = el("form", { class: "match-form" },
    el("label", { for: select.id, class: "match-label" }),
    el("div", { class: "field-row" }, select, el("button", { type: "submit", class: "match-submit" }, "Match")));
  const change = el("button", { type: "button", class: "small link-button change-match" }, "Change");
  const row = el("li", { class: "match" },
    el("p", { class: "match-who" }, el("strong", { class: "match-name" }), " ", el("span", { class: "match-state" }),
      " ", change),
    el("p", { class: "agreement-flag" }, el("span", { "aria-hidden": "true" }, "⚠ "),
      "No confidentiality agreement on file"),
    el("ul", { class: "suggestions" }),
    form,
    el("a", { class: "add-to-roster button small" }),
    error);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (select.value === CHOOSE) {
      setText(error, "Choose someone from the roster, or “Not on the roster”.");
      select.focus();
      return;
    }
    match(form.querySelector(".match-submit"), error, id, select.value === GUEST ? "" : select.value).then((ok) => {
      if (!ok) return;
      changing.delete(id);
      select.value = CHOOSE;
      render(channel.view);
      matched(row, id);
    });
  });
  change.addEventListener("click", () => {
    if (changing.has(id)) changing.delete(id);
    else changing.add(id);
    render(channel.view);
    if (changing.has(id)) select.focus();
    else change.focus();
  });
  return row;
}

function match(button, error, participantId, patientId) {
  return run(button, error, channel.send("match_participant", { participant_id: participantId, patient_id: patientId }));
}

// The control just used goes away with the match (a suggestion, the menu): focus goes to the row's "Change",
// now or when the live update showing the match arrives, unless the facilitator has moved on meanwhile.
function matched(row, id) {
  refocus = id;
  placeFocus(row, id);
}

function placeFocus(row, id) {
  const change = row.querySelector(".change-match");
  if (refocus !== id || change.hidden) return;
  refocus = null;
  if (!document.activeElement || document.activeElement === document.body) change.focus();
}

function entryLabel(entry, names, participantId) {
  const clinic = entry.clinic_name && entry.clinic_name !== entry.display_name ? " — " + entry.clinic_name : "";
  const elsewhere = entry.participant_id && entry.participant_id !== participantId
    ? " (matched to " + (names.get(entry.participant_id) || "someone else") + ")" : "";
  return entry.display_name + clinic + elsewhere;
}

function updateMatchRow(row, person, { roster, byId, names, closed, session }) {
  const id = person.id;
  const patientId = person.patient_id;
  const state = patientId === null || patientId === undefined ? "unmatched" : patientId === "" ? "guest" : "matched";
  row.dataset.match = state;
  setText(row.querySelector(".match-name"), person.name);
  const entry = byId.get(patientId);
  setText(row.querySelector(".match-state"), state === "unmatched" ? "not matched yet"
    : state === "guest" ? "a guest, not on the roster"
      : "is " + (person.roster_name || (entry ? entry.display_name : "on the roster"))
        + (entry && entry.clinic_name && entry.clinic_name !== entry.display_name ? " (" + entry.clinic_name + ")" : "")
        + " on the roster");
  show(row.querySelector(".agreement-flag"), Boolean(person.no_agreement));
  const change = row.querySelector(".change-match");
  const open = state === "unmatched" || changing.has(id);
  show(change, !closed && state !== "unmatched");
  setText(change, changing.has(id) ? "Cancel" : "Change");
  change.setAttribute("aria-expanded", String(changing.has(id)));
  change.setAttribute("aria-label", (changing.has(id) ? "Cancel changing the match of " : "Change the match of ")
    + person.name);

  const suggestions = state === "unmatched" && !closed ? person.suggestions || [] : [];
  syncList(row.querySelector(".suggestions"), suggestions, (s) => s.patient_id, (s) => {
    const button = el("button", { type: "button", class: "confirm-match" });
    const item = el("li", {}, button);
    button.addEventListener("click", () => match(button, row.querySelector(".error"), id, s.patient_id)
      .then((ok) => ok && matched(row, id)));
    return item;
  }, (item, s) => {
    const button = item.querySelector("button");
    const clinic = s.clinic_name && s.clinic_name !== s.display_name ? " (" + s.clinic_name + ")" : "";
    const label = "Confirm: " + s.display_name + clinic;
    if (button.dataset.pending) button.dataset.label = label;
    else setText(button, label);
    button.setAttribute("aria-label", "Confirm " + person.name + " is " + s.display_name + clinic + " on the roster");
  });

  const form = row.querySelector(".match-form");
  show(form, open && !closed);
  setText(form.querySelector(".match-label"), (state === "unmatched" ? "Match " : "Change ") + person.name
    + " to someone on the roster");
  syncOptions(form.querySelector(".match-menu"), [
    { value: CHOOSE, label: "Choose from the roster…" },
    ...roster.map((e) => ({ value: e.patient_id, label: entryLabel(e, names, id) })),
    { value: GUEST, label: "Not on the roster (a guest)" },
  ]);
  const add = row.querySelector(".add-to-roster");
  show(add, state === "guest" && !closed);
  add.setAttribute("href", "/sessions/" + encodeURIComponent(session) + "/enrol/" + encodeURIComponent(id));
  setText(add, "Add " + person.name + " to the roster");
  placeFocus(row, id);
}

export function wire(liveChannel) {
  channel = liveChannel;
}
