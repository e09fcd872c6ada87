// What the three staff screens share: the live connection and its status line (each render
// patched around the focused element), pending buttons, and the clock arithmetic for
// countdowns and predicted agenda times.
import { clockTime, config as pageConfig, connect, countdown } from "/static/common/live.js";
import { keepFocus, setText } from "/static/common/patch.js";
import { hasLeft, leave, leaveFor } from "./account.js";

const STATUS_TEXT = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Connection lost: reconnecting…",
  refused: "Refused",
  ended: "Session ended",
};

// Connects the page and re-renders it from the whole view on every change; `tick`
// runs once a second on the server's clock for countdowns and waiting times.
export function start({ render, tick }) {
  const config = pageConfig();
  const status = document.getElementById("connection-status");
  const signedIn = Boolean(config.signed_in_until);
  const channel = connect({
    url: config.ws,
    keepAfterEnd: signedIn, // the server can still end the sign-in after close: it says so on this connection
    onView(view) {
      if (!hasLeft()) keepFocus(() => render(view, channel));
    },
    onPresence() {
      // Who has a screen open is not part of the view: redraw with it (channel.presence).
      if (channel.view && !hasLeft()) keepFocus(() => render(channel.view, channel));
    },
    onStatus(state, detail) {
      if (hasLeft()) return;
      if (state === "signed_out" && config.sign_in_url) {
        leaveFor(config.sign_in_url, detail); // the data goes off the screen at once
        return;
      }
      status.dataset.status = state;
      // A refusal or an ending comes with the server's own words: they say it best.
      setText(status, detail ? sentence(detail) : STATUS_TEXT[state]);
    },
  });
  // A refusal is about what was typed: typing again clears it.
  document.addEventListener("input", (event) => {
    const form = event.target.closest("form");
    if (form) for (const alertNode of form.querySelectorAll("[role=alert]")) setText(alertNode, "");
  });
  if (tick) {
    const step = () => {
      if (hasLeft()) return; // the screen was cleared: nothing left to count down
      if (channel.view) tick(channel.view, channel);
      // Wake just after each second of the server clock so every screen flips together.
      window.setTimeout(step, 1000 - (channel.serverNow() % 1000) + 20);
    };
    step();
  }
  if (signedIn) watchSignIn(config, channel);
  return { config, channel };
}

// The sign-in's clocks, kept by the page itself so that it leaves on time even with no connection: the idle
// time (activity in any tab of this browser counts: they share the sign-in) and the absolute limit. A minute
// before either, a warning says so; the idle one is answered with one tap.
const ACTIVE_KEY = "groupvisit-staff-active";
const WARN_SECONDS = 60;

function watchSignIn(config, channel) {
  const warning = document.getElementById("idle-warning");
  const warningText = document.getElementById("idle-warning-text");
  const stay = document.getElementById("stay-signed-in");
  let lastInput = Date.now();
  let shared = 0;
  const touched = () => {
    lastInput = Date.now();
    if (warning && !warning.hidden) check();
    if (lastInput - shared < 1000) return;
    shared = lastInput;
    try {
      window.localStorage.setItem(ACTIVE_KEY, String(lastInput));
    } catch (blocked) {
      // No storage (private mode): this tab's own activity still counts.
    }
  };
  const lastActive = () => {
    let other = 0;
    try {
      other = Number(window.localStorage.getItem(ACTIVE_KEY)) || 0;
    } catch (blocked) {
      // As above.
    }
    return Math.max(lastInput, Math.min(other, Date.now()));
  };
  for (const kind of ["pointerdown", "keydown", "wheel"]) {
    document.addEventListener(kind, touched, { passive: true, capture: true });
  }
  if (stay) {
    stay.addEventListener("click", () => {
      touched();
      channel.reportActivity(true); // at once: the server's idle clock must hear of it before it runs out
      check();
    });
  }
  const check = () => {
    const idleLeft = config.idle_seconds - (Date.now() - lastActive()) / 1000;
    const limitLeft = config.signed_in_until - channel.serverNow() / 1000;
    if (idleLeft <= 0) return leave("idle");
    if (limitLeft <= 0) return leave("time limit");
    if (!warning) return;
    const idleSoon = idleLeft <= WARN_SECONDS;
    warning.hidden = !idleSoon && limitLeft > WARN_SECONDS;
    if (stay) stay.hidden = !idleSoon;
    setText(warningText, idleSoon
      ? `No activity for a while: you will be signed out in ${Math.ceil(idleLeft)} seconds.`
      : `Your sign-in reaches its time limit in ${Math.ceil(limitLeft)} seconds: finish what you are writing.`);
  };
  window.setInterval(check, 1000);
}

// Runs a command from a button: the button says it is busy until the server answers,
// and a refusal's reason goes to the alert next to it. Resolves true on success.
export function run(button, alertNode, promise, busyLabel) {
  button.dataset.label = button.textContent;
  button.dataset.settledDisabled = "false";
  button.dataset.pending = "true";
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  button.textContent = busyLabel || button.textContent + "…";
  setText(alertNode, "");
  const settle = () => {
    delete button.dataset.pending;
    button.textContent = button.dataset.label;
    button.disabled = button.dataset.settledDisabled === "true";
    button.removeAttribute("aria-busy");
  };
  return promise.then(
    () => {
      settle();
      return true;
    },
    (error) => {
      settle();
      setText(alertNode, sentence(error && error.reason ? error.reason : "something went wrong: please try again"));
      return false;
    },
  );
}

// After a form was sent: empties `field`, unless more was typed into it while it was being sent.
export function clearIfSent(field, sent) {
  if (field.value === sent) field.value = "";
}

// A pending button keeps its busy state; what a re-render asks for applies once it settles.
export function setDisabled(button, disabled) {
  if (button.dataset.pending) button.dataset.settledDisabled = String(disabled);
  else button.disabled = disabled;
}

export function setLabel(button, text) {
  if (button.dataset.pending) button.dataset.label = text;
  else setText(button, text);
}

export function capitalise(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// Server reasons are clauses ("the title cannot be empty"): show them as sentences.
export function sentence(text) {
  const capital = capitalise(String(text).trim());
  return /[.!?]$/.test(capital) ? capital : capital + ".";
}

export function plural(count, one, many) {
  return count + " " + (count === 1 ? one : many);
}

// "4 min", "under a minute", "1 h 05 min": how long something has been going on.
export function duration(seconds) {
  const minutes = Math.floor(Math.max(0, seconds) / 60);
  if (minutes < 1) return "under a minute";
  if (minutes < 60) return minutes + " min";
  return Math.floor(minutes / 60) + " h " + String(minutes % 60).padStart(2, "0") + " min";
}

export function numbersText(numbers) {
  if (!numbers) return "No numbers recorded";
  const parts = [];
  if (numbers.bp_systolic !== null) parts.push("BP " + numbers.bp_systolic + "/" + numbers.bp_diastolic);
  if (numbers.weight !== null) parts.push("Weight " + numbers.weight + " " + numbers.weight_unit);
  if (numbers.glucose !== null) parts.push("Glucose " + numbers.glucose + " " + numbers.glucose_unit);
  return parts.join(" · ") + " (recorded " + clockTime(numbers.at) + ")";
}

// The current topic's clock: milliseconds left and whether the timebox has run out.
export function topicClock(current, channel) {
  const left = current.ends_at * 1000 - channel.serverNow();
  return { left, over: left <= 0, text: countdown(left) };
}

export function tallyText(vote) {
  return "Keep going: " + vote.keep_going + " · Move on: " + vote.move_on;
}

// When discussion should end as things stand, against when goal setting is planned.
export function predictedEndText(end, session) {
  if (!end) return "";
  return "Discussion predicted to end " + clockTime(end) + " · goals planned at " + clockTime(session.goals_at);
}

// "by Ann · on Sleep · could help 3 people": who shared a strategy (if they were named),
// its topic unless it is the one under discussion, and how many it could help.
export function strategyMeta(strategy, currentTopicId) {
  const meta = [strategy.by ? "by " + strategy.by : "anonymous"];
  if (strategy.topic_title && strategy.topic_id !== currentTopicId) meta.push("on " + strategy.topic_title);
  if (strategy.helpful) meta.push("could help " + plural(strategy.helpful, "person", "people"));
  return meta.join(" · ");
}

