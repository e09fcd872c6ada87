// Who is waiting, in calling order: when each is expected to be called and by whom, what calling them would
// take them out of, numbers out of range (flagged here only: never on the console or the wall), and Call / Skip.
import { el, setText, show, syncList } from "/static/common/patch.js";
import { conflictText, expectedText, liveSlots } from "../plan.js";
import { duration, run, setDisabled } from "../staff.js";
import { fillUndo, makeUndo } from "../undo.js";
import { cardParts, fillCard, goalsOf } from "./card.js";
import { currentRoom, setRoom } from "./room.js";

const $ = (id) => document.getElementById(id);
const FLAGS = { bp_high: "blood pressure high", glucose_low: "glucose low", glucose_high: "glucose high" };

export function render(view, screen) {
  const { waiting, active } = view.queue;
  const busyWith = active.find((e) => e.clinician_id === screen.me);
  const closed = view.session.phase === "closed";
  const now = screen.now();
  const slots = liveSlots(view.queue.plan, now);
  const goals = goalsOf(view);
  setText($("waiting-count"), waiting.length);
  show($("waiting-empty"), waiting.length === 0);
  // One encounter at a time: say why Call is off instead of letting the server refuse.
  show($("busy-note"), Boolean(busyWith) && waiting.length > 0);
  setText($("busy-note"), busyWith
    ? "You are with " + busyWith.name + ": complete that encounter or send them back before calling someone else."
    : "");
  syncList($("waiting-list"), waiting, (e) => e.encounter_id, (e) => makeWaitingCard(e, screen.send),
    (card, e, index) => {
      fillCard(card, e, goals);
      const slot = slots.get(e.encounter_id);
      setText(card.querySelector(".position"), index + 1);
      setText(card.querySelector(".expected"), closed ? "" : expectedText(slot, now, screen.me));
      card.querySelector(".expected").dataset.planned = String(Boolean(slot));
      setText(card.querySelector(".waited"), closed ? "Not seen" : "Waiting " + duration(now - e.queued_at));
      show(card.querySelector(".button-row"), !closed); // nobody can be called once the session has closed
      setText(card.querySelector(".returns"), e.returns === 0 ? ""
        : "Back in the queue " + (e.returns === 1 ? "once" : e.returns + " times"));
      const conflict = closed ? "" : conflictText(view, e, slot, now, Boolean(goals.get(e.participant_id)));
      setText(card.querySelector(".conflict-text"), conflict);
      show(card.querySelector(".conflict"), Boolean(conflict));
      const flags = e.flags.map((f) => FLAGS[f] || f).join(", ");
      setText(card.querySelector(".flags-text"), flags ? "Numbers out of range: " + flags : "");
      show(card.querySelector(".flags"), Boolean(flags));
      const call = card.querySelector("[data-testid=call]");
      setDisabled(call, Boolean(busyWith));
      call.setAttribute("aria-label", "Call " + e.name);
      card.querySelector("[data-testid=skip]").setAttribute("aria-label", "Skip " + e.name + " for now");
      fillUndo(card.querySelector(".undo-box"), e, now);
    });
}

function makeWaitingCard(e, send) {
  const alertNode = el("p", { class: "error", role: "alert" });
  // The card's warnings are read with its Call button: a clinician hears why before they call.
  const conflictId = "conflict-" + e.encounter_id;
  const flagsId = "flags-" + e.encounter_id;
  const call = el("button", { type: "button", class: "primary", "data-testid": "call",
    "aria-describedby": ["busy-note", conflictId, flagsId].join(" ") }, "Call");
  const skip = el("button", { type: "button", "data-testid": "skip" }, "Skip");
  // With no room yet, Call asks for it right here; Call again (or Enter) sends it.
  const askId = "room-ask-" + e.encounter_id;
  const ask = el("input", { id: askId, class: "room-ask-input", maxlength: "40", autocomplete: "off",
    placeholder: "e.g. Exam room 2" });
  const asking = el("form", { class: "room-ask" },
    el("label", { for: askId }, "Your room (asked once, remembered on this device)"), ask);
  asking.hidden = true;
  asking.addEventListener("submit", (event) => {
    event.preventDefault();
    call.click();
  });
  call.addEventListener("click", () => {
    if (!currentRoom() && ask.value.trim()) setRoom(ask.value);
    if (!currentRoom()) {
      show(asking, true);
      ask.focus();
      setText(alertNode, "Which room should they come to? Type it, then Call again.");
      return;
    }
    show(asking, false);
    run(call, alertNode, send("call_participant", { encounter_id: e.encounter_id, room: currentRoom() }), "Calling…");
  });
  skip.addEventListener("click", () => {
    run(skip, alertNode, send("skip_encounter", { encounter_id: e.encounter_id }), "Skipping…");
  });
  const [who, ...about] = cardParts();
  return el("li", { class: "encounter" },
    el("div", { class: "card-head" },
      el("span", { class: "position", "aria-hidden": "true" }), who,
      el("span", { class: "expected", "data-testid": "expected" }),
      el("span", { class: "waited subtle" }), el("span", { class: "returns subtle" })),
    el("p", { class: "flags", "data-testid": "flags" }, el("span", { "aria-hidden": "true" }, "⚑ "),
      el("span", { class: "flags-text", id: flagsId })),
    el("p", { class: "conflict", "data-testid": "conflict" }, el("span", { "aria-hidden": "true" }, "⚠ "),
      el("span", { class: "conflict-text", id: conflictId })),
    ...about,
    asking,
    el("div", { class: "button-row" }, call, skip),
    alertNode,
    makeUndo(e, send));
}
