// Who is here: the check-in table, a walk-in checked in by name, and numbers or a 1:1 request
// recorded for someone without a device.
import { el, setText, show, syncList, syncOptions } from "/static/common/patch.js";
import { clearIfSent, run } from "../staff.js";

const $ = (id) => document.getElementById(id);
const VISIT_STATUS = {
  waiting: "Waiting",
  called: "Called",
  in_progress: "In visit",
  completed: "Done",
};
const NUMBER_FIELDS = {
  bp_systolic: "bp-systolic", bp_diastolic: "bp-diastolic", weight: "weight", glucose: "glucose",
};

export function render(view) {
  const closed = view.session.phase === "closed";
  show($("walkin-form"), !closed);
  show($("on-behalf"), !closed);
  setText($("people-count"), view.people.length);
  show($("people-empty"), view.people.length === 0);
  show($("people-table"), view.people.length > 0);
  syncList($("people-rows"), view.people, (p) => p.id, makePersonRow, (row, person) => {
    const cells = row.children;
    setText(cells[0], person.name);
    setText(cells[1], person.numbers ? "Yes" : "No");
    setText(cells[2], VISIT_STATUS[person.encounter_status] || "None");
    setText(cells[3], goalText(person.goal));
    setText(cells[4], person.evaluation ? person.evaluation.rating + " of 5" : "No");
  });
  const everyone = view.participants.map((p) => ({ value: p.id, label: p.name }));
  syncOptions($("behalf-person"), everyone.length ? everyone : [{ value: "", label: "Nobody has checked in yet" }]);
}

function makePersonRow() {
  return el("tr", {}, el("th", { scope: "row" }), el("td"), el("td"), el("td"), el("td"));
}

function goalText(goal) {
  if (!goal) return "No";
  const state = goal.needs_rework ? "Rework (" + goal.confidence + "/10)" : "Set";
  return goal.shared ? state + ", shared" : state;
}

// Numbers typed in, as the command wants them: absent when left empty.
function numberArgs() {
  const args = {};
  for (const [name, id] of Object.entries(NUMBER_FIELDS)) {
    const raw = $(id).value.trim();
    if (raw !== "") args[name] = name === "weight" ? parseFloat(raw) : parseInt(raw, 10);
  }
  args.weight_unit = $("weight-unit").value;
  return args;
}

export function wire(channel) {
  $("walkin-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("walkin-name");
    const name = input.value;
    run($("walkin-submit"), $("walkin-error"), channel.send("join", { display_name: name })).then((ok) => {
      if (ok) clearIfSent(input, name);
    });
  });

  $("numbers-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const sent = Object.values(NUMBER_FIELDS).map((id) => [$(id), $(id).value]);
    const args = Object.assign(numberArgs(), { participant_id: $("behalf-person").value });
    run($("numbers-submit"), $("numbers-error"), channel.send("record_numbers", args)).then((ok) => {
      if (ok) for (const [field, value] of sent) clearIfSent(field, value);
    });
  });

  $("request-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("request-text").value;
    const args = { participant_id: $("behalf-person").value, text };
    run($("request-submit"), $("request-error"), channel.send("request_visit", args)).then((ok) => {
      if (ok) clearIfSent($("request-text"), text);
    });
  });
}
