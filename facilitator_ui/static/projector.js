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
const MAX_STRATEGIES = 12; // newest first, as many as fit whole (see fitStrategies)
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

function render(view, channel) {
  const phase = view.session.phase;
  $("wall").dataset.phase = phase;
  setText($("phase-label"), capitalise(view.session.phase_label));
  // Latecomers still need the code once the big one has gone: in a corner in every phase until close.
  show($("join-corner"), phase !== "check_in" && phase !== "closed");
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

// Newest first, never scrolled or paged (a wall that moves on its own loses the reader at the back): the
// newest cards that fit whole, and a line counting the rest, which every device still lists.
function renderStrategies(view) {
  // (Reversed first: of strategies shared in the same second, the later one is still the newer.)
  const latest = [...view.strategies].reverse().sort((a, b) => b.at - a.at).slice(0, MAX_STRATEGIES);
  const current = view.agenda.current;
  show($("strategy-board-empty"), latest.length === 0);
  syncList($("strategy-board"), latest, (s) => s.id,
    () => el("li", { class: "strategy" }, el("p", { class: "strategy-text" }), el("p", { class: "strategy-meta" })),
    (card, s) => {
      setText(card.querySelector(".strategy-text"), s.text);
      setText(card.querySelector(".strategy-meta"), strategyMeta(s, current && current.topic_id));
    });
  strategyTotal = view.strategies.length;
  fitStrategies();
}

// The board's room changes without a render too (the time-up box appears): fit the cards again then.
let strategyTotal = 0;
new ResizeObserver(() => fitStrategies()).observe($("strategy-panel"));

function fitStrategies() {
  const total = strategyTotal;
  const board = $("strategy-board");
  const more = $("strategy-board-more");
  const cards = [...board.children];
  for (const card of cards) card.hidden = false;
  show(more, false);
  if (board.closest("[hidden]")) return; // not on the wall in this phase: nothing to measure
  const panel = $("strategy-panel");
  const room = () => panel.getBoundingClientRect().bottom;
  let shown = cards.length;
  const overflows = () => shown > 0 && cards[shown - 1].getBoundingClientRect().bottom > room() - (shown < total ? more.offsetHeight : 0);
  const moreLine = () => {
    show(more, shown < total);
    setText(more, "+ " + plural(total - shown, "more strategy", "more strategies") + " on your devices");
  };
  moreLine();
  while (overflows()) {
    shown -= 1;
    cards[shown].hidden = true;
    moreLine();
  }
}

function renderGoals(view) {
  const goals = view.shared_goals.slice(0, MAX_GOALS);
  show($("goals-hint"), view.session.phase === "goals");
  show($("wrap-up-hint"), view.session.phase === "wrap_up");
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
    plural(view.attendance.took_part, "person", "people") + " took part",
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
