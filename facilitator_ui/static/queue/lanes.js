// The plan per clinician on duty: until when they are on, when they are free, and whom they are expected to
// call, in order. With nobody on duty yet, one lane for whoever calls first.
import { clockTime } from "/static/common/live.js";
import { el, setText, show, syncList } from "/static/common/patch.js";
import { liveSlots, whenText } from "../plan.js";

const $ = (id) => document.getElementById(id);

export function render(view, screen) {
  const plan = view.queue.plan;
  const closed = view.session.phase === "closed";
  show($("plan-panel"), !closed);
  if (closed) return;
  const now = screen.now();
  const slots = liveSlots(plan, now);
  setText($("plan-basis"), "About " + Math.round(plan.minutes_per_patient) + " minutes each · the session ends " +
    clockTime(plan.ends_at));
  syncList($("plan-lanes"), plan.clinicians, (c) => c.clinician_id, makeLane, (lane, c) => {
    const name = c.clinician_id ? c.name + (c.clinician_id === screen.me ? " · you" : "") : "The first clinician free";
    setText(lane.querySelector("h3"), name);
    setText(lane.querySelector(".lane-duty"), dutyText(c));
    setText(lane.querySelector(".lane-now"), nowText(c, view.queue.active, now));
    const planned = c.encounter_ids.map((id) => slots.get(id)).filter(Boolean);
    show(lane.querySelector(".lane-empty"), planned.length === 0);
    syncList(lane.querySelector(".lane-slots"), planned, (s) => s.encounter_id, () => el("li", {}), (row, s) => {
      setText(row, whenText(s.start, now) + " · " + s.name);
    });
  });
}

function makeLane() {
  return el("li", { class: "lane" },
    el("h3", {}), el("p", { class: "lane-duty subtle" }), el("p", { class: "lane-now" }),
    el("ol", { class: "lane-slots" }), el("p", { class: "lane-empty subtle" }, "Nobody planned"));
}

function dutyText(c) {
  if (!c.clinician_id) return "Nobody has called anyone yet: the plan counts one clinician";
  const since = c.on_duty_since ? "since " + clockTime(c.on_duty_since) + ", " : "";
  return "On duty " + since + (c.until ? "until " + clockTime(c.until) : "to the end");
}

function nowText(c, active, now) {
  const busy = active.find((e) => e.clinician_id && e.clinician_id === c.clinician_id);
  if (!busy) return c.free_at - now < 60 ? "Free now" : "Free about " + clockTime(c.free_at);
  return "With " + busy.name + (c.free_at > now ? ", free about " + clockTime(c.free_at) : ", past the estimate");
}
