// What every encounter card shows about the person: name, request, numbers, goal, and what they bring from
// the cohort's earlier sessions.
import { el, setText, show } from "/static/common/patch.js";
import { fillPrior, makePrior } from "../prior.js";
import { numbersText } from "../staff.js";

// Each participant's action plan, if set: part of what a clinician sees before a visit.
export function goalsOf(view) {
  return new Map(view.people.map((p) => [p.id, p.goal]));
}

export function cardParts() {
  return [
    el("h3", { class: "who" }),
    el("p", { class: "request" }, el("span", { class: "label" }, "Wants to talk about: "), el("span", { class: "request-text" })),
    el("p", { class: "numbers subtle" }),
    el("p", { class: "goal-line subtle" }),
    makePrior(),
  ];
}

function goalText(goal) {
  if (!goal) return "";
  return "Goal: " + [goal.what, goal.how_much, goal.when, goal.how_often].join(", ") +
    " (confidence " + goal.confidence + "/10)";
}

export function fillCard(card, e, goals) {
  card.dataset.encounterId = e.encounter_id;
  card.dataset.status = e.status;
  setText(card.querySelector(".who"), e.name);
  setText(card.querySelector(".request-text"), e.request);
  setText(card.querySelector(".numbers"), numbersText(e.numbers));
  const goal = goalText(goals.get(e.participant_id));
  setText(card.querySelector(".goal-line"), goal);
  show(card.querySelector(".goal-line"), Boolean(goal));
  fillPrior(card.querySelector(".prior"), e.prior, e.numbers, e.name);
}
