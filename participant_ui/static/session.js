// Where the session is: the phase line and its intro, how many people are here, the ended banner,
// and the folding panels, the most relevant first and open for each phase, the rest folded below.
// A panel the person opened, or one they are working in, is never folded by a live update.
import { setText, show } from "/static/common/patch.js";
import { _, fill, ngettext } from "./i18n.js";
import { live } from "./forms.js";

const $ = (id) => document.getElementById(id);

// Per phase: the panels shown, most relevant first, and those unfolded when it opens.
const PHASES = {
  check_in: {
    step: 1, name: _("Check-in"), panels: ["checkin", "topics"], open: ["checkin", "topics"],
    intro: _("While everyone arrives: tell the doctor what you'd like to talk about, and write down your numbers if you have them."),
  },
  agenda: {
    step: 2, name: _("Choosing topics"), panels: ["topics", "checkin"], open: ["topics"],
    intro: _("Help choose what the group talks about: suggest a topic, and vote for the ones that matter to you."),
  },
  discussion: {
    step: 3, name: _("Group discussion"), panels: ["discussion", "strategies", "checkin"], open: ["discussion", "strategies"],
    intro: _("The group is talking through the topics. If something works for you, share it on the strategy board."),
  },
  goals: {
    step: 4, name: _("Setting goals"), panels: ["goal", "strategies", "checkin"], open: ["goal"],
    intro: _("Set one small goal you'd like to work on before the next session."),
  },
  wrap_up: {
    step: 5, name: _("Wrap-up"), panels: ["evaluation", "summary", "goal", "strategies", "checkin"],
    open: ["evaluation", "summary"],
    intro: _("Almost done! Tell us how today went."),
  },
  closed: { step: null, name: _("Ended"), panels: ["summary", "goal", "strategies"], open: ["summary", "goal"], intro: "" },
};
const STEPS = 5;

let arrangedFor = ""; // the phase and panel list the panels were last arranged for

function panel(name) {
  return $("panel-" + name);
}

function setExpanded(name, expanded) {
  const toggle = panel(name).querySelector(".panel-toggle");
  toggle.setAttribute("aria-expanded", String(expanded));
  show($(toggle.getAttribute("aria-controls")), expanded);
}

// Opened by the person's own hand, holding the focus, or holding a form they have typed in.
function keptOpen(node, focused) {
  return node.dataset.opened === "true" || node.contains(focused)
    || node.querySelector("form[data-dirty='true']") !== null;
}

// Panels are moved in order around the one holding focus, which stays where it is.
function arrangePanels(names, open) {
  const container = $("panels");
  const focused = document.activeElement;
  for (const node of container.children) show(node, names.includes(node.id.slice("panel-".length)));
  const wanted = names.map(panel);
  const pinned = wanted.findIndex((node) => node.contains(focused));
  const place = (nodes, cursor) => {
    for (const node of nodes) {
      if (node === cursor) cursor = cursor.nextElementSibling;
      else container.insertBefore(node, cursor);
    }
  };
  if (pinned === -1) {
    place(wanted, container.firstElementChild);
  } else {
    place(wanted.slice(0, pinned), container.firstElementChild);
    place(wanted.slice(pinned + 1), wanted[pinned].nextElementSibling);
  }
  names.forEach((name, index) => {
    panel(name).dataset.primary = String(index === 0 && open.includes(name));
    setExpanded(name, open.includes(name) || keptOpen(panel(name), focused));
  });
}

export function render(view) {
  const phase = view.session.phase;
  const spec = PHASES[phase];
  const hasGoal = Boolean(view.me && view.me.goal);
  const names = spec.panels.filter((name) => !(phase === "closed" && name === "goal" && !hasGoal));
  const arrangement = phase + ":" + names.join(",");
  if (arrangement !== arrangedFor) {
    arrangedFor = arrangement;
    arrangePanels(names, spec.open);
  }
  const ended = phase === "closed" || live.connection === "ended";
  const count = view.participant_count;
  setText($("phase-line"), ended ? "" : fill(_("Step %(step)s of %(steps)s: %(phase)s"), { step: spec.step, steps: STEPS, phase: spec.name }));
  show($("phase-line").parentNode, !ended); // the ended banner says it instead
  // Not in the live region: every arrival would be read out.
  setText($("people-count"), !ended && typeof count === "number"
    ? " · " + fill(ngettext("%(count)s person here", "%(count)s people here", count), { count }) : "");
  setText($("phase-intro"), ended ? "" : spec.intro);
  show($("phase-intro"), !ended);
  show($("ended-banner"), ended);
  // Written when it happens (not in the page from the start), so screen readers announce it.
  setText($("ended-title"), ended ? _("This session has ended. Thank you!") : "");
  if (view.me) setText($("welcome"), fill(_("Welcome, %(name)s"), { name: view.me.name }));
}

export function wire() {
  for (const toggle of document.querySelectorAll(".panel-toggle")) {
    toggle.addEventListener("click", () => {
      const node = toggle.closest(".panel");
      const expanded = toggle.getAttribute("aria-expanded") !== "true";
      node.dataset.opened = String(expanded); // the person's choice: live updates keep it open
      setExpanded(node.id.slice("panel-".length), expanded);
    });
  }
}
