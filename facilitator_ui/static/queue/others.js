// Who is with another clinician right now, and since when.
import { clockTime } from "/static/common/live.js";
import { el, setText, show, syncList } from "/static/common/patch.js";
import { duration } from "../staff.js";

const $ = (id) => document.getElementById(id);

export function render(view, screen) {
  const others = view.queue.active.filter((e) => e.clinician_id !== screen.me);
  const now = screen.now();
  show($("others-empty"), others.length === 0);
  syncList($("others-list"), others, (e) => e.encounter_id, () => el("li", {}), (row, e) => {
    row.dataset.encounterId = e.encounter_id;
    const where = e.room ? ", " + e.room : "";
    const state = e.status === "called"
      ? "called at " + clockTime(e.called_at)
      : "in progress since " + clockTime(e.started_at) + " (" + duration(now - e.started_at) + ")";
    setText(row, e.name + " — with " + e.clinician_name + where + ": " + state);
  });
}
