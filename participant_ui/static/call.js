// The person's own one-on-one: the big "your turn" banner when a clinician calls them (read out at
// once, in the tab's title, and rung: a chime and a vibration), and the card saying where they stand:
// about how long until they are called, where to go, with whom, done.
import { setText, show } from "/static/common/patch.js";
import { waiting } from "./estimate.js";
import { live } from "./forms.js";
import { _, fill } from "./i18n.js";
import { ring } from "./ring.js";

const $ = (id) => document.getElementById(id);
const BASE_TITLE = document.title;
export const RECOUNT_MS = 30000; // the card's minutes follow the clock this often

const RUNG_KEY = "gv-rung-for"; // the call (encounter and time) this tab last rang for
let lastRung = null;

function rungFor() {
  try {
    return window.sessionStorage.getItem(RUNG_KEY);
  } catch {
    return lastRung; // storage blocked: this page's memory
  }
}

function rang(call) {
  lastRung = call;
  try {
    if (call === null) window.sessionStorage.removeItem(RUNG_KEY);
    else window.sessionStorage.setItem(RUNG_KEY, call);
  } catch {
    // storage blocked: `lastRung` holds it for this page
  }
}

// What the card says now. A live update that changes it is read out (politely); the clock's recount
// is not: a screen reader announcing "about 24 minutes" every half minute would drown the room.
let shown = "";

export function render(view) {
  const visit = view.me && view.me.visit;
  const status = visit ? visit.status : null;
  const clinician = (visit && visit.clinician_name) || _("The doctor");
  const banner = $("called-banner");
  const announce = $("announce-alert");
  if (status === "called") {
    const who = fill(_("%(clinician)s is ready for you"), { clinician });
    const where = visit.room ? fill(_("Please go to: %(room)s"), { room: visit.room })
      : _("A team member will show you where to go.");
    setText($("called-who"), who);
    setText($("called-room"), where);
    if (banner.hidden) {
      // Written into the alert region as it happens (again if called again), so it is read out at once.
      // A live update or a reconnection while called finds the banner up: not again.
      setText(announce, [_("Your turn!"), who + ".", where].join(" "));
    }
    // Rung once per call (a new call after "not here" rings again), whatever order the page renders in
    // and across a reload: the call was heard, or the browser kept the page silent (nobody had touched it).
    const call = visit.encounter_id + "@" + visit.called_at;
    if (rungFor() !== call) {
      rang(call);
      ring();
    }
    show(banner, true);
    document.title = _("Your turn!") + " " + BASE_TITLE;
  } else {
    if (visit) rang(null); // no longer called: the next call rings, even at the same moment as the last
    show(banner, false);
    setText(announce, "");
    document.title = BASE_TITLE;
  }

  renderCard(view, true);
}

// Every RECOUNT_MS: the minutes count down with the server's clock, on the screen only.
export function tick() {
  const view = live.channel && live.channel.view;
  if (view && view.session) renderCard(view, false);
}

function renderCard(view, aloud) {
  const visit = view.me && view.me.visit;
  const status = visit ? visit.status : null;
  const { kicker, title, detail, hint } = visit ? words(visit) : {};
  const card = $("visit-status");
  card.dataset.visit = status || "none";
  setText($("visit-status-kicker"), kicker);
  setText($("visit-status-title"), title);
  setText($("visit-status-detail"), detail);
  setText($("visit-status-hint"), hint);
  show(card, Boolean(title));
  show($("call-sound"), status === "waiting" || status === "called");

  const said = [kicker, title, detail].filter(Boolean).map(sentence).join(" ");
  if (aloud && said !== shown) {
    // Being called is read out at once by the alert region above: not twice.
    setText($("visit-announce"), status === "called" ? "" : said);
  }
  shown = said;
}

// The reasons closing the session records for someone still in line (domain/lifecycle.py).
const NOT_SEEN_AT_CLOSE = ["out_of_time", "skipped", "not_here_twice"];

// {kicker, title, detail, hint} of the card for this visit (nothing to show: no title).
function words(visit) {
  const clinician = visit.clinician_name || _("The doctor");
  const room = visit.room;
  switch (visit.status) {
    case "waiting":
      return { kicker: _("You're in line for your one-on-one"), ...waiting(visit, live.channel.serverNow() / 1000) };
    case "called":
      return room ? { title: fill(_("%(clinician)s is ready for you in %(room)s"), { clinician, room }) }
        : { title: fill(_("%(clinician)s is ready for you"), { clinician }), detail: _("A team member will show you where to go.") };
    case "in_progress":
      return { title: fill(_("You're with %(clinician)s"), { clinician }) };
    case "completed":
      // What the clinician wants them to remember (never the clinical note): also on their take-home summary.
      return { title: _("Your one-on-one is done"), detail: _("Back to the group — thank you."),
        hint: visit.instruction ? fill(_("To remember: %(instruction)s"), { instruction: visit.instruction }) : "" };
    case "withdrawn":
      // Still in line when the session closed (the record says why): what happens next.
      if (NOT_SEEN_AT_CLOSE.includes(visit.withdrawn_reason)) {
        return { title: _("The doctor could not see you today"), detail: _("The care team will talk with you about a follow-up.") };
      }
      return {
        title: _("You're no longer in line for a one-on-one"),
        detail: visit.withdrawn_reason === "not_needed"
          ? _("You said you don't need it today. If you change your mind, write below and put yourself in line again.")
          // Only someone marked as having left sees this (one checked in by mistake is sent to the join page).
          : _("The care team marked you as having left. If you're still here, tell a team member."),
      };
    default:
      return {};
  }
}

function sentence(text) {
  return /[.!?…]$/.test(text) ? text : text + ".";
}
