// Wrap-up: the person's evaluation of the session (a rating and two answers, changeable), and Done,
// which asks once and then takes this person off the device for the next one.
import { setText, show } from "/static/common/patch.js";
import { _ } from "./i18n.js";
import { can, checkRadio, checkedValue, contents, gateForm, isDirty, live, send, setDisabled, setValue, settle }
  from "./forms.js";

const $ = (id) => document.getElementById(id);
let editingEvaluation = false;

export function render(view) {
  const evaluation = view.me && view.me.evaluation;
  const form = $("evaluation-form");
  const thanks = Boolean(evaluation) && !editingEvaluation;
  show($("evaluation-thanks"), thanks);
  show(form, !thanks);
  gateForm(form, can(view, "give_evaluation"));
  setDisabled($("evaluation-edit"), !can(view, "give_evaluation"));
  if (evaluation && !isDirty(form)) {
    checkRadio(form, "rating", evaluation.rating);
    setValue($("evaluation-helped"), evaluation.helped);
    setValue($("evaluation-change"), evaluation.change);
  }
}

function submitEvaluation(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const rating = checkedValue(form, "rating");
  if (rating === null) {
    $("evaluation-error").textContent = _("Choose a rating from 1 to 5 first.");
    return;
  }
  const args = { rating: Number(rating), helped: $("evaluation-helped").value, change: $("evaluation-change").value };
  const sent = contents(form);
  send($("evaluation-submit"), $("evaluation-error"), "give_evaluation", args).then((ok) => {
    if (ok) {
      settle(form, sent);
      editingEvaluation = false;
      live.renderAll();
      $("evaluation-thanks-title").focus(); // the form just went away: keep the person's place
    }
  });
}

function editEvaluation() {
  editingEvaluation = true;
  live.renderAll();
  const first = $("evaluation-form").querySelector("input:checked") || $("rating-1");
  first.focus();
}

// "Done" wipes this device's place in the session, so it asks once before leaving.
function confirmDone(event) {
  if (!$("done-confirm").hidden) {
    leave(); // second press: the form posts, and the screen is cleared meanwhile
    return;
  }
  event.preventDefault();
  show($("done-confirm"), true);
  show($("done-cancel"), true);
  setText($("done-button"), _("Yes, I'm done"));
  $("done-button").setAttribute("aria-describedby", "done-question done-hint");
}

function cancelDone() {
  show($("done-confirm"), false);
  show($("done-cancel"), false);
  setText($("done-button"), _("Done"));
  $("done-button").setAttribute("aria-describedby", "done-hint");
  $("done-button").focus();
}

// Takes everything of this person off the screen at once, before the next page arrives.
export function leave() {
  document.body.classList.add("leaving");
}

// Done, without asking again (the idle question asked already): the server forgets this device.
export function wipe() {
  if (document.body.classList.contains("leaving")) return;
  const dialog = $("idle-dialog");
  if (!dialog.open) dialog.showModal();
  leave();
  $("done-form").submit(); // not requestSubmit: that would ask "Leave the session?" first
}

export function wire() {
  $("evaluation-form").addEventListener("submit", submitEvaluation);
  $("evaluation-edit").addEventListener("click", editEvaluation);
  $("done-form").addEventListener("submit", confirmDone);
  $("done-cancel").addEventListener("click", cancelDone);
}
