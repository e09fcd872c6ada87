// What a waiting patient brings from the cohort's earlier sessions, on the clinician's card: last session's
// goal and how it went (their follow-up today), and their numbers over the sessions beside today's.
import { el, setText, show } from "/static/common/patch.js";

const OUTCOME = { done: "Done", partly: "Partly", not_yet: "Not yet" };
const MEASURES = [
  ["Blood pressure", (n) => (n.bp_systolic === null ? null : n.bp_systolic + "/" + n.bp_diastolic)],
  ["Weight", (n) => (n.weight === null ? null : n.weight + " " + n.weight_unit)],
  ["Glucose", (n) => (n.glucose === null ? null : n.glucose + " " + n.glucose_unit)],
];

function day(seconds) {
  return new Date(seconds * 1000).toLocaleDateString([], { weekday: "short", day: "numeric", month: "short" });
}

export function makePrior() {
  return el("div", { class: "prior" },
    el("p", { class: "prior-goal" }), el("p", { class: "prior-follow-up" }), el("div", { class: "trend" }));
}

// `prior` is the encounter row's (None outside a cohort or for a first visit); `today` its numbers now.
export function fillPrior(node, prior, today, name) {
  show(node, Boolean(prior));
  if (!prior) return;
  const goal = prior.goal;
  setText(node.querySelector(".prior-goal"), goal
    ? "Last session’s goal (" + day(prior.session_starts_at) + "): " + [goal.what, goal.how_much, goal.when,
      goal.how_often].join(", ") + " (confidence " + goal.confidence + "/10)"
    : "No goal set at their last session");
  const followUp = prior.follow_up;
  setText(node.querySelector(".prior-follow-up"), !goal ? ""
    : followUp ? "How it went: " + OUTCOME[followUp.outcome]
      + (followUp.obstacle ? ". What got in the way: “" + followUp.obstacle + "”" : "")
      : "How it went: not answered yet");
  show(node.querySelector(".prior-follow-up"), Boolean(goal));
  fillTrend(node.querySelector(".trend"), prior.numbers || [], today, name);
}

// A small table, rebuilt only when its numbers change: sessions as columns (oldest first, today last).
function fillTrend(node, earlier, today, name) {
  const columns = [...earlier.map((n) => ({ label: day(n.session_starts_at), numbers: n })),
    ...(today ? [{ label: "Today", numbers: today }] : [])];
  const rows = MEASURES.map(([label, value]) => [label, columns.map((c) => value(c.numbers))])
    .filter(([, values]) => values.some((v) => v !== null && v !== undefined));
  const key = JSON.stringify([columns.map((c) => c.label), rows]);
  if (node.dataset.key === key) return;
  node.dataset.key = key;
  if (!earlier.length || !rows.length) {
    node.replaceChildren(el("p", { class: "subtle" }, "No numbers from earlier sessions"));
    return;
  }
  node.replaceChildren(el("table", { class: "trend-table" },
    el("caption", { class: "visually-hidden" }, "Numbers of " + name + " over the cohort’s sessions, today last"),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, el("span", { class: "visually-hidden" }, "Measure")),
      ...columns.map((c) => el("th", { scope: "col" }, c.label)))),
    el("tbody", {}, ...rows.map(([label, values]) => el("tr", {}, el("th", { scope: "row" }, label),
      ...values.map((v, i) => el("td", { "data-today": String(i === values.length - 1 && Boolean(today)) },
        v === null || v === undefined ? el("span", { class: "subtle" }, "none") : String(v))))))));
}
