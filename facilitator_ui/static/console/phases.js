// The phase bar: where the session is, and the one button that moves the room on. Moving on is
// never silent: closing asks first, and when the server says moving on would skip something
// (topics not discussed, people still waiting) its reason is shown and the facilitator confirms.
import { setText, show } from "/static/common/patch.js";
import { run, sentence, setDisabled, setLabel } from "../staff.js";

const $ = (id) => document.getElementById(id);
const PHASES = ["check_in", "agenda", "discussion", "goals", "wrap_up", "closed"];
// What the phase button does in each phase, named for what happens when it is pressed.
const NEXT_STEP = {
  check_in: { label: "Open agenda setting", phase: "agenda", yes: "Yes, open agenda setting" },
  agenda: { label: "Close voting & start discussion", phase: "discussion", yes: "Yes, start the discussion" },
  discussion: { label: "Open goals", phase: "goals", yes: "Yes, open goals" },
  goals: { label: "Open wrap-up", phase: "wrap_up", yes: "Yes, open wrap-up" },
  wrap_up: { label: "Close session", close: true, yes: "Yes, close the session" },
};
const CLOSE_QUESTION = "Close the session for everyone? Nobody can vote, share or join after this.";

let channel = null;
let asking = null; // what the open confirmation sends when answered "yes": { name, args }

export function render(view) {
  const phase = view.session.phase;
  const now = PHASES.indexOf(phase);
  for (const step of $("phase-steps").children) {
    const index = PHASES.indexOf(step.dataset.phase);
    const state = index < now ? "done" : index === now ? "current" : "later";
    step.dataset.state = state;
    if (state === "current") step.setAttribute("aria-current", "step");
    else step.removeAttribute("aria-current");
    setText(step.querySelector(".step-mark"), state === "done" ? "✓" : state === "current" ? "▶" : "");
    setText(step.querySelector(".step-state"), state === "done" ? " (done)" : state === "current" ? " (now)" : "");
  }
  show($("take-home-summaries"), phase === "wrap_up" || phase === "closed"); // something to take home by then
  const next = NEXT_STEP[phase];
  const button = $("next-phase");
  setLabel(button, next ? next.label : "Session closed");
  setDisabled(button, !next);
  // A question about another phase (the room moved on meanwhile) no longer applies.
  if (asking && asking.phase !== phase) ask(null);
}

// Shows the confirmation asking `question` (null hides it); "yes" sends `command` with confirm.
function ask(command, question) {
  asking = command;
  show($("phase-confirm"), Boolean(command));
  if (!command) return;
  setText($("phase-confirm-text"), question);
  setLabel($("phase-confirm-yes"), NEXT_STEP[command.phase].yes);
  $("phase-confirm-yes").focus();
}

// Sends what the phase button or the confirmation asked for. Resolves true when done; a
// needs_confirmation refusal opens (or rewrites) the confirmation with the server's words instead,
// and "yes" then sends the same command with confirm; any other refusal goes to the alert.
function send(button, command, busyLabel) {
  const phase = channel.view.session.phase;
  let skipping = null;
  const result = channel.send(command.name, command.args).catch((error) => {
    if (!error || error.code !== "needs_confirmation") throw error;
    skipping = sentence(error.reason);
  });
  return run(button, $("phase-error"), result, busyLabel).then((ok) => {
    if (skipping === null) return ok;
    ask({ phase, name: command.name, args: Object.assign({}, command.args, { confirm: true }) },
      skipping + " Go ahead anyway?");
    return false;
  });
}

// The second click of a double click (`detail` 2 and up) is not a second answer: it is ignored, so
// a confirmation that appears under the pointer is never answered by the click that opened it.
function once(handler) {
  return (event) => {
    if (event.detail > 1) return;
    handler(event);
  };
}

export function wire(liveChannel) {
  channel = liveChannel;
  $("next-phase").addEventListener("click", once(() => {
    const phase = channel.view.session.phase;
    const next = NEXT_STEP[phase];
    if (!next) return;
    if (next.close) {
      // Closing ends the session for every device: ask once more, on the page itself.
      ask({ phase, name: "close_session", args: {} }, CLOSE_QUESTION);
      return;
    }
    send($("next-phase"), { name: "open_phase", args: { phase: next.phase } });
  }));

  $("phase-confirm-yes").addEventListener("click", once(() => {
    if (!asking) return;
    const command = asking;
    const closing = command.name === "close_session";
    send($("phase-confirm-yes"), command, closing ? "Closing…" : undefined).then((ok) => {
      // Done, or refused for another reason (said in the alert): this question is answered. A
      // question about what would be skipped has replaced it otherwise.
      if (asking !== command) return;
      ask(null);
      $("next-phase").focus();
    });
  }));

  $("phase-confirm-cancel").addEventListener("click", () => {
    ask(null);
    $("next-phase").focus();
  });
}
