// Goal setting: one small goal (what, how much, when, how often, and how sure, 0 to 10), shared with
// the group or kept private; a nudge to make it easier when the person is unsure; and the goals
// others shared.
import { el, setText, show, syncList } from "/static/common/patch.js";
import { _, fill } from "./i18n.js";
import { can, checkRadio, checkedValue, contents, gateForm, isDirty, live, send, setDisabled, setValue, settle }
  from "./forms.js";

const $ = (id) => document.getElementById(id);
let nudgeSettledFor = null; // the goal (by its `at`) whose low-confidence nudge was answered

export function render(view) {
  const goal = view.me && view.me.goal;
  const phase = view.session.phase;
  show($("goal-saved"), Boolean(goal));
  if (goal) {
    setText($("goal-saved-what"), goal.what);
    setText($("goal-saved-how-much"), goal.how_much);
    setText($("goal-saved-when"), goal.when);
    setText($("goal-saved-how-often"), goal.how_often);
    renderConfidence(goal.confidence);
    setText($("goal-saved-sharing"), goal.shared
      ? "✓ " + _("Shared with the group.")
      : _("Private: only you and your care team can see it."));
    const toggle = $("goal-share-toggle");
    if (!toggle.dataset.pending) setText(toggle, goal.shared ? _("Stop sharing it") : _("Share it with the group"));
    show(toggle, can(view, "share_goal"));
  }

  const form = $("goal-form");
  show(form, phase !== "closed");
  gateForm(form, can(view, "set_goal"));
  setText($("goal-form-heading"), goal ? _("Change my plan") : _("Set one goal for the coming weeks"));
  const submit = $("goal-submit");
  if (!submit.dataset.pending) setText(submit, goal ? _("Save my changes") : _("Save my goal"));
  if (goal && !isDirty(form)) {
    setValue($("goal-what"), goal.what);
    setValue($("goal-how-much"), goal.how_much);
    setValue($("goal-when"), goal.when);
    setValue($("goal-how-often"), goal.how_often);
    checkRadio(form, "confidence", goal.confidence);
    $("goal-shared").checked = goal.shared;
  }
  show($("confidence-nudge"), Boolean(goal && goal.needs_rework && nudgeSettledFor !== goal.at && phase !== "closed"));
  for (const button of [$("nudge-easier"), $("nudge-keep")]) setDisabled(button, !can(view, "set_goal"));
}

// The saved confidence in words and the same picture as on the scale, not the number alone.
function renderConfidence(confidence) {
  const option = document.querySelector(`label[for="confidence-${confidence}"]`);
  const face = $("goal-saved-face");
  if (face.dataset.confidence !== String(confidence)) {
    face.dataset.confidence = String(confidence);
    face.replaceChildren(...(option ? [option.querySelector("svg").cloneNode(true)] : []));
  }
  const word = option ? option.dataset.word : "";
  setText($("goal-saved-confidence"), fill(_("%(confidence)s out of 10"), { confidence }) + (word ? " — " + word : ""));
}

function createSharedGoal() {
  const row = el("li", { class: "shared-goal" });
  row.refs = { name: el("p", { class: "shared-goal-name" }), plan: el("p") };
  row.append(el("strong", {}, row.refs.name), row.refs.plan);
  return row;
}

// The view's `shared_goals` section.
export function renderShared(view) {
  const goals = view.shared_goals;
  show($("shared-goals"), goals.length > 0);
  syncList($("shared-goal-list"), goals, (g) => g.name, createSharedGoal, (row, goal) => {
    setText(row.refs.name, goal.name);
    setText(row.refs.plan, `${goal.what}: ${goal.how_much}, ${goal.when}, ${goal.how_often}.`);
  });
}

function submitGoal(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const confidence = checkedValue(form, "confidence");
  if (confidence === null) {
    $("goal-error").textContent = _("Choose how sure you are, from 0 to 10.");
    return;
  }
  const args = {
    what: $("goal-what").value, how_much: $("goal-how-much").value, when: $("goal-when").value,
    how_often: $("goal-how-often").value, confidence: Number(confidence), shared: $("goal-shared").checked,
  };
  const sent = contents(form);
  send($("goal-submit"), $("goal-error"), "set_goal", args).then((ok) => {
    if (ok) {
      settle(form, sent);
      live.renderAll();
    }
  });
}

function toggleShare() {
  const goal = live.channel.view.me && live.channel.view.me.goal;
  if (goal) send($("goal-share-toggle"), $("goal-share-error"), "share_goal", { shared: !goal.shared });
}

function settleNudge(makeEasier) {
  const goal = live.channel.view.me && live.channel.view.me.goal;
  nudgeSettledFor = goal ? goal.at : null;
  live.renderAll();
  // The nudge (and the button just pressed) goes away: move focus somewhere useful.
  $(makeEasier ? "goal-how-much" : "goal-saved-heading").focus();
}

export function wire() {
  $("goal-form").addEventListener("submit", submitGoal);
  $("goal-share-toggle").addEventListener("click", toggleShare);
  $("nudge-easier").addEventListener("click", () => settleNudge(true));
  $("nudge-keep").addEventListener("click", () => settleNudge(false));
}
