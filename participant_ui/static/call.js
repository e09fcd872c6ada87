// The person's own one-on-one: the big "your turn" banner when a clinician calls them (read out at
// once, in the tab's title, and rung: a chime and a vibration), and the card saying where they are in
// line or with whom.
import { setText, show } from "/static/common/patch.js";
import { _, fill } from "./i18n.js";
import { ring } from "./ring.js";

const $ = (id) => document.getElementById(id);
const BASE_TITLE = document.title;

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
      // Written into the alert region as it happens (again if called again), so it is read out at once;
      // rung then too. A live update or a reconnection while called finds the banner up: neither again.
      setText(announce, [_("Your turn!"), who + ".", where].join(" "));
      ring();
    }
    show(banner, true);
    document.title = _("Your turn!") + " " + BASE_TITLE;
  } else {
    show(banner, false);
    setText(announce, "");
    document.title = BASE_TITLE;
  }

  const card = $("visit-status");
  let title = "";
  let detail = "";
  if (status === "waiting") {
    title = _("You're in line for your one-on-one");
    detail = (visit.position === 1 ? _("You're next.") : fill(_("You're number %(position)s in line."), { position: visit.position })) +
      " " + _("A big message will appear here when the doctor is ready for you.");
  } else if (status === "in_progress") {
    title = fill(_("You're with %(clinician)s"), { clinician });
  } else if (status === "completed") {
    title = _("Your one-on-one is done");
    detail = _("Welcome back to the group.");
  } else if (status === "withdrawn" && visit.withdrawn_reason === "not_needed") {
    title = _("You're no longer in line for a one-on-one");
    detail = _("You said you don't need it today. If you change your mind, write below and put yourself in line again.");
  } else if (status === "withdrawn") {
    // Only someone marked as having left sees this (one checked in by mistake is sent to the join page).
    title = _("You're no longer in line for a one-on-one");
    detail = _("The care team marked you as having left. If you're still here, tell a team member.");
  }
  card.dataset.visit = status || "none";
  setText($("visit-status-title"), title);
  setText($("visit-status-detail"), detail);
  show(card, title !== "");
  show($("call-sound"), status === "waiting" || status === "called");
}
