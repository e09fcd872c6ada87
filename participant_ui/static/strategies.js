// The strategy board: share what works for you (named or anonymously), mark what could help you, and say
// "I tried it and it helped" (the counts of a strategy brought from an earlier session add up across them).
import { el, setText, show, syncList } from "/static/common/patch.js";
import { _, fill, ngettext } from "./i18n.js";
import { can, gateForm, send, sendMessage, setDisabled } from "./forms.js";

const $ = (id) => document.getElementById(id);

function createStrategy(strategy) {
  const row = el("li", { class: "strategy", "data-strategy-id": strategy.id, "data-testid": "strategy" });
  const refs = {
    text: el("p", { class: "strategy-text" }),
    meta: el("p", { class: "strategy-meta" }),
    helpful: el("p", { class: "strategy-helpful" }),
    tried: el("p", { class: "strategy-helpful strategy-tried" }),
    error: el("p", { class: "error", role: "alert" }),
  };
  refs.button = el("button", {
    type: "button", class: "btn btn-secondary helpful-button", "data-strategy-id": strategy.id,
    "data-testid": "mark-helpful", onclick: () => markHelpful(refs.button, strategy.id, refs.error),
  });
  refs.tryButton = el("button", {
    type: "button", class: "btn btn-secondary helpful-button tried-button", "data-testid": "mark-tried",
    onclick: () => send(refs.tryButton, refs.error, "mark_tried",
      { strategy_id: strategy.id, helped: refs.tryButton.getAttribute("aria-pressed") !== "true" }),
  });
  row.append(refs.text, refs.meta, el("div", { class: "strategy-actions" }, refs.button, refs.helpful),
    el("div", { class: "strategy-actions" }, refs.tryButton, refs.tried), refs.error);
  row.refs = refs;
  return row;
}

function markHelpful(button, strategyId, errorBox) {
  if (button.getAttribute("aria-pressed") === "true") return; // once only: it stays marked
  send(button, errorBox, "mark_helpful", { strategy_id: strategyId });
}

function strategyByline(strategy) {
  const who = strategy.mine ? _("Shared by you")
    : strategy.by ? fill(_("Shared by %(name)s"), { name: strategy.by }) : _("Shared anonymously");
  return strategy.topic_title ? who + " · " + fill(_("Topic: %(topic)s"), { topic: strategy.topic_title }) : who;
}

export function render(view) {
  gateForm($("strategy-form"), can(view, "capture_strategy"));
  const newestFirst = view.strategies.slice().sort((a, b) => b.at - a.at);
  syncList($("strategy-list"), newestFirst, (s) => s.id, createStrategy, (row, strategy) => {
    const refs = row.refs;
    setText(refs.text, strategy.text);
    setText(refs.meta, strategyByline(strategy));
    setText(refs.helpful, strategy.helpful
      ? fill(ngettext("%(count)s person thinks this could help them", "%(count)s people think this could help them",
        strategy.helpful), { count: strategy.helpful })
      : "");
    setText(refs.tried, strategy.tried
      ? fill(ngettext("%(count)s person tried it and it helped", "%(count)s people tried it and it helped",
        strategy.tried), { count: strategy.tried })
      : "");
    show(refs.button, !strategy.mine);
    show(refs.tryButton, !strategy.mine);
    // A toggle: pressed again, it takes the "it helped" back.
    if (!refs.tryButton.dataset.pending) {
      setText(refs.tryButton, strategy.my_tried ? "✓ " + _("I tried it and it helped") : _("I tried it and it helped"));
    }
    refs.tryButton.setAttribute("aria-pressed", String(Boolean(strategy.my_tried)));
    setDisabled(refs.tryButton, !can(view, "mark_tried"));
    if (!refs.button.dataset.pending) {
      setText(refs.button, strategy.marked ? "✓ " + _("Marked: could help me") : _("This could help me"));
    }
    refs.button.setAttribute("aria-pressed", String(strategy.marked));
    setDisabled(refs.button, !can(view, "mark_helpful"));
  });
  show($("strategy-empty"), view.strategies.length === 0);
}

function submitStrategy(event) {
  event.preventDefault();
  const args = { text: $("strategy-text").value, anonymous: $("strategy-anonymous").checked };
  sendMessage(event.currentTarget, $("strategy-submit"), $("strategy-error"), "capture_strategy", args);
}

export function wire() {
  $("strategy-form").addEventListener("submit", submitStrategy);
}
