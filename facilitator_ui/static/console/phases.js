// The phase bar: where the session is, and the one button that moves the room on (closing asks first).
import { setText, show } from "/static/common/patch.js";
import { run, setDisabled, setLabel } from "../staff.js";

const $ = (id) => document.getElementById(id);
const PHASES = ["check_in", "agenda", "discussion", "goals", "wrap_up", "closed"];
// What the phase button does in each phase, named for what happens when it is pressed.
const NEXT_STEP = {
  check_in: { label: "Open agenda setting", phase: "agenda" },
  agenda: { label: "Close voting & start discussion", phase: "discussion" },
  discussion: { label: "Open goals", phase: "goals" },
  goals: { label: "Open wrap-up", phase: "wrap_up" },
  wrap_up: { label: "Close session", close: true },
};

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
  const next = NEXT_STEP[phase];
  const button = $("next-phase");
  setLabel(button, next ? next.label : "Session closed");
  setDisabled(button, !next);
  if (!next) show($("close-confirm"), false);
}

export function wire(channel) {
  $("next-phase").addEventListener("click", () => {
    const next = NEXT_STEP[channel.view.session.phase];
    if (!next) return;
    if (next.close) {
      // Closing ends the session for every device: ask once more, on the page itself.
      show($("close-confirm"), true);
      $("confirm-close").focus();
      return;
    }
    run($("next-phase"), $("phase-error"), channel.send("open_phase", { phase: next.phase }));
  });

  $("confirm-close").addEventListener("click", () => {
    // Answered either way: a refusal stays in the alert, and the button asks again.
    run($("confirm-close"), $("phase-error"), channel.send("close_session", {}), "Closing…").then(() => {
      show($("close-confirm"), false);
    });
  });

  $("cancel-close").addEventListener("click", () => {
    show($("close-confirm"), false);
    $("next-phase").focus();
  });
}
