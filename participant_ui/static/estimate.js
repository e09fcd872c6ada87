// Where a waiting person stands, in words that never promise a minute: the plan's expected call time
// counted against the server's clock as this screen knows it, always "about". The plan is made as of
// the session's last event, so a count that has run out says "about 1 minute" until the next event
// re-forms the plan.
import { _, fill, ngettext } from "./i18n.js";

// Under ten minutes to the minute, then to five: "about 23 minutes" claims more than anyone knows.
export function minutesUntil(expectedAt, nowSeconds) {
  const minutes = (expectedAt - nowSeconds) / 60;
  if (minutes < 10) return Math.max(1, Math.round(minutes));
  return Math.round(minutes / 5) * 5;
}

// {title, detail, hint} of a waiting person's card.
export function waiting(visit, nowSeconds) {
  const inLine = fill(_("You're number %(position)s in line."), { position: visit.position });
  if (visit.expected_at === null || visit.expected_at === undefined) {
    // The plan runs past the session's end before it reaches them: say so early, and kindly.
    return {
      title: _("The doctor may not get to you today"),
      detail: inLine,
      hint: _("If the doctor is ready for you, a big message will appear here. If not, the care team will talk with you about a follow-up."),
    };
  }
  const hint = _("A big message will appear here when the doctor is ready for you.");
  if (visit.no_clinician_yet) {
    return { title: _("The one-on-ones start soon"), detail: inLine, hint };
  }
  const count = minutesUntil(visit.expected_at, nowSeconds);
  if (visit.position === 1) {
    return {
      title: fill(ngettext("You're next, in about %(count)s minute", "You're next, in about %(count)s minutes", count), { count }),
      detail: "",
      hint,
    };
  }
  return {
    title: fill(ngettext("About %(count)s minute", "About %(count)s minutes", count), { count }),
    detail: inLine,
    hint,
  };
}
