// The strategy board: strategies the facilitator captures for the room (named or not), newest first,
// each reworded or taken off the wall (and shown again) as topics are moderated. A row keeps its
// edit form open, and what is typed in it, through live updates.
import { el, setText, show, syncList, syncOptions } from "/static/common/patch.js";
import { run, strategyMeta } from "../staff.js";

const $ = (id) => document.getElementById(id);
let channel = null;

export function render(view) {
  const phase = view.session.phase;
  const closed = phase === "closed";
  // Once closed, the strategies stay to read; nothing more can be added or changed.
  show($("strategy-panel"), !["check_in", "agenda"].includes(phase));
  show($("strategy-form"), !closed);
  const people = view.participants.map((p) => ({ value: p.id, label: p.name }));
  syncOptions($("strategy-by"), [{ value: "", label: "Nobody named (anonymous)" }, ...people]);
  $("strategy-anonymous").disabled = !$("strategy-by").value;
  const latest = [...view.strategies].sort((a, b) => b.at - a.at);
  const currentTopic = view.agenda.current && view.agenda.current.topic_id;
  syncList($("strategy-list"), latest, (s) => s.id, makeStrategyRow, (row, s) => {
    row.dataset.hidden = String(Boolean(s.hidden));
    setText(row.querySelector(".strategy-text"), s.text);
    setText(row.querySelector(".strategy-hidden"), s.hidden ? "Hidden from the wall" : "");
    setText(row.querySelector(".strategy-meta"), strategyMeta(s, currentTopic));
    const hide = row.querySelector(".hide-button");
    hide.dataset.hide = String(!s.hidden);
    const label = s.hidden ? "Show again" : "Hide";
    if (hide.dataset.pending) hide.dataset.label = label;
    else setText(hide, label);
    hide.setAttribute("aria-label", label + ": “" + s.text + "”");
    row.querySelector(".edit-button").setAttribute("aria-label", "Edit “" + s.text + "”");
    row.querySelector(".edit-input").setAttribute("aria-label", "New wording for “" + s.text + "”");
    show(row.querySelector(".strategy-actions"), !closed && row.querySelector(".strategy-edit").hidden);
    if (closed) show(row.querySelector(".strategy-edit"), false);
  });
}

function makeStrategyRow(strategy) {
  const alertNode = el("p", { class: "error", role: "alert" });
  const input = el("textarea", { class: "edit-input", maxlength: "280", rows: "2", required: true });
  const editForm = el("form", { class: "strategy-edit", hidden: true }, input,
    el("div", { class: "button-row" },
      el("button", { type: "submit", class: "primary save-button" }, "Save"),
      el("button", { type: "button", class: "cancel-button" }, "Cancel")));
  const actions = el("div", { class: "strategy-actions button-row" },
    el("button", { type: "button", class: "small edit-button" }, "Edit"),
    el("button", { type: "button", class: "small hide-button" }, "Hide"));
  const row = el("li", {},
    el("p", { class: "strategy-text" }), el("p", { class: "strategy-hidden" }),
    el("p", { class: "subtle strategy-meta" }), actions, editForm, alertNode);
  const editing = (on) => {
    show(editForm, on);
    show(actions, !on);
    setText(alertNode, "");
  };
  actions.querySelector(".edit-button").addEventListener("click", () => {
    input.value = row.querySelector(".strategy-text").textContent;
    editing(true);
    input.focus();
  });
  editForm.querySelector(".cancel-button").addEventListener("click", () => {
    editing(false);
    actions.querySelector(".edit-button").focus();
  });
  editForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const args = { strategy_id: strategy.id, text: input.value };
    run(editForm.querySelector(".save-button"), alertNode, channel.send("edit_strategy", args)).then((ok) => {
      if (!ok) return;
      editing(false);
      actions.querySelector(".edit-button").focus();
    });
  });
  const hide = actions.querySelector(".hide-button");
  hide.addEventListener("click", () => {
    const args = { strategy_id: strategy.id, hidden: hide.dataset.hide === "true" };
    run(hide, alertNode, channel.send("hide_strategy", args));
  });
  return row;
}

export function wire(liveChannel) {
  channel = liveChannel;
  $("strategy-by").addEventListener("change", () => {
    $("strategy-anonymous").disabled = !$("strategy-by").value;
  });

  $("strategy-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const who = $("strategy-by").value;
    const text = $("strategy-text").value;
    const args = { text, anonymous: !who || $("strategy-anonymous").checked };
    if (who) args.participant_id = who;
    run($("strategy-submit"), $("strategy-error"), channel.send("capture_strategy", args)).then((ok) => {
      // Back to nobody named (the next strategy is rarely from the same person), unless the
      // facilitator has started on the next one meanwhile.
      if (!ok || $("strategy-text").value !== text) return;
      $("strategy-text").value = "";
      $("strategy-by").value = "";
      $("strategy-anonymous").checked = false;
      $("strategy-anonymous").disabled = true;
      $("strategy-text").focus();
    });
  });
}
