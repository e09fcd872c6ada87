// The strategy board: strategies the facilitator captures for the room (named or not), newest first.
import { el, setText, show, syncList, syncOptions } from "/static/common/patch.js";
import { run, strategyMeta } from "../staff.js";

const $ = (id) => document.getElementById(id);

export function render(view) {
  const phase = view.session.phase;
  // Once closed, the strategies stay to read; nothing more can be added or changed.
  show($("strategy-panel"), !["check_in", "agenda"].includes(phase));
  show($("strategy-form"), phase !== "closed");
  const people = view.participants.map((p) => ({ value: p.id, label: p.name }));
  syncOptions($("strategy-by"), [{ value: "", label: "Nobody named (anonymous)" }, ...people]);
  $("strategy-anonymous").disabled = !$("strategy-by").value;
  const latest = [...view.strategies].sort((a, b) => b.at - a.at);
  const currentTopic = view.agenda.current && view.agenda.current.topic_id;
  syncList($("strategy-list"), latest, (s) => s.id,
    () => el("li", {}, el("p", { class: "strategy-text" }), el("p", { class: "subtle strategy-meta" })),
    (row, s) => {
      setText(row.querySelector(".strategy-text"), s.text);
      setText(row.querySelector(".strategy-meta"), strategyMeta(s, currentTopic));
    });
}

export function wire(channel) {
  $("strategy-by").addEventListener("change", () => {
    $("strategy-anonymous").disabled = !$("strategy-by").value;
  });

  $("strategy-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const who = $("strategy-by").value;
    const text = $("strategy-text").value;
    const args = { text, anonymous: !who || $("strategy-anonymous").checked };
    if (who) args.participant_id = who;
    run($("strategy-submit"), $("strategy-error"), channel.send("capture_strategy", args)).then((ok) => {
      // Back to nobody named (the next strategy is rarely from the same person), unless the
      // facilitator has started on the next one meanwhile.
      if (!ok || $("strategy-text").value !== text) return;
      $("strategy-text").value = "";
      $("strategy-by").value = "";
      $("strategy-anonymous").checked = false;
      $("strategy-anonymous").disabled = true;
      $("strategy-text").focus();
    });
  });
}
