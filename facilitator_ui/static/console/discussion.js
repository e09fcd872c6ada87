// The discussion: the current topic's countdown and the room's vote, extend or move on, and the
// agenda with its predicted times (which slip, every second, while a topic runs over).
import { clockTime, liveAgenda } from "/static/common/live.js";
import { el, setText, show, syncList } from "/static/common/patch.js";
import { predictedEndText, run, setDisabled, setLabel, tallyText, topicClock } from "../staff.js";

const $ = (id) => document.getElementById(id);
let channel = null;

export function render(view) {
  const discussing = view.session.phase === "discussion";
  show($("discussion-panel"), discussing);
  show($("agenda-panel"), discussing);
  const current = view.agenda.current;
  const pending = view.agenda.items.some((i) => i.status === "pending");
  show($("current-block"), Boolean(current));
  show($("no-current"), !current);
  setText($("current-title"), current ? current.title : "");
  setLabel($("extend-topic"), current ? "Extend " + current.next_extension_minutes + " min" : "Extend");
  setDisabled($("extend-topic"), !current);
  setLabel($("next-topic"), pending ? "Next topic" : "End this topic");
  setDisabled($("next-topic"), !current && !pending);
  tickCountdown(view);
  renderAgenda(view);
}

// Every second while the room discusses.
export function tick(view) {
  if (view.session.phase !== "discussion") return;
  tickCountdown(view);
  renderAgenda(view);
}

function tickCountdown(view) {
  const current = view.agenda.current;
  if (!current) return;
  const clock = topicClock(current, channel);
  setText($("countdown"), clock.text);
  $("countdown").dataset.over = String(clock.over);
  show($("time-up"), clock.over);
  setText($("room-tally"), clock.over ? "Room vote — " + tallyText(current.room_vote) : "");
}

function renderAgenda(view) {
  const { items, predictedEnd } = liveAgenda(view.agenda, view.session.goals_at, channel.serverNow() / 1000);
  syncList($("agenda-list"), items, (i) => i.topic_id,
    () => el("li", { class: "agenda-row" },
      el("span", { class: "agenda-time" }), el("span", { class: "agenda-title" }), el("span", { class: "agenda-note" })),
    (row, item) => {
      row.dataset.status = item.status;
      setText(row.querySelector(".agenda-time"), agendaTime(item));
      setText(row.querySelector(".agenda-title"), item.title + " (" + item.minutes + " min)");
      setText(row.querySelector(".agenda-note"), item.status === "pending" && !item.fits ? "if time allows" : "");
    });
  setText($("predicted-end"), predictedEndText(predictedEnd, view.session));
}

function agendaTime(item) {
  if (item.status === "done") return "Done";
  if (item.status === "current") return "Now, until " + clockTime(item.ends_at);
  return clockTime(item.planned_start) + "–" + clockTime(item.planned_end);
}

export function wire(liveChannel) {
  channel = liveChannel;
  $("extend-topic").addEventListener("click", () => {
    run($("extend-topic"), $("discussion-error"), channel.send("extend_topic", {}));
  });
  $("next-topic").addEventListener("click", () => {
    run($("next-topic"), $("discussion-error"), channel.send("next_topic", {}));
  });
}
