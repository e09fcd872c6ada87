// Why the server refused a command, said to the participant. The server explains a refusal in English,
// with a machine `code`. In English its own words say it best; in another language the common
// refusals are said by code (and command, where the code is broad).
import { el } from "/static/common/patch.js";
import { LANG, _ } from "./i18n.js";

export const REFUSALS = {
  session_closed: _("The session has ended."),
  ended: _("The session has ended."),
  refused: _("This screen is no longer connected. Join again from the join page."),
  no_votes_left: _("You have no votes left. Take one back from another topic first."),
  not_checked_in: _("Check in first."),
  no_current_topic: _("No topic is being discussed right now."),
  too_early: _("The time for this topic has not run out yet."),
  agenda_done: _("There are no more topics on the agenda."),
  no_goal: _("Set your goal first."),
  not_found: _("That is no longer on the board."),
  too_long: _("That is too long: please make it shorter."),
  rate_limited: _("Too many tries at once: wait a moment and try again."),
  "cast_vote:wrong_phase": _("Voting is not open right now."),
  "retract_vote:wrong_phase": _("Voting is not open right now."),
  "propose_topic:wrong_phase": _("New topics can no longer be suggested."),
  "propose_topic:conflict": _("That topic is already on the board: vote for it instead."),
  "propose_topic:limit": _("The board is full: vote for a topic that is already there."),
  "capture_strategy:limit": _("The strategy board is full."),
  "mark_helpful:conflict": _("You have already marked this strategy."),
  "request_visit:conflict": _("Your one-on-one has already begun."),
  "withdraw_request:already_called": _("The doctor has already called you: tell them instead."),
  marked_left: _("The care team marked you as having left. If you're still here, tell a team member."),
  "retract_vote:invalid": _("You have no vote on this topic to take back."),
  "record_numbers:invalid": _("Please check your numbers: they look out of range."),
  "propose_topic:invalid": _("Write a topic first."),
  "capture_strategy:invalid": _("Write your tip first."),
  "request_visit:invalid": _("Write what you'd like to talk about first."),
  "set_goal:invalid": _("Please fill in each part of your goal."),
  wrong_phase: _("That can't be done at this point in the session."),
};

export function sentence(reason) {
  const text = String(reason || _("Something went wrong: please try again."));
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : capital + ".";
}

export function showRefusal(errorBox, command, error) {
  if (LANG === "en") {
    errorBox.textContent = sentence(error.reason);
    return;
  }
  const known = REFUSALS[command + ":" + error.code] || REFUSALS[error.code];
  if (known) {
    errorBox.textContent = known;
    return;
  }
  // Anything rarer: said generally, with the server's own (English) words, marked as English.
  errorBox.replaceChildren(_("That didn't work."), " ", el("span", { lang: "en" }, sentence(error.reason)));
}
