// The clinician's room: asked once (at the first call, or in the header), remembered per clinician on this
// device, so that every call says where to go.
import { setText, show } from "/static/common/patch.js";

const $ = (id) => document.getElementById(id);
let key = "";
let room = "";

export function currentRoom() {
  return room;
}

export function setRoom(value) {
  room = value.trim();
  try {
    window.localStorage.setItem(key, room);
  } catch (blocked) {
    // Storage can be off (private mode): nothing to remember it in beyond this page.
  }
  showRoom();
}

function showRoom() {
  setText($("room-name"), room || "not set yet");
  setText($("room-change"), room ? "change" : "set");
}

// Reads the room remembered for clinician `me` and wires the header's form.
export function wire(me) {
  key = "groupvisit-room-" + me;
  try {
    room = (window.localStorage.getItem(key) || "").trim();
  } catch (blocked) {
    // As above: the room is then asked once per page instead.
  }
  showRoom();
  $("room-change").addEventListener("click", () => {
    $("room").value = room;
    show($("room-shown"), false);
    show($("room-form"), true);
    $("room").focus();
  });
  $("room-form").addEventListener("submit", (event) => {
    event.preventDefault();
    if ($("room").value.trim()) setRoom($("room").value);
    show($("room-form"), false);
    show($("room-shown"), true);
    $("room-change").focus();
  });
}
