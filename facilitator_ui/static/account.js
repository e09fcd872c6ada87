// The end of a staff sign-in, the same in every tab of this browser: when it ends — by the sign-out
// button here or in another tab, by this page's own idle clock or limit, or by the server — the page
// takes every patient's data off the screen at once, then goes to the sign-in page saying why.
const TABS = "groupvisit-staff-sign-in"; // a BroadcastChannel: every staff tab of this browser hears it
const tabs = "BroadcastChannel" in window ? new BroadcastChannel(TABS) : null;
let leaving = false;

// Everything goes but a short notice (and the sign-out form, which may still have to be sent).
function clearScreen(form) {
  const notice = document.createElement("p");
  notice.className = "leaving";
  notice.setAttribute("role", "status");
  notice.textContent = "Signed out: opening the sign-in page…";
  const main = document.createElement("main");
  main.append(notice);
  if (form) {
    form.hidden = true;
    main.append(form);
  }
  document.body.replaceChildren(main);
  document.title = "Signed out";
}

// Once the screen is cleared nothing may draw on it again: its parts are gone.
export function hasLeft() {
  return leaving;
}

function field(form, name, value) {
  const input = document.createElement("input");
  input.type = "hidden";
  input.name = name;
  input.value = value;
  form.append(input);
}

// This browser decided (`why`: "idle", "time limit" or "signed out", a key the sign-in page explains):
// the server is told, which ends the sign-in if it has not ended yet, and answers with the sign-in page.
export function leave(why) {
  if (leaving) return;
  leaving = true;
  if (tabs) tabs.postMessage({ why });
  const form = document.querySelector("form.sign-out");
  clearScreen(form);
  if (!form) {
    window.location.replace("/login?" + new URLSearchParams({ ended: why }));
    return;
  }
  field(form, "why", why);
  field(form, "next", window.location.pathname);
  form.submit();
}

// The server has ended the sign-in already (and said why): straight to the sign-in page.
export function leaveFor(signInUrl, why) {
  if (leaving) return;
  leaving = true;
  clearScreen(null);
  const url = new URL(signInUrl, window.location.href);
  url.searchParams.set("ended", why || "idle");
  window.location.replace(url.toString());
}

// Signing out here signs out every other tab at once (they share the sign-in cookie).
for (const form of document.querySelectorAll("form.sign-out")) {
  form.addEventListener("submit", () => {
    if (leaving) return;
    leaving = true;
    if (tabs) tabs.postMessage({ why: "signed out" });
  });
}
if (tabs) tabs.addEventListener("message", (event) => leave(String(event.data && event.data.why || "signed out")));
