// Check-in: the person's request for a one-on-one with the doctor, which puts them in line; they can
// change it, or take it back ("I don't need it today") until they are called. (Their numbers are numbers.js.)
import { setText, show } from "/static/common/patch.js";
import { _, fill } from "./i18n.js";
import { can, contents, gateForm, isDirty, live, send, setValue, settle } from "./forms.js";

const $ = (id) => document.getElementById(id);

export function render(view) {
  const visitForm = $("visit-form");
  const visit = view.me && view.me.visit;
  const status = visit ? visit.status : null;
  const waiting = status === "waiting";
  const begun = status === "called" || status === "in_progress";
  // Taken out of line (marked as gone): the card above says so, and asking again is for the care team.
  // Taken out by themselves ("I don't need it today"): they may ask again, from an empty form.
  const withdrawn = status === "withdrawn" && visit.withdrawn_reason !== "not_needed";
  gateForm(visitForm, can(view, "request_visit") && !begun && !withdrawn);
  if (!isDirty(visitForm)) setValue($("visit-text"), waiting || withdrawn ? visit.request : "");
  const withdraw = $("visit-withdraw");
  show(withdraw, waiting && can(view, "withdraw_request"));
  const submit = $("visit-submit");
  if (!submit.dataset.pending) setText(submit, waiting ? _("Update my request") : _("Put me in line"));
  setText($("visit-saved"), waiting
    ? fill(_("Sent to your care team. You're number %(position)s in line."), { position: visit.position }) : "");
  // "Sent" speaks of the request on file: not of a changed one still on the screen (refused, say).
  show($("visit-saved"), waiting && !isDirty(visitForm));
}

function submitVisit(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const sent = contents(form);
  send($("visit-submit"), $("visit-error"), "request_visit", { text: $("visit-text").value }).then((ok) => {
    if (ok) {
      settle(form, sent);
      live.renderAll();
    }
  });
}

function withdrawVisit() {
  send($("visit-withdraw"), $("visit-error"), "withdraw_request", {}).then((ok) => {
    if (!ok) return;
    delete $("visit-form").dataset.dirty; // what was on file is gone: the form is empty again
    setValue($("visit-text"), "");
    live.renderAll();
    $("visit-text").focus({ preventScroll: true }); // the button is gone; asking again starts here
  });
}

export function wire() {
  $("visit-form").addEventListener("submit", submitVisit);
  $("visit-withdraw").addEventListener("click", withdrawVisit);
}
