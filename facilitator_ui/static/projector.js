// The wall display: read from the back of the room and never touched. It shows only
// what the whole room may see (its view carries no clinical data, and none is asked for).
import { clockTime, liveAgenda } from "/static/common/live.js";
import { el, setText, show, syncList } from "/static/common/patch.js";
import { capitalise, plural, predictedEndText, start, strategyMeta, tallyText, topicClock } from "./staff.js";

const $ = (id) => document.getElementById(id);

// What fits on a 1920×1080 wall without scrolling; the rest is summarised in a line.
const MAX_NAMES = 40;
const MAX_TOPICS = 12;
const MAX_AGENDA = 5; // with the time-up box shown, one more row would push the predicted end off the wall
const MAX_STRATEGIES = 4;
const MAX_GOALS = 6;

const PANELS = {
  check_in: ["checkin-panel"],
  agenda: ["agenda-panel"],
  discussion: ["now-panel", "next-panel", "strategy-panel"],
  goals: ["goals-panel", "strategy-panel"],
  wrap_up: ["goals-panel", "strategy-panel"],
  closed: ["closed-panel"],
};
const ALL_PANELS = [...new Set(Object.values(PANELS).flat())];

const HINTS = {
  goals: "On your device: what, how much, when, how often — and how sure you are, 0 to 10",
  wrap_up: "On your device: what helped today, and what should we change?",
};

function render(view, channel) {
  const phase = view.session.phase;
  $("wall").dataset.phase = phase;
  setText($("phase-label"), capitalise(view.session.phase_label));
  // Latecomers still need the code once the big one has gone.
  show($("join-corner"), phase === "agenda" || phase === "discussion");
  for (const id of ALL_PANELS) show($(id), PANELS[phase].includes(id));
  renderCheckIn(view);
  renderTopics(view);
  renderCurrent(view, channel);
  renderAgenda(view, channel);
  renderStrategies(view);
  renderGoals(view);
  renderClosed(view);
}

function renderCheckIn(view) {
  const people = view.participants;
  setText($("checked-in-count"), people.length);
  const shown = people.slice(0, MAX_NAMES);
  const more = people.length - shown.length;
  const chips = shown.map((p) => ({ key: p.id, text: p.name }));
  if (more > 0) chips.push({ key: "more", text: "+ " + more + " more" });
  syncList($("checked-in"), chips, (c) => c.key, () => el("li", { class: "chip" }),
    (node, chip) => setText(node, chip.text));
}

function renderTopics(view) {
  const topics = view.topics.slice(0, MAX_TOPICS);
  const most = Math.max(1, ...topics.map((t) => t.votes));
  setText($("vote-budget"), view.session.vote_budget);
  show($("topic-board-empty"), topics.length === 0);
  syncList($("topic-board"), topics, (t) => t.id, makeTopicRow, (row, topic, index) => {
    setText(row.querySelector(".rank"), index + 1);
    setText(row.querySelector(".topic-title"), topic.title);
    row.querySelector(".fill").style.width = (100 * topic.votes) / most + "%";
    setText(row.querySelector(".topic-votes"), plural(topic.votes, "vote", "votes"));
  });
  const hidden = view.topics.length - topics.length;
  show($("topic-board-more"), hidden > 0);
  setText($("topic-board-more"), "+ " + plural(hidden, "more topic", "more topics"));
}

function makeTopicRow() {
  return el("li", { class: "topic-row" },
    el("span", { class: "rank", "aria-hidden": "true" }),
    el("span", { class: "topic-title" }),
    el("span", { class: "bar", "aria-hidden": "true" }, el("span", { class: "fill" })),
    el("span", { class: "topic-votes" }));
}

function renderCurrent(view, channel) {
  const current = view.agenda.current;
  show($("no-current"), !current);
  show($("countdown"), Boolean(current));
  setText($("current-title"), current ? current.title : "");
  tickCountdown(view, channel);
}

// Runs every second: the countdown, and the room's tally once the timebox runs out.
function tickCountdown(view, channel) {
  const current = view.agenda.current;
  const clock = current ? topicClock(current, channel) : null;
  show($("time-up"), Boolean(clock && clock.over));
  if (!clock) return;
  setText($("countdown"), clock.text);
  $("countdown").dataset.over = String(clock.over);
  setText($("room-tally"), tallyText(current.room_vote));
}

function renderAgenda(view, channel) {
  const { items, predictedEnd } = liveAgenda(view.agenda, view.session.goals_at, channel.serverNow() / 1000);
  const done = items.filter((i) => i.status === "done").length;
  const coming = items.filter((i) => i.status !== "done");
  const shown = coming.slice(0, MAX_AGENDA);
  show($("agenda-done"), done > 0);
  setText($("agenda-done"), plural(done, "topic", "topics") + " done");
  const rows = shown.map((item) => ({ key: item.topic_id, item }));
  if (coming.length > shown.length) rows.push({ key: "more", item: null, more: coming.length - shown.length });
  syncList($("agenda-list"), rows, (r) => r.key, makeAgendaRow, (row, { item, more }) => {
    if (!item) {
      setText(row.querySelector(".agenda-title"), "+ " + plural(more, "more topic", "more topics"));
      return;
    }
    row.dataset.status = item.status;
    // The wall shows when each topic starts; the next row's start is this one's end.
    setText(row.querySelector(".agenda-time"), item.status === "current" ? "Now" : clockTime(item.planned_start));
    setText(row.querySelector(".agenda-title"), item.title);
    setText(row.querySelector(".agenda-note"), item.status === "pending" && !item.fits ? "If time allows" : "");
  });
  setText($("predicted-end"), predictedEndText(predictedEnd, view.session));
}

function makeAgendaRow() {
  return el("li", { class: "agenda-row" },
    el("span", { class: "agenda-time" }),
    el("span", { class: "agenda-title" }),
    el("span", { class: "agenda-note" }));
}

function renderStrategies(view) {
  const latest = [...view.strategies].sort((a, b) => b.at - a.at).slice(0, MAX_STRATEGIES);
  const current = view.agenda.current;
  show($("strategy-board-empty"), latest.length === 0);
  syncList($("strategy-board"), latest, (s) => s.id,
    () => el("li", { class: "strategy" }, el("p", { class: "strategy-text" }), el("p", { class: "strategy-meta" })),
    (card, s) => {
      setText(card.querySelector(".strategy-text"), s.text);
      setText(card.querySelector(".strategy-meta"), strategyMeta(s, current && current.topic_id));
    });
}

function renderGoals(view) {
  const goals = view.shared_goals.slice(0, MAX_GOALS);
  setText($("goals-hint"), HINTS[view.session.phase] || "");
  show($("goal-board-empty"), goals.length === 0);
  syncList($("goal-board"), goals, (g) => g.name,
    () => el("li", { class: "goal" }, el("h3", { class: "goal-name" }), el("p", { class: "goal-what" }),
      el("p", { class: "goal-plan" })),
    (card, g) => {
      setText(card.querySelector(".goal-name"), g.name);
      setText(card.querySelector(".goal-what"), g.what);
      setText(card.querySelector(".goal-plan"), [g.how_much, g.when, g.how_often].join(" · "));
    });
}

function renderClosed(view) {
  const discussed = view.agenda.items.filter((i) => i.status === "done").length;
  setText($("closed-summary"), [
    plural(view.participants.length, "person", "people") + " took part",
    plural(discussed, "topic", "topics") + " discussed",
    plural(view.strategies.length, "strategy", "strategies") + " shared",
  ].join(" · "));
}

start({
  render,
  tick(view, channel) {
    if (view.session.phase !== "discussion") return;
    tickCountdown(view, channel);
    renderAgenda(view, channel);
  },
});
