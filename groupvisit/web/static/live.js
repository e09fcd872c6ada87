// The live channel shared by every screen: one websocket, a view kept in sequence,
// commands with ids, and a visible connection state. No framework, no build step: an ES module
// every screen imports (modules are strict by themselves).
const BACKOFF_START_MS = 500;
const BACKOFF_CAP_MS = 15000;
const ACTIVITY_EVERY_MS = 60000;
const CLOSE_ENDED = 4401; // the sign-in, display link or device credential has ended

// Configuration a page hands to its script, as JSON (never inline code).
export function config() {
  const node = document.getElementById("gv-config");
  return node ? JSON.parse(node.textContent) : {};
}

function wsUrl(path, since) {
  const url = new URL(path, window.location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  if (since !== null) url.searchParams.set("since", String(since));
  return url.toString();
}

function commandId() {
  if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
  return Date.now().toString(36) + Math.random().toString(36).slice(2);
}

// connect({url, onView, onEvent, onStatus, onPresence, keepAfterEnd}) -> {send(name, args), view, serverNow(), reportActivity()}
// `keepAfterEnd`: after the session has ended, a dropped connection still comes back (a staff screen's
// connection is how the server tells it that its sign-in ended).
export function connect(options) {
  const handlers = Object.assign(
    { onView() {}, onEvent() {}, onStatus() {}, onPresence() {} },
    options
  );
  const channel = {
    view: null,
    seq: null,
    presence: null, // staff screens: the ids of participants with a screen open now (a `presence` frame)
    status: "connecting",
    clockOffsetMs: 0,
    serverNow() {
      return Date.now() + this.clockOffsetMs;
    },
    send,
  };
  const pending = new Map();
  let socket = null;
  let opened = false;
  let attempt = 0;
  let stopped = false;

  function setStatus(status, detail) {
    channel.status = status;
    handlers.onStatus(status, detail || "");
  }

  function open() {
    setStatus(ended() ? "ended" : attempt === 0 ? "connecting" : "reconnecting");
    opened = false;
    socket = new WebSocket(wsUrl(options.url, channel.seq));
    socket.addEventListener("open", () => {
      attempt = 0;
      opened = true;
      setStatus(ended() ? "ended" : "live");
      // Commands still waiting for their ack go again with the same ids: the server runs
      // each id once and answers a repeat with the original result.
      for (const entry of pending.values()) socket.send(entry.frame);
    });
    socket.addEventListener("message", (msg) => receive(JSON.parse(msg.data)));
    socket.addEventListener("close", (event) => closed(event));
  }

  function ended() {
    return Boolean(channel.view && channel.view.session && channel.view.session.phase === "closed");
  }

  function stop(status, reason) {
    stopped = true;
    for (const entry of pending.values()) entry.reject({ code: status, reason });
    pending.clear();
    setStatus(status, reason);
  }

  function closed(event) {
    if (stopped) return;
    // A credential that ended wins over an ended session: a sign-in that lapses after close, or a shared
    // tablet wiped at close, must still leave the screen.
    if (event.code === CLOSE_ENDED) {
      stop("signed_out", event.reason);
      return;
    }
    if (ended() && !options.keepAfterEnd) {
      stop("ended", "the session has ended");
      return;
    }
    if (event.code === 1008) {
      stop("refused", event.reason || "this screen's access was refused");
      return;
    }
    if (!opened) {
      // A refused handshake looks like a network error to a browser: ask the page itself.
      fetch(window.location.href, { method: "HEAD", cache: "no-store" })
        .then((response) => {
          const landed = new URL(response.url);
          if (response.redirected && landed.pathname === "/login") {
            // A staff screen whose sign-in ended: the sign-in page's address says why.
            stop("signed_out", landed.searchParams.get("ended") || "");
          } else if (response.status === 403 || response.status === 404 || response.redirected) {
            stop("refused", "this screen's access was refused: open the link you were given again");
          } else {
            retry();
          }
        })
        .catch(retry);
      return;
    }
    retry();
  }

  function retry() {
    attempt += 1;
    // Capped, jittered exponential backoff: a room of tablets must not return in one instant.
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_START_MS * 2 ** attempt);
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    setStatus(ended() ? "ended" : "reconnecting");
    window.setTimeout(open, delay);
  }

  function receive(msg) {
    if (typeof msg.now === "number") {
      channel.clockOffsetMs = msg.now * 1000 - Date.now();
    }
    if (msg.type === "snapshot") {
      channel.view = msg.view;
      channel.seq = msg.seq;
      setStatus(ended() ? "ended" : "live");
      handlers.onView(channel.view, Object.keys(msg.view), msg);
    } else if (msg.type === "event") {
      if (channel.seq === null || msg.seq <= channel.seq) return; // already applied
      if (msg.seq !== channel.seq + 1) {
        // A gap: never guess, ask for the whole view again.
        socket.send(JSON.stringify({ type: "snapshot_request" }));
        return;
      }
      channel.seq = msg.seq;
      Object.assign(channel.view, msg.view || {});
      if (ended() && channel.status !== "ended") setStatus("ended", "the session has ended");
      if (msg.event) handlers.onEvent(msg.event, msg);
      handlers.onView(channel.view, Object.keys(msg.view || {}), msg);
    } else if (msg.type === "presence") {
      channel.presence = msg.connected;
      handlers.onPresence(msg.connected);
    } else if (msg.type === "ack") {
      const entry = pending.get(msg.id);
      if (entry) {
        pending.delete(msg.id);
        entry.resolve(msg);
      }
    } else if (msg.type === "error") {
      const entry = msg.id ? pending.get(msg.id) : null;
      if (entry) {
        pending.delete(msg.id);
        entry.reject(msg);
      } else if (handlers.onError) {
        handlers.onError(msg);
      }
    }
  }

  // Resolves with the ack, rejects with {code, reason}. While the connection is down the
  // command waits (in memory only: tablets are shared) and goes as soon as it is back.
  function send(name, args) {
    return new Promise((resolve, reject) => {
      if (stopped) {
        reject({ code: channel.status, reason: "this screen is no longer connected" });
        return;
      }
      const id = commandId();
      const frame = JSON.stringify({ type: "command", id, name, args: args || {} });
      pending.set(id, { frame, resolve, reject });
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(frame);
    });
  }

  // Someone touching or typing keeps a staff sign-in (or a shared tablet) from going idle;
  // just reading does not. Told to the server at most once a minute; input within that minute
  // is told at its end, so the server's idle clock starts no earlier than the screen's own.
  let lastReported = 0;
  let trailing = null;
  function reportActivity(now) {
    if (now === true && socket && socket.readyState === WebSocket.OPEN) {
      // Asked for at once (a "stay signed in" button): the server hears it now, whatever was sent before.
      if (trailing !== null) window.clearTimeout(trailing);
      trailing = null;
      lastReported = Date.now();
      socket.send(JSON.stringify({ type: "activity" }));
      return;
    }
    if (trailing !== null) return;
    const wait = lastReported + ACTIVITY_EVERY_MS - Date.now();
    if (wait > 0) {
      trailing = window.setTimeout(() => {
        trailing = null;
        reportActivity();
      }, wait);
      return;
    }
    if (!socket || socket.readyState !== WebSocket.OPEN) return; // (re)connecting counts as activity itself
    lastReported = Date.now();
    socket.send(JSON.stringify({ type: "activity" }));
  }
  channel.reportActivity = reportActivity; // for a screen's own "I'm still here"
  for (const kind of ["pointerdown", "keydown", "wheel"]) {
    document.addEventListener(kind, () => reportActivity(), { passive: true, capture: true });
  }

  open();
  return channel;
}

// Time as the screens show it.
export function clockTime(seconds) {
  return new Date(seconds * 1000).toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
}

export function countdown(msLeft) {
  const total = Math.max(0, Math.round(msLeft / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return minutes + ":" + String(seconds).padStart(2, "0");
}

// The server plans pending topics as if the current one ends on time; while it runs over,
// every later topic slips by the same amount. Returns the agenda's items and predicted end, shifted.
export function liveAgenda(agenda, goalsAt, nowSeconds) {
  const current = agenda.current;
  const overrun = current ? Math.max(0, nowSeconds - current.ends_at) : 0;
  const items = agenda.items.map((item) => {
    if (item.status !== "pending") return item;
    const plannedEnd = item.planned_end + overrun;
    return Object.assign({}, item, {
      planned_start: item.planned_start + overrun,
      planned_end: plannedEnd,
      fits: plannedEnd <= goalsAt,
    });
  });
  const predictedEnd = agenda.predicted_end === null ? null : agenda.predicted_end + overrun;
  return { items, predictedEnd };
}

