// The room's follow-ups on last session's goals at a glance: how many did it, partly, not yet, and how
// many returning patients have yet to answer. Counts only, on this console: never names, never the wall.
import { setText, show } from "/static/common/patch.js";

const $ = (id) => document.getElementById(id);
const COUNTS = ["done", "partly", "not_yet", "waiting"];

export function render(view) {
  const counts = view.follow_ups;
  show($("follow-ups-panel"), Boolean(counts));
  if (!counts) return;
  for (const name of COUNTS) setText($("follow-ups-" + name.replace("_", "-")), counts[name]);
  const answered = counts.done + counts.partly + counts.not_yet;
  setText($("follow-ups-note"), answered + counts.waiting === 0
    ? "Nobody here set a goal last session (or nobody is matched to the roster yet)." : "");
}

export function wire() {}
