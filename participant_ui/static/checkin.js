// Check-in: the person's numbers (blood pressure, weight, blood sugar, all optional) and their
// request for a one-on-one with the doctor.
import { setText, show } from "/static/common/patch.js";
import { _, clockTime, fill, formatNumber } from "./i18n.js";
import { can, checkRadio, checkedValue, contents, gateForm, isDirty, live, send, setValue, settle } from "./forms.js";

const $ = (id) => document.getElementById(id);

function numbersSummary(numbers) {
  const parts = [];
  if (numbers.bp_systolic !== null) {
    parts.push(fill(_("blood pressure %(top)s/%(bottom)s"), { top: numbers.bp_systolic, bottom: numbers.bp_diastolic }));
  }
  if (numbers.weight !== null) {
    parts.push(fill(_("weight %(weight)s %(unit)s"), { weight: formatNumber(numbers.weight), unit: numbers.weight_unit }));
  }
  if (numbers.glucose !== null) parts.push(fill(_("blood sugar %(glucose)s mg/dL"), { glucose: numbers.glucose }));
  return fill(_("Saved at %(time)s: %(numbers)s."), { time: clockTime(numbers.at), numbers: parts.join(", ") });
}

export function render(view) {
  const me = view.me || {};
  const numbersForm = $("numbers-form");
  gateForm(numbersForm, can(view, "record_numbers"));
  const numbers = me.numbers;
  if (numbers && !isDirty(numbersForm)) {
    setValue($("bp-systolic"), numbers.bp_systolic);
    setValue($("bp-diastolic"), numbers.bp_diastolic);
    setValue($("weight"), numbers.weight);
    setValue($("glucose"), numbers.glucose);
    checkRadio(numbersForm, "weight_unit", numbers.weight_unit);
  }
  setText($("numbers-saved"), numbers ? numbersSummary(numbers) : "");
  show($("numbers-saved"), Boolean(numbers));

  const visitForm = $("visit-form");
  const visit = me.visit;
  const waiting = Boolean(visit && visit.status === "waiting");
  const begun = Boolean(visit && (visit.status === "called" || visit.status === "in_progress"));
  gateForm(visitForm, can(view, "request_visit") && !begun);
  if (!isDirty(visitForm)) setValue($("visit-text"), waiting ? visit.request : "");
  const submit = $("visit-submit");
  if (!submit.dataset.pending) setText(submit, waiting ? _("Update my request") : _("Put me in line"));
  setText($("visit-saved"), waiting
    ? fill(_("Sent to your care team. You're number %(position)s in line."), { position: visit.position }) : "");
  show($("visit-saved"), waiting);
}

// An empty field is null (every number is optional); anything else must be a number.
function parseNumber(field, problem, whole) {
  const raw = field.value.trim().replace(",", ".");
  if (raw === "") return null;
  const value = Number(raw);
  if (!Number.isFinite(value) || (whole && !Number.isInteger(value))) throw new Error(problem);
  return value;
}

function submitNumbers(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const error = $("numbers-error");
  let args;
  try {
    args = {
      bp_systolic: parseNumber($("bp-systolic"), _("Please write the top blood pressure number as a whole number, like 128."), true),
      bp_diastolic: parseNumber($("bp-diastolic"), _("Please write the bottom blood pressure number as a whole number, like 82."), true),
      weight: parseNumber($("weight"), _("Please write your weight as a number, like 180."), false),
      weight_unit: checkedValue(form, "weight_unit") || "kg",
      glucose: parseNumber($("glucose"), _("Please write your blood sugar as a whole number, like 130."), true),
    };
  } catch (problem) {
    error.textContent = problem.message;
    return;
  }
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

function submitVisit(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const sent = contents(form);
  send($("visit-submit"), $("visit-error"), "request_visit", { text: $("visit-text").value }).then((ok) => {
    if (ok) {
      settle(form, sent);
      live.renderAll();
    }
  });
}

export function wire() {
  $("numbers-form").addEventListener("submit", submitNumbers);
  $("visit-form").addEventListener("submit", submitVisit);
}
