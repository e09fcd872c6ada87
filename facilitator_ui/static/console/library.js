// The cohort's strategy library: what earlier sessions found, searched by text and topic, and brought onto
// today's board in one click (anonymous, under the topic being discussed). Its counts add up across sessions.
import { el, setText, show, syncList, syncOptions } from "/static/common/patch.js";
import { plural, run } from "../staff.js";

const $ = (id) => document.getElementById(id);
const ALL = "";
let channel = null;

// Case and accents aside: "cafe" finds "Café".
function folded(text) {
  return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

function day(seconds) {
  return new Date(seconds * 1000).toLocaleDateString([], { weekday: "short", day: "numeric", month: "short" });
}

export function render(view) {
  const library = view.library;
  show($("library-panel"), Array.isArray(library));
  if (!Array.isArray(library)) return;
  const topics = [...new Set(library.map((s) => s.topic).filter(Boolean))].sort((a, b) => a.localeCompare(b));
  syncOptions($("library-topic"), [{ value: ALL, label: "All topics" }, ...topics.map((t) => ({ value: t, label: t }))]);
  const words = folded($("library-search").value).split(/\s+/).filter(Boolean);
  const topic = $("library-topic").value;
  const found = library.filter((s) => (topic === ALL || s.topic === topic)
    && words.every((word) => folded(s.text + " " + s.topic).includes(word)));
  const closed = view.session.phase === "closed";
  setText($("library-count"), library.length === 0 ? ""
    : found.length === library.length ? plural(library.length, "strategy", "strategies")
      : found.length + " of " + plural(library.length, "strategy", "strategies"));
  setText($("library-empty"), library.length === 0 ? "No strategies from earlier sessions of this cohort yet."
    : found.length === 0 ? "No strategy in the library matches that." : "");
  show($("library-empty"), library.length === 0 || found.length === 0);
  show($("library-search-form"), library.length > 0);
  syncList($("library-list"), found, (s) => s.id, makeEntry, (row, s) => {
    row.dataset.onBoard = String(Boolean(s.on_board));
    setText(row.querySelector(".library-text"), s.text);
    const meta = [s.topic ? "on " + s.topic : "no topic", day(s.session_starts_at)];
    if (s.helpful) meta.push("could help " + plural(s.helpful, "person", "people"));
    if (s.tried) meta.push(plural(s.tried, "person", "people") + " tried it and it helped");
    setText(row.querySelector(".library-meta"), meta.join(" · "));
    const bring = row.querySelector(".bring-button");
    const label = s.on_board ? "On today’s board" : "Bring to board";
    if (bring.dataset.pending) bring.dataset.label = label;
    else setText(bring, label);
    // Off once on the board, but still focusable: the focus stays where the facilitator clicked.
    if (s.on_board) bring.setAttribute("aria-disabled", "true");
    else bring.removeAttribute("aria-disabled");
    bring.setAttribute("aria-label", label + ": “" + s.text + "”");
    show(bring, !closed);
  });
}

function makeEntry(strategy) {
  const error = el("p", { class: "error", role: "alert" });
  const bring = el("button", { type: "button", class: "small bring-button" }, "Bring to board");
  bring.addEventListener("click", () => {
    if (bring.getAttribute("aria-disabled") === "true") return;
    run(bring, error, channel.send("bring_strategy", { library_id: strategy.id }));
  });
  return el("li", {}, el("p", { class: "library-text" }), el("p", { class: "subtle library-meta" }), bring, error);
}

export function wire(liveChannel) {
  channel = liveChannel;
  const again = () => channel.view && render(channel.view);
  $("library-search").addEventListener("input", again);
  $("library-topic").addEventListener("change", again);
  $("library-search-form").addEventListener("submit", (event) => event.preventDefault());
}
