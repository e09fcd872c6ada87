// Agenda moderation before the discussion: the vote budget, topics proposed by the facilitator,
// and each topic's edit, hide and merge. A row stays put while someone edits its title.
import { el, setText, show, syncList, syncOptions } from "/static/common/patch.js";
import { clearIfSent, plural, run } from "../staff.js";

const $ = (id) => document.getElementById(id);
let channel = null;

// A field the server also fills (the vote budget) keeps what the facilitator is typing.
function idleValue(input, value) {
  if (document.activeElement !== input && !input.dataset.edited) input.value = value;
}

export function render(view) {
  show($("topics-panel"), ["check_in", "agenda"].includes(view.session.phase));
  idleValue($("vote-budget"), view.session.vote_budget);
  show($("topics-empty"), view.topics.length === 0);
  syncList($("topic-list"), view.topics, (t) => t.id, makeTopicRow, (row, topic) => {
    setText(row.querySelector(".topic-votes"), plural(topic.votes, "vote", "votes"));
    setText(row.querySelector(".topic-title"), topic.title);
    setText(row.querySelector(".topic-by"), topic.by ? "by " + topic.by : topic.anonymous ? "anonymous" : "");
    row.querySelector(".edit-input").setAttribute("aria-label", "New title for “" + topic.title + "”");
    row.querySelector(".merge-select").setAttribute("aria-label", "Merge “" + topic.title + "” into");
    row.querySelector(".edit-button").setAttribute("aria-label", "Edit “" + topic.title + "”");
    row.querySelector(".hide-button").setAttribute("aria-label", "Hide “" + topic.title + "”");
    row.querySelector(".merge-open").setAttribute("aria-label", "Merge “" + topic.title + "” into another topic");
    if (!row.querySelector(".topic-merge").hidden) fillMergeTargets(row, view.topics);
  });
}

// Merge targets in the order topics were proposed, so the list does not jump as votes come in.
function fillMergeTargets(row, topics) {
  const others = topics.filter((t) => t.id !== row.dataset.topicId)
    .sort((a, b) => topicNumber(a) - topicNumber(b))
    .map((t) => ({ value: t.id, label: t.title }));
  syncOptions(row.querySelector(".merge-select"), [{ value: "", label: "Choose a topic…" }, ...others]);
}

function topicNumber(topic) {
  return parseInt(topic.id.replace(/\D/g, ""), 10) || 0;
}

// A row shows the topic with its actions, or one form at a time: a new title, or a merge.
function makeTopicRow(topic) {
  const alertNode = el("p", { class: "error", role: "alert" });
  const input = el("input", { class: "edit-input", maxlength: "120", autocomplete: "off", required: true });
  const select = el("select", { class: "merge-select", required: true });
  const editForm = el("form", { class: "topic-edit field-row", hidden: true },
    input,
    el("button", { type: "submit", class: "primary save-button" }, "Save"),
    el("button", { type: "button", class: "cancel-button" }, "Cancel"));
  const mergeForm = el("form", { class: "topic-merge field-row", hidden: true },
    el("span", { "aria-hidden": "true" }, "Merge into"),
    select,
    el("button", { type: "submit", class: "primary merge-button" }, "Merge"),
    el("button", { type: "button", class: "cancel-button" }, "Cancel"));
  const line = el("div", { class: "topic-line" },
    el("span", { class: "topic-votes" }),
    el("span", { class: "topic-title" }),
    el("span", { class: "topic-by subtle" }));
  const actions = el("div", { class: "topic-actions" },
    el("button", { type: "button", class: "edit-button" }, "Edit"),
    el("button", { type: "button", class: "hide-button" }, "Hide"),
    el("button", { type: "button", class: "merge-open" }, "Merge into…"));
  const row = el("li", { class: "topic-item", "data-topic-id": topic.id }, line, actions, editForm, mergeForm,
    alertNode);

  const mode = (name) => {
    show(actions, name === "view");
    show(editForm, name === "edit");
    show(mergeForm, name === "merge");
    if (name !== "merge") select.replaceChildren(); // no other topics' titles in this row's text
    setText(alertNode, "");
  };
  actions.querySelector(".edit-button").addEventListener("click", () => {
    input.value = line.querySelector(".topic-title").textContent;
    mode("edit");
    input.focus();
  });
  actions.querySelector(".merge-open").addEventListener("click", () => {
    mode("merge");
    fillMergeTargets(row, channel.view.topics);
    select.focus();
  });
  for (const cancel of row.querySelectorAll(".cancel-button")) {
    cancel.addEventListener("click", () => {
      mode("view");
      actions.querySelector(".edit-button").focus();
    });
  }
  editForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const args = { topic_id: topic.id, title: input.value };
    run(editForm.querySelector(".save-button"), alertNode, channel.send("edit_topic", args)).then((ok) => {
      if (ok) mode("view");
    });
  });
  mergeForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const args = { topic_id: topic.id, into_topic_id: select.value };
    run(mergeForm.querySelector(".merge-button"), alertNode, channel.send("merge_topics", args));
  });
  actions.querySelector(".hide-button").addEventListener("click", (event) => {
    run(event.currentTarget, alertNode, channel.send("hide_topic", { topic_id: topic.id }));
  });
  return row;
}

export function wire(liveChannel) {
  channel = liveChannel;
  $("vote-budget").addEventListener("input", (event) => {
    event.currentTarget.dataset.edited = "true";
  });

  $("budget-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("vote-budget");
    run($("budget-submit"), $("budget-error"), channel.send("set_vote_budget", { budget: parseInt(input.value, 10) }))
      .then((ok) => {
        if (ok) delete input.dataset.edited;
      });
  });

  $("propose-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("propose-title");
    const title = input.value;
    run($("propose-submit"), $("propose-error"), channel.send("propose_topic", { title })).then((ok) => {
      if (ok) clearIfSent(input, title);
    });
  });
}
