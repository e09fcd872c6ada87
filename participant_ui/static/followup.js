// How last session's goal went: shown once the facilitator has matched this person to the roster and the
// cohort's last session left them a goal. Done, partly or not yet, and what got in the way (optional); it
// can be changed until the session ends. Only this person's own goal is ever in their view.
import { setText, show } from "/static/common/patch.js";
import { _, dayDate, fill } from "./i18n.js";
import { can, checkRadio, checkedValue, contents, gateForm, isDirty, live, send, setValue, settle } from "./forms.js";

const $ = (id) => document.getElementById(id);

export const OUTCOMES = { done: _("I did it"), partly: _("Partly"), not_yet: _("Not yet") };

function goalLine(goal) {
  return `${goal.what}: ${goal.how_much}, ${goal.when}, ${goal.how_often}.`;
}

export function render(view) {
  const form = $("follow-up-form");
  const followUp = view.me && view.me.follow_up;
  show(form, Boolean(followUp) && view.session.phase !== "closed");
  if (!followUp) return;
  gateForm(form, can(view, "give_follow_up"));
  setText($("follow-up-date"), fill(_("From the session on %(date)s"),
    { date: dayDate(followUp.session_starts_at) }));
  setText($("follow-up-goal"), goalLine(followUp.goal));
  const given = followUp.given;
  if (!isDirty(form)) {
    checkRadio(form, "outcome", given ? given.outcome : null);
    setValue($("follow-up-obstacle"), given ? given.obstacle : "");
  }
  const submit = $("follow-up-submit");
  if (!submit.dataset.pending) setText(submit, given ? _("Update my answer") : _("Send my answer"));
  // "Saved" speaks of the answer on file, not of a changed one still on the screen.
  setText($("follow-up-saved"), given
    ? fill(_("Saved: %(outcome)s. You can change it."), { outcome: OUTCOMES[given.outcome] }) : "");
  show($("follow-up-saved"), Boolean(given) && !isDirty(form));
}

function submitFollowUp(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const outcome = checkedValue(form, "outcome");
  if (outcome === null) {
    $("follow-up-error").textContent = _("Choose how it went: I did it, partly, or not yet.");
    return;
  }
  const sent = contents(form);
  const args = { outcome, obstacle: $("follow-up-obstacle").value };
  send($("follow-up-submit"), $("follow-up-error"), "give_follow_up", args).then((ok) => {
    if (ok) {
      settle(form, sent);
      live.renderAll();
    }
  });
}

export function wire() {
  $("follow-up-form").addEventListener("submit", submitFollowUp);
}
