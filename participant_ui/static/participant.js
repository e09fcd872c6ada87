// The participant's live screen. It follows the session's phase (the most relevant
// panel first and open, the rest folded below), shows the person's own one-on-one,
// and sends their commands. Forms live in the page and are never rebuilt; lists are
// updated in place by key, so focus and half-typed text survive every live update.
// Whatever people typed is rendered with textContent only.
//
// Every text is English in the source and marked for gettext, `_("…")` or `ngettext("…", "…", n)`,
// always with plain double-quoted strings so Babel's extractor finds them (babel.cfg); the page hands
// over their translations as JSON (#gv-messages). Placeholders are `%(name)s`, filled by `fill`.
"use strict";

(function () {
  const el = GV.el;
  const $ = (id) => document.getElementById(id);

  // ---------- language ----------

  const I18N = (() => {
    const node = document.getElementById("gv-messages");
    return node ? JSON.parse(node.textContent) : { language: "en", messages: {} };
  })();
  const LANG = I18N.language || document.documentElement.lang || "en";
  // The person's own regional variant when the browser has one (es-MX, en-GB), else the language.
  const LOCALE = (navigator.languages || []).find((tag) => tag.toLowerCase().split("-")[0] === LANG) || LANG;
  const TIME_FORMAT = new Intl.DateTimeFormat(LOCALE, { hour: "numeric", minute: "2-digit" });
  const NUMBER_FORMAT = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 });

  function _(message) {
    const text = I18N.messages[message];
    return typeof text === "string" && text !== "" ? text : message;
  }

  // English and Spanish both have two forms: one, and everything else (gettext's `n != 1`).
  function ngettext(singular, plural, n) {
    const forms = I18N.messages[singular];
    const index = n === 1 ? 0 : 1;
    if (Array.isArray(forms) && forms[index]) return forms[index];
    return index === 0 ? singular : plural;
  }

  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, (whole, name) => (name in values ? String(values[name]) : whole));
  }

  function clockTime(seconds) {
    return TIME_FORMAT.format(new Date(seconds * 1000));
  }

  const OPEN = ["check_in", "agenda", "discussion", "goals", "wrap_up"];
  // The phases in which the server accepts each command (groupvisit/domain/commands.py).
  const ALLOWED = {
    record_numbers: OPEN,
    request_visit: OPEN,
    propose_topic: ["check_in", "agenda"],
    cast_vote: ["agenda"],
    retract_vote: ["agenda"],
    room_vote: ["discussion"],
    capture_strategy: OPEN,
    mark_helpful: OPEN,
    set_goal: ["goals", "wrap_up"],
    share_goal: ["goals", "wrap_up"],
    give_evaluation: ["wrap_up"],
  };

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
      step: 5, name: _("Wrap-up"), panels: ["evaluation", "goal", "strategies", "checkin"], open: ["evaluation"],
      intro: _("Almost done! Tell us how today went."),
    },
    closed: { step: null, name: _("Ended"), panels: ["goal", "strategies"], open: ["goal"], intro: "" },
  };
  const STEPS = 5;
  const IDLE_WARNING_SECONDS = 60; // how long a shared tablet asks "Are you still here?" before it forgets
  const IDLE_ANNOUNCE_AT = [30, 10]; // seconds left when the countdown is read out again
  const BASE_TITLE = document.title;

  let channel = null;
  let connection = "connecting";
  let arrangedFor = ""; // the phase and panel list the panels were last arranged for
  let timeWasUp = false;
  let lastVotesLeft = null;
  let editingEvaluation = false;
  let nudgeSettledFor = null; // the goal (by its `at`) whose low-confidence nudge was answered

  // ---------- small helpers ----------

  // Writes only real changes: rewriting the same text would make screen readers repeat it.
  function setText(node, text) {
    if (node.textContent !== text) node.textContent = text;
  }

  function show(node, visible) {
    node.hidden = !visible;
  }

  function sentence(reason) {
    const text = String(reason || _("Something went wrong: please try again."));
    const capital = text.charAt(0).toUpperCase() + text.slice(1);
    return /[.!?]$/.test(capital) ? capital : capital + ".";
  }

  // ---------- refusals ----------

  // The server explains a refusal in English, with a machine `code`. In English its own words say it
  // best; in another language the common refusals are said by code (and command, where the code is broad).
  const REFUSALS = {
    session_closed: _("The session has ended."),
    ended: _("The session has ended."),
    refused: _("This screen is no longer connected. Join again from the join page."),
    no_votes_left: _("You have no votes left. Take one back from another topic first."),
    not_checked_in: _("Check in first."),
    no_current_topic: _("No topic is being discussed right now."),
    too_early: _("The time for this topic has not run out yet."),
    agenda_done: _("There are no more topics on the agenda."),
    no_goal: _("Set your goal first."),
    not_found: _("That is no longer on the board."),
    too_long: _("That is too long: please make it shorter."),
    rate_limited: _("Too many tries at once: wait a moment and try again."),
    "cast_vote:wrong_phase": _("Voting is not open right now."),
    "retract_vote:wrong_phase": _("Voting is not open right now."),
    "propose_topic:wrong_phase": _("New topics can no longer be suggested."),
    "propose_topic:conflict": _("That topic is already on the board: vote for it instead."),
    "propose_topic:limit": _("The board is full: vote for a topic that is already there."),
    "capture_strategy:limit": _("The strategy board is full."),
    "mark_helpful:conflict": _("You have already marked this strategy."),
    "request_visit:conflict": _("Your one-on-one has already begun."),
    "retract_vote:invalid": _("You have no vote on this topic to take back."),
    "record_numbers:invalid": _("Please check your numbers: they look out of range."),
    "propose_topic:invalid": _("Write a topic first."),
    "capture_strategy:invalid": _("Write your tip first."),
    "request_visit:invalid": _("Write what you'd like to talk about first."),
    "set_goal:invalid": _("Please fill in each part of your goal."),
    wrong_phase: _("That can't be done at this point in the session."),
  };

  function showRefusal(errorBox, command, error) {
    if (LANG === "en") {
      errorBox.textContent = sentence(error.reason);
      return;
    }
    const known = REFUSALS[command + ":" + error.code] || REFUSALS[error.code];
    if (known) {
      errorBox.textContent = known;
      return;
    }
    // Anything rarer: said generally, with the server's own (English) words, marked as English.
    errorBox.replaceChildren(_("That didn't work."), " ", el("span", { lang: "en" }, sentence(error.reason)));
  }

  // A button that is sending keeps its pending look whatever the view says meanwhile.
  function setDisabled(control, disabled) {
    if (!control.dataset.pending) control.disabled = disabled;
  }

  // For states a person can still focus and ask about (no votes left, already marked).
  function setAriaDisabled(button, disabled, why) {
    if (disabled) {
      button.setAttribute("aria-disabled", "true");
      button.dataset.why = why;
    } else {
      button.removeAttribute("aria-disabled");
      delete button.dataset.why;
    }
  }

  // Every control of a form on or off by phase. (Its submit button starts off in the
  // page itself, so nothing can be sent, even by Enter, before the first view arrives.)
  function gateForm(form, allowed) {
    for (const control of form.elements) {
      if (control.tagName !== "FIELDSET") setDisabled(control, !allowed);
    }
  }

  // Moving or disabling a focused element drops focus to the page: put it back.
  function restoreFocus(node) {
    if (node && node !== document.body && node !== document.activeElement && node.isConnected && !node.disabled) {
      node.focus({ preventScroll: true });
    }
  }

  function can(view, command) {
    if (connection === "ended" || connection === "refused") return false;
    return ALLOWED[command].includes(view.session.phase);
  }

  function isDirty(form) {
    return form.dataset.dirty === "true";
  }

  function markClean(form) {
    delete form.dataset.dirty;
  }

  function updateCount(field) {
    const counter = $(field.dataset.count);
    const limit = Number(field.getAttribute("maxlength"));
    const left = limit - field.value.length;
    // Only near the limit: a counter from the first letter is noise.
    setText(counter, left <= Math.max(20, limit * 0.2)
      ? fill(ngettext("%(count)s character left", "%(count)s characters left", left), { count: left }) : "");
  }

  function setValue(field, value) {
    field.value = value === null || value === undefined ? "" : String(value);
    if (field.dataset.count) updateCount(field);
  }

  function checkRadio(form, name, value) {
    for (const radio of form.querySelectorAll(`input[name="${name}"]`)) {
      radio.checked = value !== null && value !== undefined && radio.value === String(value);
    }
  }

  function checkedValue(form, name) {
    const radio = form.querySelector(`input[name="${name}"]:checked`);
    return radio ? radio.value : null;
  }

  // Sends a command from `button`: disabled and "Sending…" until the server answers;
  // a refusal is shown in `errorBox`, next to the control used. Resolves true on success.
  function send(button, errorBox, name, args) {
    if (button.dataset.pending) return Promise.resolve(false);
    const hadFocus = document.activeElement === button;
    const label = Array.from(button.childNodes);
    button.dataset.pending = "true";
    button.disabled = true;
    button.textContent = _("Sending…");
    errorBox.textContent = "";
    return channel.send(name, args)
      .then(() => true, (error) => {
        showRefusal(errorBox, name, error);
        return false;
      })
      .finally(() => {
        delete button.dataset.pending;
        button.replaceChildren(...label);
        button.disabled = false;
        renderAll(); // re-applies what the view says about this button
        if (hadFocus) restoreFocus(button);
      });
  }

  // Keeps `list` showing `items` in order, reusing each item's element by key.
  function syncList(list, items, key, create, update) {
    const focused = document.activeElement;
    const existing = new Map(Array.from(list.children, (node) => [node.dataset.key, node]));
    items.forEach((item, index) => {
      const id = String(key(item));
      let node = existing.get(id);
      if (node) existing.delete(id);
      else {
        node = create(item);
        node.dataset.key = id;
      }
      update(node, item, index);
      if (list.children[index] !== node) list.insertBefore(node, list.children[index] || null);
    });
    for (const node of existing.values()) node.remove();
    restoreFocus(focused);
  }

  // ---------- panels ----------

  function panel(name) {
    return $("panel-" + name);
  }

  function setExpanded(name, expanded) {
    const toggle = panel(name).querySelector(".panel-toggle");
    toggle.setAttribute("aria-expanded", String(expanded));
    show($(toggle.getAttribute("aria-controls")), expanded);
  }

  function holdsWork(node) {
    return node.contains(document.activeElement) || node.querySelector("form[data-dirty='true']") !== null;
  }

  function arrangePanels(names, open) {
    const container = $("panels");
    const focused = document.activeElement;
    for (const node of container.children) show(node, names.includes(node.id.slice("panel-".length)));
    names.forEach((name, index) => {
      if (container.children[index] !== panel(name)) container.insertBefore(panel(name), container.children[index]);
    });
    names.forEach((name, index) => {
      panel(name).dataset.primary = String(index === 0 && open.includes(name));
      // Never fold away a form someone is in the middle of.
      setExpanded(name, open.includes(name) || holdsWork(panel(name)));
    });
    restoreFocus(focused);
  }

  // ---------- renderers, one per part of the screen ----------

  function renderSession(view) {
    const phase = view.session.phase;
    const spec = PHASES[phase];
    const hasGoal = Boolean(view.me && view.me.goal);
    const names = spec.panels.filter((name) => !(phase === "closed" && name === "goal" && !hasGoal));
    const arrangement = phase + ":" + names.join(",");
    if (arrangement !== arrangedFor) {
      arrangedFor = arrangement;
      arrangePanels(names, spec.open);
    }
    const ended = phase === "closed" || connection === "ended";
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

  function renderVisit(view) {
    const visit = view.me && view.me.visit;
    const status = visit ? visit.status : null;
    const clinician = (visit && visit.clinician_name) || _("The doctor");
    const banner = $("called-banner");
    const announce = $("announce-alert");
    if (status === "called") {
      const who = fill(_("%(clinician)s is ready for you"), { clinician });
      const where = visit.room ? fill(_("Please go to: %(room)s"), { room: visit.room })
        : _("A team member will show you where to go.");
      setText($("called-who"), who);
      setText($("called-room"), where);
      if (banner.hidden) {
        // Written into the alert region as it happens (again if called again), so it is read out at once.
        setText(announce, [_("Your turn!"), who + ".", where].join(" "));
      }
      show(banner, true);
      document.title = _("Your turn!") + " " + BASE_TITLE;
    } else {
      show(banner, false);
      setText(announce, "");
      document.title = BASE_TITLE;
    }

    const card = $("visit-status");
    let title = "";
    let detail = "";
    if (status === "waiting") {
      title = _("You're in line for your one-on-one");
      detail = (visit.position === 1 ? _("You're next.") : fill(_("You're number %(position)s in line."), { position: visit.position })) +
        " " + _("A big message will appear here when the doctor is ready for you.");
    } else if (status === "in_progress") {
      title = fill(_("You're with %(clinician)s"), { clinician });
    } else if (status === "completed") {
      title = _("Your one-on-one is done");
      detail = _("Welcome back to the group.");
    }
    card.dataset.visit = status || "none";
    setText($("visit-status-title"), title);
    setText($("visit-status-detail"), detail);
    show(card, title !== "");
  }

  function numbersSummary(numbers) {
    const parts = [];
    if (numbers.bp_systolic !== null) {
      parts.push(fill(_("blood pressure %(top)s/%(bottom)s"), { top: numbers.bp_systolic, bottom: numbers.bp_diastolic }));
    }
    if (numbers.weight !== null) {
      parts.push(fill(_("weight %(weight)s %(unit)s"), { weight: NUMBER_FORMAT.format(numbers.weight), unit: numbers.weight_unit }));
    }
    if (numbers.glucose !== null) parts.push(fill(_("blood sugar %(glucose)s mg/dL"), { glucose: numbers.glucose }));
    return fill(_("Saved at %(time)s: %(numbers)s."), { time: clockTime(numbers.at), numbers: parts.join(", ") });
  }

  function renderCheckin(view) {
    const me = view.me || {};
    const numbersForm = $("numbers-form");
    gateForm(numbersForm, can(view, "record_numbers"));
    const numbers = me.numbers;
    if (numbers && !isDirty(numbersForm)) {
      setValue($("bp-systolic"), numbers.bp_systolic);
      setValue($("bp-diastolic"), numbers.bp_diastolic);
      setValue($("weight"), numbers.weight);
      setValue($("glucose"), numbers.glucose);
      checkRadio(numbersForm, "weight_unit", numbers.weight_unit);
    }
    setText($("numbers-saved"), numbers ? numbersSummary(numbers) : "");
    show($("numbers-saved"), Boolean(numbers));

    const visitForm = $("visit-form");
    const visit = me.visit;
    const waiting = Boolean(visit && visit.status === "waiting");
    const begun = Boolean(visit && (visit.status === "called" || visit.status === "in_progress"));
    gateForm(visitForm, can(view, "request_visit") && !begun);
    if (!isDirty(visitForm)) setValue($("visit-text"), waiting ? visit.request : "");
    const submit = $("visit-submit");
    if (!submit.dataset.pending) setText(submit, waiting ? _("Update my request") : _("Put me in line"));
    setText($("visit-saved"), waiting
      ? fill(_("Sent to your care team. You're number %(position)s in line."), { position: visit.position }) : "");
    show($("visit-saved"), waiting);
  }

  function createTopic(topic) {
    const row = el("li", { class: "topic", "data-topic-id": topic.id, "data-testid": "topic" });
    const refs = {
      rank: el("span", { class: "topic-rank" }),
      title: el("p", { class: "topic-title" }),
      meta: el("p", { class: "topic-meta" }),
      total: el("span", { class: "topic-total-number" }),
      totalWord: el("small"),
      minusName: el("span", { class: "visually-hidden" }),
      plusName: el("span", { class: "visually-hidden" }),
      mine: el("p", { class: "my-votes" }),
      error: el("p", { class: "error", role: "alert" }),
    };
    refs.minus = el("button", {
      type: "button", class: "btn btn-secondary vote-minus", "data-topic-id": topic.id, "data-testid": "vote-minus",
      onclick: () => vote(refs.minus, topic.id, "retract_vote", refs.error),
    }, _("− Take back"), refs.minusName);
    refs.plus = el("button", {
      type: "button", class: "btn vote-plus", "data-topic-id": topic.id, "data-testid": "vote-plus",
      onclick: () => vote(refs.plus, topic.id, "cast_vote", refs.error),
    }, _("+ Vote"), refs.plusName);
    refs.controls = el("div", { class: "vote-controls" }, refs.mine, refs.plus, refs.minus);
    row.append(
      el("div", { class: "topic-head" },
        refs.rank,
        el("div", { class: "topic-main" }, refs.title, refs.meta),
        el("p", { class: "topic-total" }, refs.total, refs.totalWord)),
      refs.controls, refs.error);
    row.refs = refs;
    return row;
  }

  function vote(button, topicId, command, errorBox) {
    if (button.getAttribute("aria-disabled") === "true") {
      errorBox.textContent = button.dataset.why;
      return;
    }
    send(button, errorBox, command, { topic_id: topicId });
  }

  function topicByline(topic) {
    if (topic.mine) return topic.anonymous ? _("Your topic (posted anonymously)") : _("Your topic");
    return topic.by ? fill(_("Suggested by %(name)s"), { name: topic.by }) : _("Suggested anonymously");
  }

  function renderTopics(view) {
    const phase = view.session.phase;
    const voting = can(view, "cast_vote");
    const votesLeft = view.me ? view.me.votes_left : 0;
    const hint = phase === "check_in"
      ? _("Voting starts when the group begins choosing topics. You can already suggest one.")
      : _("Tap “+ Vote” on the topics that matter most to you. You can put more than one vote on a topic.");
    setText($("topics-hint"), hint);
    show($("votes-left"), phase === "agenda");
    setText($("votes-left-count"), votesLeft > 0
      ? fill(ngettext("You have %(count)s vote left", "You have %(count)s votes left", votesLeft), { count: votesLeft })
      : _("You have no votes left"));
    setText($("votes-left-note"), votesLeft > 0
      ? _("Use them on the topics you care about most.")
      : _("To vote for something else, take one back first."));
    gateForm($("topic-form"), can(view, "propose_topic"));

    const votesChanged = votesLeft !== lastVotesLeft;
    lastVotesLeft = votesLeft;
    syncList($("topic-list"), view.topics, (t) => t.id, createTopic, (row, topic, index) => {
      const refs = row.refs;
      setText(refs.rank, index + 1 + ".");
      setText(refs.title, topic.title);
      setText(refs.meta, topicByline(topic));
      setText(refs.total, String(topic.votes));
      setText(refs.totalWord, ngettext("vote", "votes", topic.votes));
      setText(refs.minusName, " " + fill(_("a vote from: %(topic)s"), { topic: topic.title }));
      setText(refs.plusName, " " + fill(_("for: %(topic)s"), { topic: topic.title }));
      setText(refs.mine, topic.my_votes
        ? fill(_("Your votes on this: %(count)s"), { count: topic.my_votes }) : _("You have not voted for this"));
      row.dataset.myVotes = String(topic.my_votes);
      show(refs.controls, phase === "agenda");
      setDisabled(refs.minus, !voting);
      setDisabled(refs.plus, !voting);
      setAriaDisabled(refs.minus, topic.my_votes === 0, _("You have no vote on this topic to take back."));
      setAriaDisabled(refs.plus, votesLeft <= 0, _("You have no votes left. Take one back from another topic first."));
      // A "no votes left" note goes stale as soon as the count changes.
      if (votesChanged && !refs.plus.dataset.pending && !refs.minus.dataset.pending) refs.error.textContent = "";
    });
    show($("topic-empty"), view.topics.length === 0);
  }

  function createAgendaItem() {
    const row = el("li", { class: "agenda-item", "data-testid": "agenda-item" });
    row.refs = {
      mark: el("span", { class: "agenda-mark", "aria-hidden": "true" }),
      title: el("p", { class: "agenda-item-title" }),
      when: el("p", { class: "agenda-item-when" }),
    };
    row.append(row.refs.mark, el("div", {}, row.refs.title, row.refs.when));
    return row;
  }

  function agendaWhen(item) {
    if (item.status === "current") return fill(_("Now, planned until %(time)s"), { time: clockTime(item.ends_at) });
    if (item.status === "done") return _("Done");
    const when = fill(_("Planned %(start)s – %(end)s"), { start: clockTime(item.planned_start), end: clockTime(item.planned_end) });
    return item.fits ? when : when + " " + _("(may not fit in today's time)");
  }

  function renderDiscussion(view) {
    const agenda = view.agenda;
    const current = agenda.current;
    show($("current"), Boolean(current));
    show($("agenda-done"), !current);
    setText($("agenda-done"), agenda.items.length
      ? _("All the topics have been discussed.")
      : _("There are no topics on the agenda."));
    if (current) {
      setText($("current-title"), current.title);
      const minutes = current.next_extension_minutes;
      setText($("room-vote-question"), fill(ngettext(
        "Keep going for %(count)s more minute, or move on to the next topic?",
        "Keep going for %(count)s more minutes, or move on to the next topic?", minutes), { count: minutes }));
      for (const button of [$("room-vote-keep"), $("room-vote-move")]) {
        const choice = button.dataset.choice;
        const chosen = current.my_room_vote === choice;
        button.setAttribute("aria-pressed", String(chosen));
        setDisabled(button, !can(view, "room_vote"));
        if (button.dataset.pending) continue; // its label is "Sending…" until the answer comes
        setText(button.querySelector(".choice-mark"), chosen ? "✓ " + _("Your choice") : "");
        const votes = current.room_vote[choice] || 0;
        setText(button.querySelector(".choice-tally"), fill(ngettext("%(count)s vote", "%(count)s votes", votes), { count: votes }));
      }
    }
    tick();
  }

  // Planned times slip while the current topic runs over, so this runs every second too.
  function renderAgendaList(view) {
    const { items } = GV.liveAgenda(view.agenda, view.session.goals_at, channel.serverNow() / 1000);
    syncList($("agenda-list"), items, (item) => item.topic_id, createAgendaItem, (row, item) => {
      row.dataset.status = item.status;
      setText(row.refs.mark, item.status === "current" ? "▶" : item.status === "done" ? "✓" : "•");
      setText(row.refs.title, item.title);
      setText(row.refs.when, agendaWhen(item));
    });
  }

  // Every second: the countdown, from the server's clock; the room vote once time is up.
  function tick() {
    const view = channel && channel.view;
    const current = view && view.agenda && view.agenda.current;
    if (view && view.agenda) renderAgendaList(view);
    if (!current) {
      timeWasUp = false;
      return;
    }
    const left = current.ends_at * 1000 - channel.serverNow();
    const up = left <= 0;
    setText($("countdown"), GV.countdown(left));
    setText($("countdown-label"), up ? _("Time's up") : _("left for this topic"));
    show($("room-vote"), up && view.session.phase === "discussion");
    if (up && !timeWasUp) setText($("timer-announce"), _("Time's up for this topic. Choose: keep going, or move on."));
    if (!up) setText($("timer-announce"), "");
    timeWasUp = up;
  }

  function createStrategy(strategy) {
    const row = el("li", { class: "strategy", "data-strategy-id": strategy.id, "data-testid": "strategy" });
    const refs = {
      text: el("p", { class: "strategy-text" }),
      meta: el("p", { class: "strategy-meta" }),
      helpful: el("p", { class: "strategy-helpful" }),
      error: el("p", { class: "error", role: "alert" }),
    };
    refs.button = el("button", {
      type: "button", class: "btn btn-secondary helpful-button", "data-strategy-id": strategy.id,
      "data-testid": "mark-helpful", onclick: () => markHelpful(refs.button, strategy.id, refs.error),
    });
    row.append(refs.text, refs.meta, el("div", { class: "strategy-actions" }, refs.button, refs.helpful), refs.error);
    row.refs = refs;
    return row;
  }

  function markHelpful(button, strategyId, errorBox) {
    if (button.getAttribute("aria-pressed") === "true") return; // once only: it stays marked
    send(button, errorBox, "mark_helpful", { strategy_id: strategyId });
  }

  function strategyByline(strategy) {
    const who = strategy.mine ? _("Shared by you")
      : strategy.by ? fill(_("Shared by %(name)s"), { name: strategy.by }) : _("Shared anonymously");
    return strategy.topic_title ? who + " · " + fill(_("Topic: %(topic)s"), { topic: strategy.topic_title }) : who;
  }

  function renderStrategies(view) {
    gateForm($("strategy-form"), can(view, "capture_strategy"));
    const newestFirst = view.strategies.slice().sort((a, b) => b.at - a.at);
    syncList($("strategy-list"), newestFirst, (s) => s.id, createStrategy, (row, strategy) => {
      const refs = row.refs;
      setText(refs.text, strategy.text);
      setText(refs.meta, strategyByline(strategy));
      setText(refs.helpful, strategy.helpful
        ? fill(ngettext("%(count)s person thinks this could help them", "%(count)s people think this could help them",
          strategy.helpful), { count: strategy.helpful })
        : "");
      show(refs.button, !strategy.mine);
      if (!refs.button.dataset.pending) {
        setText(refs.button, strategy.marked ? "✓ " + _("Marked: could help me") : _("This could help me"));
      }
      refs.button.setAttribute("aria-pressed", String(strategy.marked));
      setDisabled(refs.button, !can(view, "mark_helpful"));
    });
    show($("strategy-empty"), view.strategies.length === 0);
  }

  function renderGoal(view) {
    const goal = view.me && view.me.goal;
    const phase = view.session.phase;
    show($("goal-saved"), Boolean(goal));
    if (goal) {
      setText($("goal-saved-what"), goal.what);
      setText($("goal-saved-how-much"), goal.how_much);
      setText($("goal-saved-when"), goal.when);
      setText($("goal-saved-how-often"), goal.how_often);
      renderConfidence(goal.confidence);
      setText($("goal-saved-sharing"), goal.shared
        ? "✓ " + _("Shared with the group.")
        : _("Private: only you and your care team can see it."));
      const toggle = $("goal-share-toggle");
      if (!toggle.dataset.pending) setText(toggle, goal.shared ? _("Stop sharing it") : _("Share it with the group"));
      show(toggle, can(view, "share_goal"));
    }

    const form = $("goal-form");
    show(form, phase !== "closed");
    gateForm(form, can(view, "set_goal"));
    setText($("goal-form-heading"), goal ? _("Change my plan") : _("Set one goal for the coming weeks"));
    const submit = $("goal-submit");
    if (!submit.dataset.pending) setText(submit, goal ? _("Save my changes") : _("Save my goal"));
    if (goal && !isDirty(form)) {
      setValue($("goal-what"), goal.what);
      setValue($("goal-how-much"), goal.how_much);
      setValue($("goal-when"), goal.when);
      setValue($("goal-how-often"), goal.how_often);
      checkRadio(form, "confidence", goal.confidence);
      $("goal-shared").checked = goal.shared;
    }
    show($("confidence-nudge"), Boolean(goal && goal.needs_rework && nudgeSettledFor !== goal.at && phase !== "closed"));
    for (const button of [$("nudge-easier"), $("nudge-keep")]) setDisabled(button, !can(view, "set_goal"));
  }

  // The saved confidence in words and the same picture as on the scale, not the number alone.
  function renderConfidence(confidence) {
    const option = document.querySelector(`label[for="confidence-${confidence}"]`);
    const face = $("goal-saved-face");
    if (face.dataset.confidence !== String(confidence)) {
      face.dataset.confidence = String(confidence);
      face.replaceChildren(...(option ? [option.querySelector("svg").cloneNode(true)] : []));
    }
    const word = option ? option.dataset.word : "";
    setText($("goal-saved-confidence"), fill(_("%(confidence)s out of 10"), { confidence }) + (word ? " — " + word : ""));
  }

  function createSharedGoal() {
    const row = el("li", { class: "shared-goal" });
    row.refs = { name: el("p", { class: "shared-goal-name" }), plan: el("p") };
    row.append(el("strong", {}, row.refs.name), row.refs.plan);
    return row;
  }

  function renderSharedGoals(view) {
    const goals = view.shared_goals;
    show($("shared-goals"), goals.length > 0);
    syncList($("shared-goal-list"), goals, (g) => g.name, createSharedGoal, (row, goal) => {
      setText(row.refs.name, goal.name);
      setText(row.refs.plan, `${goal.what}: ${goal.how_much}, ${goal.when}, ${goal.how_often}.`);
    });
  }

  function renderEvaluation(view) {
    const evaluation = view.me && view.me.evaluation;
    const form = $("evaluation-form");
    const thanks = Boolean(evaluation) && !editingEvaluation;
    show($("evaluation-thanks"), thanks);
    show(form, !thanks);
    gateForm(form, can(view, "give_evaluation"));
    setDisabled($("evaluation-edit"), !can(view, "give_evaluation"));
    if (evaluation && !isDirty(form)) {
      checkRadio(form, "rating", evaluation.rating);
      setValue($("evaluation-helped"), evaluation.helped);
      setValue($("evaluation-change"), evaluation.change);
    }
  }

  const RENDER_ORDER = [renderSession, renderVisit, renderCheckin, renderTopics, renderDiscussion,
    renderStrategies, renderGoal, renderSharedGoals, renderEvaluation];
  // Which renderers each view section feeds; a phase change (session) redraws everything.
  const RENDERED_BY = {
    session: RENDER_ORDER,
    me: [renderSession, renderVisit, renderCheckin, renderTopics, renderGoal, renderEvaluation],
    participant_count: [renderSession],
    topics: [renderTopics],
    agenda: [renderDiscussion],
    strategies: [renderStrategies],
    shared_goals: [renderSharedGoals],
    viewer: [],
  };

  function render(view, changed) {
    if (!view || !view.session) return;
    const due = new Set();
    for (const name of changed) for (const fn of RENDERED_BY[name] || RENDER_ORDER) due.add(fn);
    for (const fn of RENDER_ORDER) if (due.has(fn)) fn(view);
  }

  function renderAll() {
    if (channel && channel.view) render(channel.view, ["session"]);
  }

  // ---------- connection status ----------

  const STATUS_TEXT = {
    connecting: _("Connecting…"),
    live: _("Connected"),
    reconnecting: _("Connection lost. Trying again… (what you typed is kept)"),
    refused: _("Can't connect"),
    ended: _("The session has ended"),
  };

  function statusText(status, detail) {
    if (status !== "refused" || !detail) return STATUS_TEXT[status] || status;
    // The reason comes from the server or live.js, in English.
    return STATUS_TEXT.refused + ": " + (LANG === "en" ? sentence(detail) : REFUSALS.refused);
  }

  function onStatus(status, detail) {
    if (status === "signed_out") {
      // This device was wiped (Done elsewhere, or a shared tablet left idle): nothing of this
      // person may stay on the screen for the next one.
      leave();
      window.location.replace(GV.config().idle_seconds ? "/join?tablet=1" : "/join");
      return;
    }
    connection = status;
    const line = $("connection-status");
    line.dataset.status = status;
    setText(line, statusText(status, detail));
    renderAll(); // ended or refused: every control goes off
  }

  // ---------- forms ----------

  // An empty field is null (every number is optional); anything else must be a number.
  function parseNumber(field, problem, whole) {
    const raw = field.value.trim().replace(",", ".");
    if (raw === "") return null;
    const value = Number(raw);
    if (!Number.isFinite(value) || (whole && !Number.isInteger(value))) throw new Error(problem);
    return value;
  }

  function submitNumbers(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const error = $("numbers-error");
    let args;
    try {
      args = {
        bp_systolic: parseNumber($("bp-systolic"), _("Please write the top blood pressure number as a whole number, like 128."), true),
        bp_diastolic: parseNumber($("bp-diastolic"), _("Please write the bottom blood pressure number as a whole number, like 82."), true),
        weight: parseNumber($("weight"), _("Please write your weight as a number, like 180."), false),
        weight_unit: checkedValue(form, "weight_unit") || "kg",
        glucose: parseNumber($("glucose"), _("Please write your blood sugar as a whole number, like 130."), true),
      };
    } catch (problem) {
      error.textContent = problem.message;
      return;
    }
    if (args.bp_systolic === null && args.bp_diastolic === null && args.weight === null && args.glucose === null) {
      error.textContent = _("Write at least one number first. (This part is optional: you can skip it.)");
      return;
    }
    send($("numbers-submit"), error, "record_numbers", args).then((ok) => {
      if (ok) {
        markClean(form);
        renderAll();
      }
    });
  }

  function submitVisit(event) {
    event.preventDefault();
    const form = event.currentTarget;
    send($("visit-submit"), $("visit-error"), "request_visit", { text: $("visit-text").value }).then((ok) => {
      if (ok) {
        markClean(form);
        renderAll();
      }
    });
  }

  function submitTopic(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const args = { title: $("topic-title").value, anonymous: $("topic-anonymous").checked };
    send($("topic-submit"), $("topic-error"), "propose_topic", args).then((ok) => {
      if (ok) {
        form.reset();
        updateCount($("topic-title"));
        markClean(form);
      }
    });
  }

  function submitStrategy(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const args = { text: $("strategy-text").value, anonymous: $("strategy-anonymous").checked };
    send($("strategy-submit"), $("strategy-error"), "capture_strategy", args).then((ok) => {
      if (ok) {
        form.reset();
        updateCount($("strategy-text"));
        markClean(form);
      }
    });
  }

  function submitGoal(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const confidence = checkedValue(form, "confidence");
    if (confidence === null) {
      $("goal-error").textContent = _("Choose how sure you are, from 0 to 10.");
      return;
    }
    const args = {
      what: $("goal-what").value, how_much: $("goal-how-much").value, when: $("goal-when").value,
      how_often: $("goal-how-often").value, confidence: Number(confidence), shared: $("goal-shared").checked,
    };
    send($("goal-submit"), $("goal-error"), "set_goal", args).then((ok) => {
      if (ok) {
        markClean(form);
        renderAll();
      }
    });
  }

  function toggleShare() {
    const goal = channel.view.me && channel.view.me.goal;
    if (goal) send($("goal-share-toggle"), $("goal-share-error"), "share_goal", { shared: !goal.shared });
  }

  function settleNudge(makeEasier) {
    const goal = channel.view.me && channel.view.me.goal;
    nudgeSettledFor = goal ? goal.at : null;
    renderAll();
    // The nudge (and the button just pressed) goes away: move focus somewhere useful.
    $(makeEasier ? "goal-how-much" : "goal-saved-heading").focus();
  }

  function submitEvaluation(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const rating = checkedValue(form, "rating");
    if (rating === null) {
      $("evaluation-error").textContent = _("Choose a rating from 1 to 5 first.");
      return;
    }
    const args = { rating: Number(rating), helped: $("evaluation-helped").value, change: $("evaluation-change").value };
    send($("evaluation-submit"), $("evaluation-error"), "give_evaluation", args).then((ok) => {
      if (ok) {
        markClean(form);
        editingEvaluation = false;
        renderAll();
        $("evaluation-thanks-title").focus(); // the form just went away: keep the person's place
      }
    });
  }

  function editEvaluation() {
    editingEvaluation = true;
    renderAll();
    const first = $("evaluation-form").querySelector("input:checked") || $("rating-1");
    first.focus();
  }

  function roomVote(event) {
    const button = event.currentTarget;
    if (button.getAttribute("aria-pressed") === "true") return; // already their choice
    send(button, $("room-vote-error"), "room_vote", { choice: button.dataset.choice });
  }

  // "Done" wipes this device's place in the session, so it asks once before leaving.
  function confirmDone(event) {
    if (!$("done-confirm").hidden) {
      leave(); // second press: the form posts, and the screen is cleared meanwhile
      return;
    }
    event.preventDefault();
    show($("done-confirm"), true);
    show($("done-cancel"), true);
    setText($("done-button"), _("Yes, I'm done"));
    $("done-button").setAttribute("aria-describedby", "done-question done-hint");
  }

  function cancelDone() {
    show($("done-confirm"), false);
    show($("done-cancel"), false);
    setText($("done-button"), _("Done"));
    $("done-button").setAttribute("aria-describedby", "done-hint");
    $("done-button").focus();
  }

  // ---------- leaving ----------

  // Takes everything of this person off the screen at once, before the next page arrives.
  function leave() {
    document.body.classList.add("leaving");
  }

  // Done, without asking again (the idle question asked already): the server forgets this device.
  function wipe() {
    if (document.body.classList.contains("leaving")) return;
    const dialog = $("idle-dialog");
    if (!dialog.open) dialog.showModal();
    leave();
    $("done-form").submit(); // not requestSubmit: that would ask "Leave the session?" first
  }

  // A shared clinic tablet forgets its patient after `idleSeconds` without a touch or key (the server
  // ends the device's credential then too). A minute before, it asks; "I'm still here" or any touch
  // keeps the person, and no answer or "I'm done" wipes the device. A personal phone never asks.
  function watchIdle(idleSeconds) {
    const dialog = $("idle-dialog");
    const warnFor = Math.min(IDLE_WARNING_SECONDS, idleSeconds / 2);
    let lastInput = Date.now();
    let announced = Infinity; // the last second read out, so each is said once

    function stay() {
      lastInput = Date.now();
      announced = Infinity;
      if (dialog.open) dialog.close();
    }

    function check() {
      const left = Math.ceil(idleSeconds - (Date.now() - lastInput) / 1000);
      if (left > warnFor) return;
      if (left <= 0) {
        wipe();
        return;
      }
      const text = fill(ngettext("The screen clears in %(count)s second.", "The screen clears in %(count)s seconds.",
        left), { count: left });
      setText($("idle-countdown"), text);
      if (!dialog.open) {
        dialog.showModal(); // its title, text and countdown are read out as it opens
        $("idle-stay").focus();
        announced = left;
      }
      const due = IDLE_ANNOUNCE_AT.find((at) => left <= at && announced > at);
      if (due !== undefined) {
        setText($("idle-announce"), text);
        announced = left;
      }
    }

    for (const kind of ["pointerdown", "keydown", "wheel"]) {
      document.addEventListener(kind, (event) => {
        // Inside the question only its buttons (or Escape) answer it: Tab must move between them.
        if (dialog.open && event.target !== dialog && dialog.contains(event.target)) return;
        stay();
      }, { passive: true, capture: true });
    }
    $("idle-stay").addEventListener("click", (event) => {
      stay();
      // A click with no pointer behind it (a screen reader's) may have come with nothing live.js saw.
      if (event.detail === 0) channel.reportActivity();
    });
    $("idle-leave").addEventListener("click", wipe);
    dialog.addEventListener("cancel", (event) => { // Escape
      event.preventDefault();
      stay();
    });
    window.setInterval(check, 1000);
  }

  function wire() {
    for (const toggle of document.querySelectorAll(".panel-toggle")) {
      toggle.addEventListener("click", () => {
        setExpanded(toggle.closest(".panel").id.slice("panel-".length), toggle.getAttribute("aria-expanded") !== "true");
      });
    }
    // A form someone has touched is theirs: live updates stop refilling it.
    for (const form of document.querySelectorAll("main form")) {
      form.addEventListener("input", () => {
        form.dataset.dirty = "true";
      });
    }
    for (const field of document.querySelectorAll("[data-count]")) {
      field.addEventListener("input", () => updateCount(field));
    }
    $("numbers-form").addEventListener("submit", submitNumbers);
    $("visit-form").addEventListener("submit", submitVisit);
    $("topic-form").addEventListener("submit", submitTopic);
    $("strategy-form").addEventListener("submit", submitStrategy);
    $("goal-form").addEventListener("submit", submitGoal);
    $("evaluation-form").addEventListener("submit", submitEvaluation);
    $("goal-share-toggle").addEventListener("click", toggleShare);
    $("nudge-easier").addEventListener("click", () => settleNudge(true));
    $("nudge-keep").addEventListener("click", () => settleNudge(false));
    $("evaluation-edit").addEventListener("click", editEvaluation);
    $("room-vote-keep").addEventListener("click", roomVote);
    $("room-vote-move").addEventListener("click", roomVote);
    $("done-form").addEventListener("submit", confirmDone);
    $("done-cancel").addEventListener("click", cancelDone);
  }

  function start() {
    const config = GV.config();
    wire();
    channel = GV.connect({
      url: config.ws,
      onView: (view, changed) => render(view, changed),
      onStatus,
    });
    window.setInterval(tick, 1000);
    if (config.idle_seconds) watchIdle(config.idle_seconds);
    // Back to this page from the browser's memory (after Done, say): ask the server again, which
    // sends a wiped device to the join page.
    window.addEventListener("pageshow", (event) => {
      if (event.persisted) {
        leave();
        window.location.reload();
      }
    });
  }

  start();
})();
