// The participant's live screen. It follows the session's phase (the most relevant panel first
// and open, the rest folded below), shows the person's own one-on-one, and sends their commands.
// Each part of the screen is a module that renders its view sections and wires its own forms; this
// entry connects them to the live channel. Rendering patches the page around the focused element,
// so focus, half-typed text, ticked boxes and opened panels survive every live update. Whatever
// people typed is rendered with textContent only.
import { config, connect } from "/static/common/live.js";
import { keepFocus, setText } from "/static/common/patch.js";
import * as agenda from "./agenda.js";
import * as call from "./call.js";
import * as checkin from "./checkin.js";
import * as discussion from "./discussion.js";
import * as followup from "./followup.js";
import { live, wireForms } from "./forms.js";
import * as goals from "./goals.js";
import { LANG, _ } from "./i18n.js";
import * as numbers from "./numbers.js";
import { REFUSALS, sentence } from "./refusals.js";
import * as ring from "./ring.js";
import * as session from "./session.js";
import * as strategies from "./strategies.js";
import { watchIdle } from "./tablet.js";
import * as wrapup from "./wrapup.js";

const $ = (id) => document.getElementById(id);

const RENDER_ORDER = [session.render, call.render, followup.render, checkin.render, numbers.render, agenda.render,
  discussion.render, strategies.render, goals.render, goals.renderShared, wrapup.render];
// Which renderers each view section feeds; a phase change (session) redraws everything.
const RENDERED_BY = {
  session: RENDER_ORDER,
  me: [session.render, call.render, followup.render, checkin.render, numbers.render, agenda.render, goals.render,
    wrapup.render],
  participant_count: [session.render],
  topics: [agenda.render],
  agenda: [discussion.render],
  strategies: [strategies.render],
  shared_goals: [goals.renderShared],
  viewer: [],
};

function render(view, changed) {
  if (!view || !view.session) return;
  const due = new Set();
  for (const name of changed) for (const fn of RENDERED_BY[name] || RENDER_ORDER) due.add(fn);
  keepFocus(() => {
    for (const fn of RENDER_ORDER) if (due.has(fn)) fn(view);
  });
}

function renderAll() {
  if (live.channel && live.channel.view) render(live.channel.view, ["session"]);
}

// ---------- connection status ----------

const STATUS_TEXT = {
  connecting: _("Connecting…"),
  live: _("Connected"),
  reconnecting: _("Connection lost. Trying again… (what you typed is kept)"),
  refused: _("Can't connect"),
  ended: _("The session has ended"),
};

function statusText(status, detail) {
  if (status !== "refused" || !detail) return STATUS_TEXT[status] || status;
  // The reason comes from the server or live.js, in English.
  return STATUS_TEXT.refused + ": " + (LANG === "en" ? sentence(detail) : REFUSALS.refused);
}

function onStatus(status, detail) {
  if (status === "signed_out") {
    // This device was wiped (Done elsewhere, a shared tablet left idle or the session closed): nothing of
    // this person may stay on the screen for the next one. Done's form also drops the device's cookie.
    wrapup.leave();
    $("done-form").submit();
    return;
  }
  live.connection = status;
  const line = $("connection-status");
  line.dataset.status = status;
  setText(line, statusText(status, detail));
  renderAll(); // ended or refused: every control goes off
}

function start() {
  const settings = config();
  live.renderAll = renderAll;
  wireForms();
  for (const part of [session, ring, followup, checkin, numbers, agenda, discussion, strategies, goals, wrapup]) part.wire();
  live.channel = connect({
    url: settings.ws,
    onView: (view, changed) => render(view, changed),
    onStatus,
  });
  window.setInterval(discussion.tick, 1000);
  window.setInterval(call.tick, call.RECOUNT_MS);
  if (settings.idle_seconds) watchIdle(settings.idle_seconds);
  // Back to this page from the browser's memory (after Done, say): ask the server again, which
  // sends a wiped device to the join page.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) {
      wrapup.leave();
      window.location.reload();
    }
  });
}

start();
