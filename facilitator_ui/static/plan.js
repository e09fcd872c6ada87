// The plan for the rest of the session's one-on-ones as the staff screens say it: when each waiting patient is
// expected to be called and by whom, why someone cannot be called without taking them out of the room, and
// whether everyone fits. The queue and the console both show it; flags on numbers are the queue's alone.
//
// The server plans as of `plan.planned_at` (its last event); between events the screen's clock moves on, so
// each lane slips as it would in the room: a slot starts no earlier than now, nor before the one ahead of it
// in its lane ends (as the agenda's pending topics slip while the current one runs over).
import { clockTime, liveAgenda } from "/static/common/live.js";
import { setText, show } from "/static/common/patch.js";
import { plural } from "./staff.js";

const NOW_SLACK = 60; // seconds: a call expected within the minute is "now"

// The plan's slots by encounter id, each with `start` and `end` as of `now` (server seconds).
export function liveSlots(plan, now) {
  const laneFree = new Map();
  const slots = new Map();
  for (const slot of plan.slots) { // in call order: within a lane, one after the other
    const start = Math.max(slot.expected_at, laneFree.get(slot.clinician_id) ?? now);
    const end = start + (slot.expected_end - slot.expected_at);
    laneFree.set(slot.clinician_id, end);
    slots.set(slot.encounter_id, Object.assign({}, slot, { start, end }));
  }
  return slots;
}

export function whenText(at, now) {
  return at - now < NOW_SLACK ? "now" : "about " + clockTime(at);
}

// Who a slot is with: "you" on the clinician's own screen; with nobody on duty yet, whoever is free first.
export function clinicianText(slot, me) {
  if (!slot.clinician_id) return "the first clinician free";
  return slot.clinician_id === me ? "you" : slot.clinician_name;
}

// "about 10:42 · Dr Sam" for a waiting patient (or why there is no time for them).
export function expectedText(slot, now, me) {
  if (!slot) return "not planned: no time left";
  return whenText(slot.start, now) + " · " + clinicianText(slot, me);
}

// ---- Whether everyone fits --------------------------------------------------------------

// What the team reads in two parts: `said`, the news a screen reader hears (once, when it changes: who will
// not be seen, not each minute the shortfall grows), and `detail`, the figures that follow it on the screen.
export function fitText(plan, slots) {
  const missing = plan.does_not_fit;
  if (missing.length) {
    return {
      state: "warning",
      said: "At this pace " + plural(missing.length, "person", "people") + " will not be seen: " +
        missing.map((m) => m.name).join(", "),
      detail: " · about " + plural(plan.shortfall_minutes, "minute", "minutes") + " short",
    };
  }
  if (!slots.size) return { state: "none", said: "", detail: "" };
  const last = Math.max(...Array.from(slots.values(), (s) => s.end));
  if (last > plan.ends_at) { // no event since the plan, and the time it counted on has gone by
    return {
      state: "warning",
      said: "Running behind the plan",
      detail: ": at this pace the last one-on-one ends about " + clockTime(last) + ", after the session ends at " +
        clockTime(plan.ends_at),
    };
  }
  return { state: "fits", said: "Everyone fits", detail: ": the last one-on-one ends about " + clockTime(last) };
}

// Fills the page's #plan-fit box: its live region (#plan-status, written only when its words change), the
// figures after it (#plan-detail) and, with a warning, what the team can do (#plan-advice).
export function renderFit(view, now) {
  const plan = view.queue.plan;
  const closed = view.session.phase === "closed";
  const fit = closed ? { state: "none", said: "", detail: "" } : fitText(plan, liveSlots(plan, now));
  document.getElementById("plan-fit").dataset.state = fit.state;
  setText(document.getElementById("plan-status"), fit.said);
  setText(document.getElementById("plan-detail"), fit.detail);
  show(document.getElementById("plan-advice"), fit.state === "warning");
}

// ---- Why someone cannot be called without taking them out of the room -------------------

const REASON = {
  top_topic: (title) => (title ? "“" + title + "”, " : "") + "the topic they voted for most",
  topic: (title) => (title ? "“" + title + "”, " : "") + "a topic they voted for",
  goals: () => "goal setting before they have set a goal",
};

// The agenda topic that most overlaps [start, end) in the plan's own timing (as of `plannedAt`); `known`, the
// one the screen knows the patient cares about (their top topic, under discussion), whenever it overlaps at all.
function topicDuring(view, plannedAt, start, end, known) {
  const { agenda, session } = view;
  const overrun = agenda.current ? Math.max(0, plannedAt - agenda.current.ends_at) : 0;
  let best = null;
  let most = 0;
  for (const item of liveAgenda(agenda, session.goals_at, plannedAt).items) {
    let window = null;
    if (item.status === "current") window = [item.started_at, item.ends_at + overrun];
    else if (item.status === "pending") window = [item.planned_start, item.planned_end];
    if (!window) continue;
    const overlap = Math.min(window[1], end) - Math.max(window[0], start);
    if (overlap > 0 && item.topic_id === known) return item.title;
    if (overlap > most) [best, most] = [item, overlap];
  }
  return best ? best.title : "";
}

// What calling `e` (a waiting encounter, planned as `slot` or not at all) costs the room, said before the call:
// the plan's own reason when its slot could not avoid one, else what calling them now would take them out of.
export function conflictText(view, e, slot, now, hasGoal) {
  const plan = view.queue.plan;
  if (slot && slot.conflict) {
    const known = slot.conflict === "top_topic" && e.in_top_topic ? view.agenda.current.topic_id : null;
    const title = slot.conflict === "goals" ? ""
      : topicDuring(view, plan.planned_at, slot.expected_at, slot.expected_end, known);
    const what = REASON[slot.conflict](title);
    return slot.start - now < NOW_SLACK
      ? "Calling " + e.name + " now takes them out of " + what + "."
      : "The plan calls " + e.name + " " + whenText(slot.start, now) + ", during " + what + ": no better time is left.";
  }
  if (e.in_top_topic && view.agenda.current) {
    return "Calling " + e.name + " now takes them out of " + REASON.top_topic(view.agenda.current.title) + ".";
  }
  if (view.session.phase === "goals" && !hasGoal) {
    return "Calling " + e.name + " now takes them out of " + REASON.goals() + ".";
  }
  return "";
}
