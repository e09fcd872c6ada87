// The group discussion: the topic being discussed with its countdown, the room's vote to keep
// going or move on once time is up, and today's agenda with its (slipping) planned times.
import { countdown, liveAgenda } from "/static/common/live.js";
import { el, setText, show, syncList } from "/static/common/patch.js";
import { _, clockTime, fill, ngettext } from "./i18n.js";
import { can, live, send, setDisabled } from "./forms.js";

const $ = (id) => document.getElementById(id);
let timeWasUp = false;

function createAgendaItem() {
  const row = el("li", { class: "agenda-item", "data-testid": "agenda-item" });
  row.refs = {
    mark: el("span", { class: "agenda-mark", "aria-hidden": "true" }),
    title: el("p", { class: "agenda-item-title" }),
    when: el("p", { class: "agenda-item-when" }),
  };
  row.append(row.refs.mark, el("div", {}, row.refs.title, row.refs.when));
  return row;
}

function agendaWhen(item) {
  if (item.status === "current") return fill(_("Now, planned until %(time)s"), { time: clockTime(item.ends_at) });
  if (item.status === "done") return _("Done");
  const when = fill(_("Planned %(start)s – %(end)s"), { start: clockTime(item.planned_start), end: clockTime(item.planned_end) });
  return item.fits ? when : when + " " + _("(may not fit in today's time)");
}

export function render(view) {
  const agenda = view.agenda;
  const current = agenda.current;
  show($("current"), Boolean(current));
  show($("agenda-done"), !current);
  setText($("agenda-done"), agenda.items.length
    ? _("All the topics have been discussed.")
    : _("There are no topics on the agenda."));
  if (current) {
    setText($("current-title"), current.title);
    const minutes = current.next_extension_minutes;
    setText($("room-vote-question"), fill(ngettext(
      "Keep going for %(count)s more minute, or move on to the next topic?",
      "Keep going for %(count)s more minutes, or move on to the next topic?", minutes), { count: minutes }));
    for (const button of [$("room-vote-keep"), $("room-vote-move")]) {
      const choice = button.dataset.choice;
      const chosen = current.my_room_vote === choice;
      button.setAttribute("aria-pressed", String(chosen));
      setDisabled(button, !can(view, "room_vote"));
      if (button.dataset.pending) continue; // its label is "Sending…" until the answer comes
      setText(button.querySelector(".choice-mark"), chosen ? "✓ " + _("Your choice") : "");
      const votes = current.room_vote[choice] || 0;
      setText(button.querySelector(".choice-tally"), fill(ngettext("%(count)s vote", "%(count)s votes", votes), { count: votes }));
    }
  }
  tick();
}

// Planned times slip while the current topic runs over, so this runs every second too.
function renderAgendaList(view) {
  const { items } = liveAgenda(view.agenda, view.session.goals_at, live.channel.serverNow() / 1000);
  syncList($("agenda-list"), items, (item) => item.topic_id, createAgendaItem, (row, item) => {
    row.dataset.status = item.status;
    setText(row.refs.mark, item.status === "current" ? "▶" : item.status === "done" ? "✓" : "•");
    setText(row.refs.title, item.title);
    setText(row.refs.when, agendaWhen(item));
  });
}

// Every second: the countdown, from the server's clock; the room vote once time is up.
export function tick() {
  const view = live.channel && live.channel.view;
  const current = view && view.agenda && view.agenda.current;
  if (view && view.agenda) renderAgendaList(view);
  if (!current) {
    timeWasUp = false;
    return;
  }
  const left = current.ends_at * 1000 - live.channel.serverNow();
  const up = left <= 0;
  setText($("countdown"), countdown(left));
  setText($("countdown-label"), up ? _("Time's up") : _("left for this topic"));
  show($("room-vote"), up && view.session.phase === "discussion");
  if (up && !timeWasUp) setText($("timer-announce"), _("Time's up for this topic. Choose: keep going, or move on."));
  if (!up) setText($("timer-announce"), "");
  timeWasUp = up;
}

function roomVote(event) {
  const button = event.currentTarget;
  if (button.getAttribute("aria-pressed") === "true") return; // already their choice
  send(button, $("room-vote-error"), "room_vote", { choice: button.dataset.choice });
}

export function wire() {
  $("room-vote-keep").addEventListener("click", roomVote);
  $("room-vote-move").addEventListener("click", roomVote);
}
