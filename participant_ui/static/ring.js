// Being called also reaches someone who is not looking at the screen: a short chime made on the spot
// with the Web Audio API (no sound file) and a vibration, where the device allows them. Browsers keep a
// page silent until the person has touched it, so the audio is unlocked by their first touch or key; the
// vibration likewise waits for one. The person can turn the sound off: the choice stays on this device.
const $ = (id) => document.getElementById(id);
const SOUND_KEY = "gv-call-sound"; // "off" when the person turned the sound off
const VIBRATION = [200, 100, 200]; // ms: buzz, pause, buzz

let audio = null; // made on the first touch while the sound is on

function soundOn() {
  return $("call-sound-on").checked;
}

function remembered() {
  try {
    return window.localStorage.getItem(SOUND_KEY) !== "off";
  } catch {
    return true; // storage blocked: the default
  }
}

function remember(on) {
  try {
    window.localStorage.setItem(SOUND_KEY, on ? "on" : "off");
  } catch {
    // storage blocked: the switch still works for this page
  }
}

// Has the person touched the page yet? (Before that, browsers refuse sound and vibration.)
function touched() {
  return !navigator.userActivation || navigator.userActivation.hasBeenActive;
}

function unlock() {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!soundOn() || !Context) return;
  if (audio === null) audio = new Context();
  if (audio.state === "suspended") audio.resume().catch(() => {});
}

// Two rising notes in one gentle tone, about half a second: a chime, not an alarm.
function chime() {
  if (audio === null || !soundOn()) return;
  const start = audio.currentTime;
  const oscillator = audio.createOscillator();
  const volume = audio.createGain();
  oscillator.type = "sine";
  oscillator.frequency.setValueAtTime(660, start);
  oscillator.frequency.setValueAtTime(880, start + 0.18);
  volume.gain.setValueAtTime(0.0001, start);
  volume.gain.exponentialRampToValueAtTime(0.3, start + 0.02);
  volume.gain.exponentialRampToValueAtTime(0.0001, start + 0.6);
  oscillator.connect(volume).connect(audio.destination);
  oscillator.start(start);
  oscillator.stop(start + 0.62);
}

// Called once when the person's call comes (call.js decides when).
export function ring() {
  if (!touched()) return;
  chime();
  if (typeof navigator.vibrate === "function") navigator.vibrate(VIBRATION);
}

export function wire() {
  const toggle = $("call-sound-on");
  toggle.checked = remembered();
  toggle.addEventListener("change", () => {
    remember(toggle.checked);
    unlock(); // this tap is a touch too
  });
  for (const kind of ["click", "keydown", "touchend"]) {
    document.addEventListener(kind, unlock, { passive: true, capture: true });
  }
}
