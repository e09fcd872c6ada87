// Who is here: the check-in table (with whether each person's device is connected now, and the
// corrections of roster.js under a person's row), and a walk-in checked in by name.
import { el, setText, show, syncList } from "/static/common/patch.js";
import { clearIfSent, plural, run } from "../staff.js";
import * as roster from "./roster.js";

const $ = (id) => document.getElementById(id);
const VISIT_STATUS = {
  waiting: "Waiting",
  called: "Called",
  in_progress: "In visit",
  completed: "Done",
  withdrawn: "Not seen",
};
const MARKED = { left: "left early", mistake: "checked in by mistake" };
let channel = null;
// A refused walk-in name was refused for the roster as it then was (id → name of those taking part):
// once one of them is renamed or marked a mistake, the refusal may no longer apply.
let refusedAgainst = null;

export function render(view) {
  if (refusedAgainst && view.people.some((p) => p.id in refusedAgainst
      && (p.status === "mistake" || p.name !== refusedAgainst[p.id]))) forgetRefusal();
  const closed = view.session.phase === "closed";
  show($("walkin-form"), !closed);
  const { here, took_part: tookPart } = view.attendance;
  setText($("people-count"), here);
  const left = view.people.filter((p) => p.status === "left").length;
  const mistakes = view.people.filter((p) => p.status === "mistake").length;
  setText($("people-gone"), left ? plural(left, "person", "people") + " left early (" + tookPart + " took part)" : "");
  // Mistakes are counted nowhere: folded away unless the facilitator asks to see them (to undo one).
  show($("show-mistakes-label"), mistakes > 0);
  setText($("mistake-count"), mistakes);
  const shown = view.people.filter((p) => p.status !== "mistake" || $("show-mistakes").checked);
  show($("people-empty"), shown.length === 0);
  show($("people-table"), shown.length > 0);
  const connected = new Set(channel.presence || []);
  syncList($("people-rows"), roster.withEditor(shown), roster.keyOf, (item) => (item.editorFor ? roster.makeEditor(item)
    : makePersonRow(item)), (row, item) => {
    if (item.editorFor) roster.updateEditor(row, item.editorFor, view);
    else updatePersonRow(row, item, connected, channel.presence !== null);
  });
}

function makePersonRow(person) {
  const toggle = el("button", { type: "button", class: "small change-button", "aria-expanded": "false",
    "aria-controls": roster.editorId(person.id) }, "Change", el("span", { class: "visually-hidden change-who" }));
  toggle.addEventListener("click", () => {
    roster.toggle(person.id);
    render(channel.view);
  });
  return el("tr", { class: "person" },
    el("th", { scope: "row" }, el("span", { class: "person-name" }), el("span", { class: "person-mark" })),
    el("td", { class: "device" }, el("span", { class: "device-icon", "aria-hidden": "true" }),
      el("span", { class: "device-text" })),
    el("td", { class: "numbers" }), el("td", { class: "visit" }), el("td", { class: "goal" }), el("td", { class: "rated" }),
    el("td", { class: "change" }, toggle));
}

function updatePersonRow(row, person, connected, known) {
  row.dataset.status = person.status;
  setText(row.querySelector(".person-name"), person.name);
  setText(row.querySelector(".person-mark"), MARKED[person.status] ? " (" + MARKED[person.status] + ")" : "");
  const online = connected.has(person.id);
  row.dataset.device = !known ? "unknown" : online ? "connected" : "none";
  setText(row.querySelector(".device-icon"), !known ? "" : online ? "●" : "○");
  setText(row.querySelector(".device-text"), !known ? "Checking…" : online ? "Online" : "Offline");
  setText(row.querySelector(".numbers"), person.numbers ? "Yes" : "No");
  setVisit(row.querySelector(".visit"), person.encounter_status);
  setText(row.querySelector(".goal"), goalText(person.goal));
  setText(row.querySelector(".rated"), person.evaluation ? person.evaluation.rating + " of 5" : "No");
  setText(row.querySelector(".change-who"), " " + person.name);
  const toggle = row.querySelector(".change-button");
  toggle.setAttribute("aria-expanded", String(roster.isOpen(person.id)));
}

// No encounter: a dash, read out as words.
function setVisit(cell, status) {
  if (status && VISIT_STATUS[status]) {
    if (cell.querySelector(".no-visit")) cell.replaceChildren();
    setText(cell, VISIT_STATUS[status]);
  } else if (!cell.querySelector(".no-visit")) {
    cell.replaceChildren(el("span", { class: "no-visit" }, el("span", { "aria-hidden": "true" }, "—"),
      el("span", { class: "visually-hidden" }, "No one-on-one")));
  }
}

function forgetRefusal() {
  refusedAgainst = null;
  setText($("walkin-error"), "");
  $("walkin-name").removeAttribute("aria-invalid");
}

function goalText(goal) {
  if (!goal) return "No";
  const state = goal.needs_rework ? "Rework (" + goal.confidence + "/10)" : "Set";
  return goal.shared ? state + ", shared" : state;
}

export function wire(liveChannel) {
  channel = liveChannel;
  roster.wire(liveChannel, () => render(channel.view));
  $("show-mistakes").addEventListener("change", () => render(channel.view));
  $("walkin-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("walkin-name");
    const name = input.value;
    run($("walkin-submit"), $("walkin-error"), channel.send("join", { display_name: name })).then((ok) => {
      if (ok) clearIfSent(input, name);
      input.setAttribute("aria-invalid", String(!ok));
      refusedAgainst = ok ? null : Object.fromEntries(channel.view.people
        .filter((p) => p.status !== "mistake").map((p) => [p.id, p.name]));
    });
  });
  // A refusal of a name goes once it no longer applies: the name is changed, dropped (Escape, or left
  // empty), the person it clashed with is renamed or marked a mistake, or a check-in goes through.
  $("walkin-name").addEventListener("input", forgetRefusal);
  $("walkin-form").addEventListener("focusout", (event) => {
    if ($("walkin-form").contains(event.relatedTarget) || $("walkin-name").value.trim()) return;
    forgetRefusal(); // left empty: the nurse has moved on from that name
  });
  $("walkin-name").addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    $("walkin-name").value = "";
    forgetRefusal();
  });
}
