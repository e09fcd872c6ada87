// The person's numbers (blood pressure, weight, blood sugar, all optional). They are checked here by the
// server's own rules (groupvisit/domain/checkin.py) before anything is sent, so a person learns at once
// everything there is to fix: each field's message next to it, tied to it for screen readers, and focus
// on the first. A field put right clears its own message; a refusal from the server still shows below.
// Glucose is in the cohort's unit (the session's settings): whole mg/dL, or mmol/L with decimals; the
// weight unit starts as the cohort's.
import { setText, show } from "/static/common/patch.js";
import { _, clockTime, fill, formatNumber, ngettext } from "./i18n.js";
import { can, checkRadio, checkedValue, contents, gateForm, isDirty, live, send, setValue, settle } from "./forms.js";

const $ = (id) => document.getElementById(id);

// The server's ranges, inclusive.
const TOP = [60, 260];
const BOTTOM = [30, 160];
const GLUCOSE = { "mg/dL": [20, 600], "mmol/L": [1.1, 33.3] };
const WEIGHT = { kg: [20, 400], lb: [45, 880] };
const FIELDS = ["bp-systolic", "bp-diastolic", "weight", "glucose"]; // in the order they are shown

let summary = ""; // the form's own line about the fields in error, while it shows
let units = { glucose_unit: "mg/dL", weight_unit: "lb" }; // the session's, from its view

function numbersSummary(numbers) {
  const parts = [];
  if (numbers.bp_systolic !== null) {
    parts.push(fill(_("blood pressure %(top)s/%(bottom)s"), { top: numbers.bp_systolic, bottom: numbers.bp_diastolic }));
  }
  if (numbers.weight !== null) {
    parts.push(fill(_("weight %(weight)s %(unit)s"), { weight: formatNumber(numbers.weight), unit: numbers.weight_unit }));
  }
  if (numbers.glucose !== null) {
    parts.push(fill(_("blood sugar %(glucose)s %(unit)s"), { glucose: formatNumber(numbers.glucose), unit: numbers.glucose_unit }));
  }
  return fill(_("Saved at %(time)s: %(numbers)s."), { time: clockTime(numbers.at), numbers: parts.join(", ") });
}

function showUnits(form, settings, numbers) {
  units = settings;
  const mmol = settings.glucose_unit === "mmol/L";
  const glucose = $("glucose");
  setText($("glucose-label"), fill(_("Blood sugar (glucose), in %(unit)s"), { unit: settings.glucose_unit }));
  setText($("glucose-hint"), mmol ? _("For example 5.4.") : _("For example 130."));
  glucose.inputMode = mmol ? "decimal" : "numeric";
  glucose.maxLength = mmol ? 4 : 3;
  if (!numbers && !isDirty(form)) checkRadio(form, "weight_unit", settings.weight_unit);
}

export function render(view) {
  const form = $("numbers-form");
  gateForm(form, can(view, "record_numbers"));
  const numbers = view.me && view.me.numbers;
  showUnits(form, view.session.settings, numbers);
  if (numbers && !isDirty(form)) {
    setValue($("bp-systolic"), numbers.bp_systolic);
    setValue($("bp-diastolic"), numbers.bp_diastolic);
    setValue($("weight"), numbers.weight);
    setValue($("glucose"), numbers.glucose);
    checkRadio(form, "weight_unit", numbers.weight_unit);
  }
  setText($("numbers-saved"), numbers ? numbersSummary(numbers) : "");
  show($("numbers-saved"), Boolean(numbers));
}

// An empty field is null (every number is optional), a number its value, anything else NaN.
// A decimal comma is a decimal point.
function parse(id, whole) {
  const raw = $(id).value.trim().replace(",", ".");
  if (raw === "") return null;
  const value = Number(raw);
  return Number.isFinite(value) && (!whole || Number.isInteger(value)) ? value : NaN;
}

function outside(value, [low, high]) {
  return value !== null && !Number.isNaN(value) && (value < low || value > high);
}

function between(text, [low, high], values) {
  return fill(text, Object.assign({ low: formatNumber(low), high: formatNumber(high) }, values || {}));
}

// What the form would send, and what is wrong with each field (by id), all at once.
function check() {
  const form = $("numbers-form");
  const unit = checkedValue(form, "weight_unit") || units.weight_unit;
  const glucoseUnit = units.glucose_unit;
  const args = {
    bp_systolic: parse("bp-systolic", true),
    bp_diastolic: parse("bp-diastolic", true),
    weight: parse("weight", false),
    weight_unit: unit,
    glucose: parse("glucose", glucoseUnit === "mg/dL"),
  };
  const problems = {};
  const top = args.bp_systolic;
  const bottom = args.bp_diastolic;
  if (Number.isNaN(top)) {
    problems["bp-systolic"] = _("Please write the top blood pressure number as a whole number, like 128.");
  } else if (outside(top, TOP)) {
    problems["bp-systolic"] = between(_("The top blood pressure number must be between %(low)s and %(high)s."), TOP);
  } else if (top === null && bottom !== null) {
    problems["bp-systolic"] = _("Please write the top number too (for example 128 over 82), or leave both empty.");
  }
  if (Number.isNaN(bottom)) {
    problems["bp-diastolic"] = _("Please write the bottom blood pressure number as a whole number, like 82.");
  } else if (outside(bottom, BOTTOM)) {
    problems["bp-diastolic"] = between(_("The bottom blood pressure number must be between %(low)s and %(high)s."), BOTTOM);
  } else if (bottom === null && top !== null) {
    problems["bp-diastolic"] = _("Please write the bottom number too (for example 128 over 82), or leave both empty.");
  }
  if (!problems["bp-systolic"] && !problems["bp-diastolic"] && top !== null && bottom !== null && top <= bottom) {
    problems["bp-systolic"] = _("The top blood pressure number must be the larger one.");
  }
  if (Number.isNaN(args.weight)) {
    problems.weight = _("Please write your weight as a number, like 180.");
  } else if (outside(args.weight, WEIGHT[unit])) {
    problems.weight = between(_("Your weight in %(unit)s must be between %(low)s and %(high)s."), WEIGHT[unit], { unit });
  }
  if (Number.isNaN(args.glucose)) {
    problems.glucose = glucoseUnit === "mg/dL" ? _("Please write your blood sugar as a whole number, like 130.")
      : _("Please write your blood sugar as a number, like 5.4.");
  } else if (outside(args.glucose, GLUCOSE[glucoseUnit])) {
    problems.glucose = between(_("Blood sugar must be between %(low)s and %(high)s %(unit)s."), GLUCOSE[glucoseUnit],
      { unit: glucoseUnit });
  }
  return { args, problems };
}

function mark(id, problem) {
  const field = $(id);
  setText($(id + "-error"), problem || "");
  if (problem) field.setAttribute("aria-invalid", "true");
  else field.removeAttribute("aria-invalid");
}

function submitNumbers(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const error = $("numbers-error");
  const { args, problems } = check();
  for (const id of FIELDS) mark(id, problems[id]);
  const wrong = FIELDS.filter((id) => problems[id]);
  if (wrong.length) {
    // Read out at once; then focus on the first field in error reads its label and its message.
    summary = fill(ngettext("Please fix the number marked above.", "Please fix the %(count)s numbers marked above.",
      wrong.length), { count: wrong.length });
    error.textContent = summary;
    $(wrong[0]).focus();
    return;
  }
  summary = "";
  if (args.bp_systolic === null && args.bp_diastolic === null && args.weight === null && args.glucose === null) {
    error.textContent = _("Write at least one number first. (This part is optional: you can skip it.)");
    return;
  }
  const sent = contents(form);
  send($("numbers-submit"), error, "record_numbers", args).then((ok) => {
    if (ok) {
      settle(form, sent);
      live.renderAll();
    }
  });
}

// As the person types, a message whose problem has gone is taken away (a new one waits for "Save":
// half a number is not a mistake yet). A pair or a unit can put another field right too.
function recheck() {
  const { problems } = check();
  const marked = FIELDS.filter((id) => $(id).getAttribute("aria-invalid") === "true");
  for (const id of marked) if (!problems[id]) mark(id, "");
  const error = $("numbers-error");
  if (summary && error.textContent === summary && FIELDS.every((id) => $(id).getAttribute("aria-invalid") !== "true")) {
    error.textContent = "";
    summary = "";
  }
}

export function wire() {
  $("numbers-form").addEventListener("submit", submitNumbers);
  $("numbers-form").addEventListener("input", recheck);
}
