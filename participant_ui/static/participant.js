// The participant's live screen. It follows the session's phase (the most relevant
// panel first and open, the rest folded below), shows the person's own one-on-one,
// and sends their commands. Forms live in the page and are never rebuilt; lists are
// updated in place by key, so focus and half-typed text survive every live update.
// Whatever people typed is rendered with textContent only.
"use strict";

(function () {
  const el = GV.el;
  const $ = (id) => document.getElementById(id);

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
      step: 1, name: "Check-in", panels: ["checkin", "topics"], open: ["checkin", "topics"],
      intro: "While everyone arrives: tell the doctor what you'd like to talk about, and write down your numbers if you have them.",
    },
    agenda: {
      step: 2, name: "Choosing topics", panels: ["topics", "checkin"], open: ["topics"],
      intro: "Help choose what the group talks about: suggest a topic, and vote for the ones that matter to you.",
    },
    discussion: {
      step: 3, name: "Group discussion", panels: ["discussion", "strategies", "checkin"], open: ["discussion", "strategies"],
      intro: "The group is talking through the topics. If something works for you, share it on the strategy board.",
    },
    goals: {
      step: 4, name: "Setting goals", panels: ["goal", "strategies", "checkin"], open: ["goal"],
      intro: "Set one small goal you'd like to work on before the next session.",
    },
    wrap_up: {
      step: 5, name: "Wrap-up", panels: ["evaluation", "goal", "strategies", "checkin"], open: ["evaluation"],
      intro: "Almost done! Tell us how today went.",
    },
    closed: { step: null, name: "Ended", panels: ["goal", "strategies"], open: ["goal"], intro: "" },
  };
  const STEPS = 5;
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

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  function sentence(reason) {
    const text = String(reason || "something went wrong: please try again");
    const capital = text.charAt(0).toUpperCase() + text.slice(1);
    return /[.!?]$/.test(capital) ? capital : capital + ".";
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
    setText(counter, left <= Math.max(20, limit * 0.2) ? plural(left, "character", "characters") + " left" : "");
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
    button.textContent = "Sending…";
    errorBox.textContent = "";
    return channel.send(name, args)
      .then(() => true, (error) => {
        errorBox.textContent = sentence(error.reason);
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
    setText($("phase-line"), ended ? "" : `Step ${spec.step} of ${STEPS}: ${spec.name}`);
    show($("phase-line").parentNode, !ended); // the ended banner says it instead
    // Not in the live region: every arrival would be read out.
    setText($("people-count"), !ended && typeof count === "number" ? " · " + plural(count, "person", "people") + " here" : "");
    setText($("phase-intro"), ended ? "" : spec.intro);
    show($("phase-intro"), !ended);
    show($("ended-banner"), ended);
    // Written when it happens (not in the page from the start), so screen readers announce it.
    setText($("ended-title"), ended ? "This session has ended. Thank you!" : "");
    if (view.me) setText($("welcome"), "Welcome, " + view.me.name);
  }

  function renderVisit(view) {
    const visit = view.me && view.me.visit;
    const status = visit ? visit.status : null;
    const clinician = (visit && visit.clinician_name) || "The doctor";
    const banner = $("called-banner");
    if (status === "called") {
      if (banner.hidden) {
        // Called again after being sent back: fresh text, so the alert is read out again.
        setText($("called-who"), "");
        setText($("called-room"), "");
      }
      setText($("called-who"), clinician + " is ready for you");
      setText($("called-room"), visit.room ? "Please go to: " + visit.room : "A team member will show you where to go.");
      show(banner, true);
      document.title = "Your turn! " + BASE_TITLE;
    } else {
      show(banner, false);
      document.title = BASE_TITLE;
    }

    const card = $("visit-status");
    let title = "";
    let detail = "";
    if (status === "waiting") {
      title = "You're in line for your one-on-one";
      detail = (visit.position === 1 ? "You're next." : `You're number ${visit.position} in line.`) +
        " A big message will appear here when the doctor is ready for you.";
    } else if (status === "in_progress") {
      title = "You're with " + clinician;
    } else if (status === "completed") {
      title = "Your one-on-one is done";
      detail = "Welcome back to the group.";
    }
    card.dataset.visit = status || "none";
    setText($("visit-status-title"), title);
    setText($("visit-status-detail"), detail);
    show(card, title !== "");
  }

  function numbersSummary(numbers) {
    const parts = [];
    if (numbers.bp_systolic !== null) parts.push(`blood pressure ${numbers.bp_systolic}/${numbers.bp_diastolic}`);
    if (numbers.weight !== null) parts.push(`weight ${numbers.weight} ${numbers.weight_unit}`);
    if (numbers.glucose !== null) parts.push(`blood sugar ${numbers.glucose} mg/dL`);
    return `Saved at ${GV.clockTime(numbers.at)}: ${parts.join(", ")}.`;
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
    if (!submit.dataset.pending) setText(submit, waiting ? "Update my request" : "Put me in line");
    setText($("visit-saved"), waiting ? `Sent to your care team. You're number ${visit.position} in line.` : "");
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
    }, "− Take back", refs.minusName);
    refs.plus = el("button", {
      type: "button", class: "btn vote-plus", "data-topic-id": topic.id, "data-testid": "vote-plus",
      onclick: () => vote(refs.plus, topic.id, "cast_vote", refs.error),
    }, "+ Vote", refs.plusName);
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
    if (topic.mine) return topic.anonymous ? "Your topic (posted anonymously)" : "Your topic";
    return topic.by ? "Suggested by " + topic.by : "Suggested anonymously";
  }

  function renderTopics(view) {
    const phase = view.session.phase;
    const voting = can(view, "cast_vote");
    const votesLeft = view.me ? view.me.votes_left : 0;
    const hint = phase === "check_in"
      ? "Voting starts when the group begins choosing topics. You can already suggest one."
      : "Tap “+ Vote” on the topics that matter most to you. You can put more than one vote on a topic.";
    setText($("topics-hint"), hint);
    show($("votes-left"), phase === "agenda");
    setText($("votes-left-count"), votesLeft > 0 ? `You have ${plural(votesLeft, "vote", "votes")} left` : "You have no votes left");
    setText($("votes-left-note"), votesLeft > 0
      ? "Use them on the topics you care about most."
      : "To vote for something else, take one back first.");
    gateForm($("topic-form"), can(view, "propose_topic"));

    const votesChanged = votesLeft !== lastVotesLeft;
    lastVotesLeft = votesLeft;
    syncList($("topic-list"), view.topics, (t) => t.id, createTopic, (row, topic, index) => {
      const refs = row.refs;
      setText(refs.rank, index + 1 + ".");
      setText(refs.title, topic.title);
      setText(refs.meta, topicByline(topic));
      setText(refs.total, String(topic.votes));
      setText(refs.totalWord, topic.votes === 1 ? "vote" : "votes");
      setText(refs.minusName, " a vote from: " + topic.title);
      setText(refs.plusName, " for: " + topic.title);
      setText(refs.mine, topic.my_votes ? `Your votes on this: ${topic.my_votes}` : "You have not voted for this");
      row.dataset.myVotes = String(topic.my_votes);
      show(refs.controls, phase === "agenda");
      setDisabled(refs.minus, !voting);
      setDisabled(refs.plus, !voting);
      setAriaDisabled(refs.minus, topic.my_votes === 0, "You have no vote on this topic to take back.");
      setAriaDisabled(refs.plus, votesLeft <= 0, "You have no votes left. Take one back from another topic first.");
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
    if (item.status === "current") return "Now, planned until " + GV.clockTime(item.ends_at);
    if (item.status === "done") return "Done";
    const when = `Planned ${GV.clockTime(item.planned_start)} – ${GV.clockTime(item.planned_end)}`;
    return item.fits ? when : when + " (may not fit in today's time)";
  }

  function renderDiscussion(view) {
    const agenda = view.agenda;
    const current = agenda.current;
    show($("current"), Boolean(current));
    show($("agenda-done"), !current);
    setText($("agenda-done"), agenda.items.length
      ? "All the topics have been discussed."
      : "There are no topics on the agenda.");
    if (current) {
      setText($("current-title"), current.title);
      const extra = plural(current.next_extension_minutes, "more minute", "more minutes");
      setText($("room-vote-question"),
        `Keep going for ${extra}, or move on to the next topic?`);
      for (const button of [$("room-vote-keep"), $("room-vote-move")]) {
        const choice = button.dataset.choice;
        const chosen = current.my_room_vote === choice;
        button.setAttribute("aria-pressed", String(chosen));
        setDisabled(button, !can(view, "room_vote"));
        if (button.dataset.pending) continue; // its label is "Sending…" until the answer comes
        setText(button.querySelector(".choice-mark"), chosen ? "✓ Your choice" : "");
        setText(button.querySelector(".choice-tally"), plural(current.room_vote[choice] || 0, "vote", "votes"));
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
    setText($("countdown-label"), up ? "Time's up" : "left for this topic");
    show($("room-vote"), up && view.session.phase === "discussion");
    if (up && !timeWasUp) setText($("timer-announce"), "Time's up for this topic. Choose: keep going, or move on.");
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
    const who = strategy.mine ? "Shared by you" : strategy.by ? "Shared by " + strategy.by : "Shared anonymously";
    return strategy.topic_title ? `${who} · Topic: ${strategy.topic_title}` : who;
  }

  function renderStrategies(view) {
    gateForm($("strategy-form"), can(view, "capture_strategy"));
    const newestFirst = view.strategies.slice().sort((a, b) => b.at - a.at);
    syncList($("strategy-list"), newestFirst, (s) => s.id, createStrategy, (row, strategy) => {
      const refs = row.refs;
      setText(refs.text, strategy.text);
      setText(refs.meta, strategyByline(strategy));
      setText(refs.helpful, strategy.helpful
        ? plural(strategy.helpful, "person thinks", "people think") + " this could help them"
        : "");
      show(refs.button, !strategy.mine);
      if (!refs.button.dataset.pending) {
        setText(refs.button, strategy.marked ? "✓ Marked: could help me" : "This could help me");
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
      setText($("goal-saved-confidence"), goal.confidence + " out of 10");
      setText($("goal-saved-sharing"), goal.shared
        ? "✓ Shared with the group."
        : "Private: only you and your care team can see it.");
      const toggle = $("goal-share-toggle");
      if (!toggle.dataset.pending) setText(toggle, goal.shared ? "Stop sharing it" : "Share it with the group");
      show(toggle, can(view, "share_goal"));
    }

    const form = $("goal-form");
    show(form, phase !== "closed");
    gateForm(form, can(view, "set_goal"));
    setText($("goal-form-heading"), goal ? "Change my plan" : "Set one goal for the coming weeks");
    const submit = $("goal-submit");
    if (!submit.dataset.pending) setText(submit, goal ? "Save my changes" : "Save my goal");
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
    connecting: "Connecting…",
    live: "Connected",
    reconnecting: "Connection lost. Trying again… (what you typed is kept)",
    refused: "Can't connect",
    ended: "The session has ended",
  };

  function onStatus(status, detail) {
    connection = status;
    const line = $("connection-status");
    line.dataset.status = status;
    setText(line, status === "refused" && detail ? `${STATUS_TEXT.refused}: ${sentence(detail)}` : STATUS_TEXT[status] || status);
    renderAll(); // ended or refused: every control goes off
  }

  // ---------- forms ----------

  // An empty field is null (every number is optional); anything else must be a number.
  function parseNumber(field, what, example, whole) {
    const raw = field.value.trim().replace(",", ".");
    if (raw === "") return null;
    const value = Number(raw);
    if (!Number.isFinite(value) || (whole && !Number.isInteger(value))) {
      throw new Error(`Please write ${what} as a ${whole ? "whole " : ""}number, like ${example}.`);
    }
    return value;
  }

  function submitNumbers(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const error = $("numbers-error");
    let args;
    try {
      args = {
        bp_systolic: parseNumber($("bp-systolic"), "the top blood pressure number", "128", true),
        bp_diastolic: parseNumber($("bp-diastolic"), "the bottom blood pressure number", "82", true),
        weight: parseNumber($("weight"), "your weight", "180", false),
        weight_unit: checkedValue(form, "weight_unit") || "kg",
        glucose: parseNumber($("glucose"), "your blood sugar", "130", true),
      };
    } catch (problem) {
      error.textContent = problem.message;
      return;
    }
    if (args.bp_systolic === null && args.bp_diastolic === null && args.weight === null && args.glucose === null) {
      error.textContent = "Write at least one number first. (This part is optional: you can skip it.)";
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
      $("goal-error").textContent = "Choose how sure you are, from 0 to 10.";
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
      $("evaluation-error").textContent = "Choose a rating from 1 to 5 first.";
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
    if (!$("done-confirm").hidden) return; // second press: let the form post
    event.preventDefault();
    show($("done-confirm"), true);
    show($("done-cancel"), true);
    setText($("done-button"), "Yes, I'm done");
    $("done-button").setAttribute("aria-describedby", "done-question done-hint");
  }

  function cancelDone() {
    show($("done-confirm"), false);
    show($("done-cancel"), false);
    setText($("done-button"), "Done");
    $("done-button").setAttribute("aria-describedby", "done-hint");
    $("done-button").focus();
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
  }

  start();
})();
