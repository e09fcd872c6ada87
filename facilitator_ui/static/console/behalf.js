// Recording for someone without a device: their numbers, how last session's goal went (for a returning
// patient), a one-on-one request, and (in the phases the server allows them) a goal and an evaluation. Each save is confirmed where a screen reader
// hears it; the numbers name every field's problem at once, each next to its own field. Glucose is in the
// cohort's unit (whole mg/dL, or mmol/L with decimals) and the weight unit starts as the cohort's.
import { clockTime } from "/static/common/live.js";
import { setText, show, syncOptions } from "/static/common/patch.js";
import { clearIfSent, run } from "../staff.js";

const $ = (id) => document.getElementById(id);
const NUMBER_FIELDS = {
  bp_systolic: "bp-systolic", bp_diastolic: "bp-diastolic", weight: "weight", glucose: "glucose",
};
const GOAL_FIELDS = { what: "behalf-goal-what", how_much: "behalf-goal-how-much", when: "behalf-goal-when",
  how_often: "behalf-goal-how-often" };
// The server's glucose ranges by unit (groupvisit/domain/settings.py).
const GLUCOSE = { "mg/dL": { min: "20", max: "600", example: "130" }, "mmol/L": { min: "1.1", max: "33.3", example: "5.4" } };
let channel = null;
let weightUnitChosen = false; // staff picked a unit: the cohort's no longer replaces it

// The numbers form in the session's units.
function showUnits(settings) {
  const glucose = $("glucose"), range = GLUCOSE[settings.glucose_unit];
  setText($("glucose-label"), "Glucose " + settings.glucose_unit);
  glucose.dataset.unit = settings.glucose_unit;
  glucose.dataset.min = range.min;
  glucose.dataset.max = range.max;
  glucose.dataset.example = range.example;
  glucose.inputMode = settings.glucose_unit === "mmol/L" ? "decimal" : "numeric";
  if (settings.glucose_unit === "mmol/L") delete glucose.dataset.whole;
  else glucose.dataset.whole = "";
  if (!weightUnitChosen) $("weight-unit").value = settings.weight_unit;
}

export function render(view) {
  const phase = view.session.phase;
  show($("on-behalf"), phase !== "closed");
  show($("behalf-goal-form"), phase === "goals" || phase === "wrap_up");
  show($("behalf-evaluation-form"), phase === "wrap_up");
  showUnits(view.session.settings);
  const here = view.people.filter((p) => p.status === "present").map((p) => ({ value: p.id, label: p.name }));
  syncOptions($("behalf-person"), here.length ? here : [{ value: "", label: "Nobody has checked in yet" }]);
  const person = view.people.find((p) => p.id === $("behalf-person").value);
  const followUp = person && person.follow_up;
  show($("behalf-follow-up-form"), Boolean(followUp));
  if (followUp) {
    const goal = followUp.goal;
    const given = followUp.given ? " They said: " + OUTCOME[followUp.given.outcome] + "." : "";
    setText($("behalf-follow-up-goal"), "Their goal: " + [goal.what, goal.how_much, goal.when, goal.how_often]
      .join(", ") + "." + given);
  }
}

const OUTCOME = { done: "done", partly: "partly", not_yet: "not yet" };

// ---- Numbers: each field checked on its own, so every problem shows at once --------------------------

// What is wrong with one field's text (null when it is fine or empty), and its value.
function checkNumber(input, unit) {
  const raw = input.value.trim().replace(",", ".");
  if (raw === "") return { value: null, problem: null };
  const what = input.dataset.what;
  if (!/^\d+(\.\d+)?$/.test(raw)) {
    const slash = raw.includes("/") ? ": one number here, the other in its own box" : "";
    return { value: null, problem: what + " must be a number, like " + example(input) + slash };
  }
  const value = Number(raw);
  if ("whole" in input.dataset && !Number.isInteger(value)) {
    return { value: null, problem: what + " must be a whole number, like " + example(input) };
  }
  const low = Number(input.dataset.min ?? input.dataset["min" + capital(unit)]);
  const high = Number(input.dataset.max ?? input.dataset["max" + capital(unit)]);
  if (value < low || value > high) {
    return { value, problem: what + " must be between " + low + " and " + high + (unit ? " " + unit : "") };
  }
  return { value, problem: null };
}

const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);
const example = (input) => input.dataset.example || ({ "bp-systolic": "128", "bp-diastolic": "82", weight: "82.5" })[input.id];

// Every field's problem, by field id; the numbers to send when there are none.
function numbersProblems() {
  const unit = $("weight-unit").value;
  const problems = {};
  const args = { weight_unit: unit };
  for (const [name, id] of Object.entries(NUMBER_FIELDS)) {
    const { value, problem } = checkNumber($(id), id === "weight" ? unit : $(id).dataset.unit || "");
    if (problem) problems[id] = problem;
    else if (value !== null) args[name] = value;
  }
  const top = $("bp-systolic").value.trim(), bottom = $("bp-diastolic").value.trim();
  if (top && !bottom && !problems["bp-diastolic"]) problems["bp-diastolic"] = "BP bottom is needed with BP top";
  if (bottom && !top && !problems["bp-systolic"]) problems["bp-systolic"] = "BP top is needed with BP bottom";
  if (!problems["bp-systolic"] && !problems["bp-diastolic"] && args.bp_systolic !== undefined
      && args.bp_diastolic !== undefined && args.bp_systolic <= args.bp_diastolic) {
    problems["bp-systolic"] = "BP top must be larger than BP bottom";
  }
  return { problems, args };
}

function showProblems(problems) {
  for (const id of Object.values(NUMBER_FIELDS)) {
    const input = $(id), message = $(id + "-error");
    setText(message, problems[id] ? problems[id] + "." : "");
    if (problems[id]) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", message.id);
    } else {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    }
  }
}

// ---- Saving ------------------------------------------------------------------------------------------

// "Saved numbers for Maria at 10:32": said once the server has them.
function confirmSaved(what, participantId) {
  const person = channel.view.people.find((p) => p.id === participantId);
  const who = person ? person.name : "them";
  setText($("behalf-saved"), "Saved " + what + " for " + who + " at " + clockTime(channel.serverNow() / 1000) + ".");
}

function save(button, alertNode, what, name, args) {
  const participantId = $("behalf-person").value;
  setText($("behalf-saved"), "");
  const sent = channel.send(name, Object.assign({ participant_id: participantId }, args));
  return run(button, alertNode, sent).then((ok) => {
    if (ok) confirmSaved(what, participantId);
    return ok;
  });
}

export function wire(liveChannel) {
  channel = liveChannel;
  $("weight-unit").addEventListener("change", () => { weightUnitChosen = true; });
  $("behalf-person").addEventListener("change", () => {
    setText($("behalf-saved"), "");
    render(channel.view);
  });

  $("behalf-follow-up-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const outcome = $("behalf-outcome").value, obstacle = $("behalf-obstacle").value;
    save($("behalf-follow-up-submit"), $("behalf-follow-up-error"), "a follow-up", "give_follow_up",
      { outcome, obstacle }).then((ok) => {
      if (!ok) return;
      clearIfSent($("behalf-obstacle"), obstacle);
      $("behalf-outcome").value = "";
    });
  });

  $("numbers-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const { problems, args } = numbersProblems();
    showProblems(problems);
    const wrong = Object.keys(problems);
    if (wrong.length) {
      setText($("numbers-error"), wrong.length === 1 ? "One number needs fixing: see below it."
        : wrong.length + " numbers need fixing: see below each.");
      $(wrong[0]).focus();
      return;
    }
    const sent = Object.values(NUMBER_FIELDS).map((id) => [$(id), $(id).value]);
    save($("numbers-submit"), $("numbers-error"), "numbers", "record_numbers", args).then((ok) => {
      if (ok) for (const [field, value] of sent) clearIfSent(field, value);
    });
  });
  // A field's own message goes when that field is changed.
  for (const id of Object.values(NUMBER_FIELDS)) {
    $(id).addEventListener("input", () => {
      setText($(id + "-error"), "");
      $(id).removeAttribute("aria-invalid");
      $(id).removeAttribute("aria-describedby");
    });
  }

  $("request-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("request-text").value;
    save($("request-submit"), $("request-error"), "a 1:1 request", "request_visit", { text }).then((ok) => {
      if (ok) clearIfSent($("request-text"), text);
    });
  });

  $("behalf-goal-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const args = { confidence: parseInt($("behalf-goal-confidence").value, 10), shared: $("behalf-goal-shared").checked };
    const sent = Object.entries(GOAL_FIELDS).map(([name, id]) => [name, $(id), $(id).value]);
    for (const [name, , value] of sent) args[name] = value;
    save($("behalf-goal-submit"), $("behalf-goal-error"), "a goal", "set_goal", args).then((ok) => {
      if (!ok) return;
      for (const [, field, value] of sent) clearIfSent(field, value);
      $("behalf-goal-confidence").value = "";
      $("behalf-goal-shared").checked = false;
    });
  });

  $("behalf-evaluation-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const helped = $("behalf-helped").value, change = $("behalf-change").value;
    const args = { rating: parseInt($("behalf-rating").value, 10), helped, change };
    save($("behalf-evaluation-submit"), $("behalf-evaluation-error"), "an evaluation", "give_evaluation", args)
      .then((ok) => {
        if (!ok) return;
        clearIfSent($("behalf-helped"), helped);
        clearIfSent($("behalf-change"), change);
        $("behalf-rating").value = "";
      });
  });
}
