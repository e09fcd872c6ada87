// Choosing topics: suggest one (named or anonymously), and vote for those that matter, with a
// budget of votes per person.
import { el, setText, show, syncList } from "/static/common/patch.js";
import { _, fill, ngettext } from "./i18n.js";
import { can, gateForm, send, sendMessage, setAriaDisabled, setDisabled } from "./forms.js";

const $ = (id) => document.getElementById(id);
let lastVotesLeft = null;

function createTopic(topic) {
  const row = el("li", { class: "topic", "data-topic-id": topic.id, "data-testid": "topic" });
  const refs = {
    rank: el("span", { class: "topic-rank" }),
    title: el("p", { class: "topic-title" }),
    meta: el("p", { class: "topic-meta" }),
    total: el("span", { class: "topic-total-number" }),
    totalWord: el("small"),
    minusName: el("span", { class: "visually-hidden" }),
    plusName: el("span", { class: "visually-hidden" }),
    mine: el("p", { class: "my-votes" }),
    error: el("p", { class: "error", role: "alert" }),
  };
  refs.minus = el("button", {
    type: "button", class: "btn btn-secondary vote-minus", "data-topic-id": topic.id, "data-testid": "vote-minus",
    onclick: () => vote(refs.minus, topic.id, "retract_vote", refs.error),
  }, _("− Take back"), refs.minusName);
  refs.plus = el("button", {
    type: "button", class: "btn vote-plus", "data-topic-id": topic.id, "data-testid": "vote-plus",
    onclick: () => vote(refs.plus, topic.id, "cast_vote", refs.error),
  }, _("+ Vote"), refs.plusName);
  refs.controls = el("div", { class: "vote-controls" }, refs.mine, refs.plus, refs.minus);
  row.append(
    el("div", { class: "topic-head" },
      refs.rank,
      el("div", { class: "topic-main" }, refs.title, refs.meta),
      el("p", { class: "topic-total" }, refs.total, refs.totalWord)),
    refs.controls, refs.error);
  row.refs = refs;
  return row;
}

function vote(button, topicId, command, errorBox) {
  if (button.getAttribute("aria-disabled") === "true") {
    errorBox.textContent = button.dataset.why;
    return;
  }
  send(button, errorBox, command, { topic_id: topicId });
}

function topicByline(topic) {
  if (topic.mine) return topic.anonymous ? _("Your topic (posted anonymously)") : _("Your topic");
  if (topic.from_staff) return _("From the care team");
  return topic.by ? fill(_("Suggested by %(name)s"), { name: topic.by }) : _("Suggested anonymously");
}

export function render(view) {
  const phase = view.session.phase;
  const voting = can(view, "cast_vote");
  const votesLeft = view.me ? view.me.votes_left : 0;
  const hint = phase === "check_in"
    ? _("Voting starts when the group begins choosing topics. You can already suggest one.")
    : _("Tap “+ Vote” on the topics that matter most to you. You can put more than one vote on a topic.");
  setText($("topics-hint"), hint);
  show($("votes-left"), phase === "agenda");
  setText($("votes-left-count"), votesLeft > 0
    ? fill(ngettext("You have %(count)s vote left", "You have %(count)s votes left", votesLeft), { count: votesLeft })
    : _("You have no votes left"));
  setText($("votes-left-note"), votesLeft > 0
    ? _("Use them on the topics you care about most.")
    : _("To vote for something else, take one back first."));
  gateForm($("topic-form"), can(view, "propose_topic"));

  const votesChanged = votesLeft !== lastVotesLeft;
  lastVotesLeft = votesLeft;
  syncList($("topic-list"), view.topics, (t) => t.id, createTopic, (row, topic, index) => {
    const refs = row.refs;
    setText(refs.rank, index + 1 + ".");
    setText(refs.title, topic.title);
    setText(refs.meta, topicByline(topic));
    setText(refs.total, String(topic.votes));
    setText(refs.totalWord, ngettext("vote", "votes", topic.votes));
    setText(refs.minusName, " " + fill(_("a vote from: %(topic)s"), { topic: topic.title }));
    setText(refs.plusName, " " + fill(_("for: %(topic)s"), { topic: topic.title }));
    setText(refs.mine, topic.my_votes
      ? fill(_("Your votes on this: %(count)s"), { count: topic.my_votes }) : _("You have not voted for this"));
    row.dataset.myVotes = String(topic.my_votes);
    show(refs.controls, phase === "agenda");
    setDisabled(refs.minus, !voting);
    setDisabled(refs.plus, !voting);
    setAriaDisabled(refs.minus, topic.my_votes === 0, _("You have no vote on this topic to take back."));
    setAriaDisabled(refs.plus, votesLeft <= 0, _("You have no votes left. Take one back from another topic first."));
    // A "no votes left" note goes stale as soon as the count changes.
    if (votesChanged && !refs.plus.dataset.pending && !refs.minus.dataset.pending) refs.error.textContent = "";
  });
  show($("topic-empty"), view.topics.length === 0);
}

function submitTopic(event) {
  event.preventDefault();
  const args = { title: $("topic-title").value, anonymous: $("topic-anonymous").checked };
  sendMessage(event.currentTarget, $("topic-submit"), $("topic-error"), "propose_topic", args);
}

export function wire() {
  $("topic-form").addEventListener("submit", submitTopic);
}
