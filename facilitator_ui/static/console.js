// The facilitator's console: moves the room through its phases, moderates topics,
// keeps time, captures strategies and keeps an eye on check-in and the visit queue.
"use strict";

(function () {
  const { el, clockTime } = window.GV;
  const { setText, show, syncList, syncOptions, run, setDisabled, setLabel, duration, plural } = window.Staff;
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
  const VISIT_STATUS = {
    waiting: "Waiting",
    called: "Called",
    in_progress: "In visit",
    completed: "Done",
  };
  const EARLY = ["check_in", "agenda"];

  const { channel } = window.Staff.start({ render, tick });

  function send(name, args) {
    return channel.send(name, args);
  }

  // A field the server also fills (the vote budget) keeps what the facilitator is typing.
  function idleValue(input, value) {
    if (document.activeElement !== input && !input.dataset.edited) input.value = value;
  }

  function render(view) {
    const phase = view.session.phase;
    renderPhaseBar(phase);
    show($("topics-panel"), EARLY.includes(phase));
    show($("discussion-panel"), phase === "discussion");
    show($("agenda-panel"), phase === "discussion");
    // Once closed, the strategies stay to read; nothing more can be added or changed.
    const closed = phase === "closed";
    show($("strategy-panel"), !EARLY.includes(phase));
    show($("strategy-form"), !closed);
    show($("walkin-form"), !closed);
    show($("on-behalf"), !closed);
    renderPeople(view);
    renderTopics(view);
    renderDiscussion(view);
    renderStrategies(view);
    renderQueue(view);
  }

  function tick(view) {
    if (view.session.phase === "discussion") {
      tickCountdown(view);
      renderAgenda(view);
    }
    tickWaiting();
  }

  // ---- Phases ------------------------------------------------------------------------

  function renderPhaseBar(phase) {
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

  $("next-phase").addEventListener("click", () => {
    const next = NEXT_STEP[channel.view.session.phase];
    if (!next) return;
    if (next.close) {
      // Closing ends the session for every device: ask once more, on the page itself.
      show($("close-confirm"), true);
      $("confirm-close").focus();
      return;
    }
    run($("next-phase"), $("phase-error"), send("open_phase", { phase: next.phase }));
  });

  $("confirm-close").addEventListener("click", () => {
    // Answered either way: a refusal stays in the alert, and the button asks again.
    run($("confirm-close"), $("phase-error"), send("close_session", {}), "Closing…").then(() => {
      show($("close-confirm"), false);
    });
  });

  $("cancel-close").addEventListener("click", () => {
    show($("close-confirm"), false);
    $("next-phase").focus();
  });

  // ---- People ------------------------------------------------------------------------

  function renderPeople(view) {
    setText($("people-count"), view.people.length);
    show($("people-empty"), view.people.length === 0);
    show($("people-table"), view.people.length > 0);
    syncList($("people-rows"), view.people, (p) => p.id, makePersonRow, (row, person) => {
      const cells = row.children;
      setText(cells[0], person.name);
      setText(cells[1], person.numbers ? "Yes" : "No");
      setText(cells[2], VISIT_STATUS[person.encounter_status] || "None");
      setText(cells[3], goalText(person.goal));
      setText(cells[4], person.evaluation ? person.evaluation.rating + " of 5" : "No");
    });
    const everyone = view.participants.map((p) => ({ value: p.id, label: p.name }));
    syncOptions($("behalf-person"), everyone.length ? everyone : [{ value: "", label: "Nobody has checked in yet" }]);
  }

  function makePersonRow() {
    return el("tr", {}, el("th", { scope: "row" }), el("td"), el("td"), el("td"), el("td"));
  }

  function goalText(goal) {
    if (!goal) return "No";
    const state = goal.needs_rework ? "Rework (" + goal.confidence + "/10)" : "Set";
    return goal.shared ? state + ", shared" : state;
  }

  $("walkin-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("walkin-name");
    run($("walkin-submit"), $("walkin-error"), send("join", { display_name: input.value })).then((ok) => {
      if (ok) input.value = "";
    });
  });

  // Numbers typed in, as the command wants them: absent when left empty.
  function numberArgs() {
    const args = {};
    const fields = { bp_systolic: "bp-systolic", bp_diastolic: "bp-diastolic", weight: "weight", glucose: "glucose" };
    for (const [name, id] of Object.entries(fields)) {
      const raw = $(id).value.trim();
      if (raw !== "") args[name] = name === "weight" ? parseFloat(raw) : parseInt(raw, 10);
    }
    args.weight_unit = $("weight-unit").value;
    return args;
  }

  $("numbers-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const args = Object.assign(numberArgs(), { participant_id: $("behalf-person").value });
    run($("numbers-submit"), $("numbers-error"), send("record_numbers", args)).then((ok) => {
      if (ok) for (const id of ["bp-systolic", "bp-diastolic", "weight", "glucose"]) $(id).value = "";
    });
  });

  $("request-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const args = { participant_id: $("behalf-person").value, text: $("request-text").value };
    run($("request-submit"), $("request-error"), send("request_visit", args)).then((ok) => {
      if (ok) $("request-text").value = "";
    });
  });

  // ---- Topics ------------------------------------------------------------------------

  function renderTopics(view) {
    idleValue($("vote-budget"), view.session.vote_budget);
    show($("topics-empty"), view.topics.length === 0);
    syncList($("topic-list"), view.topics, (t) => t.id, makeTopicRow, (row, topic) => {
      setText(row.querySelector(".topic-votes"), plural(topic.votes, "vote", "votes"));
      setText(row.querySelector(".topic-title"), topic.title);
      setText(row.querySelector(".topic-by"), topic.by ? "by " + topic.by : topic.anonymous ? "anonymous" : "");
      row.querySelector(".edit-input").setAttribute("aria-label", "New title for “" + topic.title + "”");
      row.querySelector(".merge-select").setAttribute("aria-label", "Merge “" + topic.title + "” into");
      row.querySelector(".edit-button").setAttribute("aria-label", "Edit “" + topic.title + "”");
      row.querySelector(".hide-button").setAttribute("aria-label", "Hide “" + topic.title + "”");
      row.querySelector(".merge-open").setAttribute("aria-label", "Merge “" + topic.title + "” into another topic");
      if (!row.querySelector(".topic-merge").hidden) fillMergeTargets(row, view.topics);
    });
  }

  // Merge targets in the order topics were proposed, so the list does not jump as votes come in.
  function fillMergeTargets(row, topics) {
    const others = topics.filter((t) => t.id !== row.dataset.topicId)
      .sort((a, b) => topicNumber(a) - topicNumber(b))
      .map((t) => ({ value: t.id, label: t.title }));
    syncOptions(row.querySelector(".merge-select"), [{ value: "", label: "Choose a topic…" }, ...others]);
  }

  function topicNumber(topic) {
    return parseInt(topic.id.replace(/\D/g, ""), 10) || 0;
  }

  // A row shows the topic with its actions, or one form at a time: a new title, or a merge.
  // The row element stays put across re-renders, so a half-typed title survives new votes.
  function makeTopicRow(topic) {
    const alertNode = el("p", { class: "error", role: "alert" });
    const input = el("input", { class: "edit-input", maxlength: "120", autocomplete: "off", required: true });
    const select = el("select", { class: "merge-select", required: true });
    const editForm = el("form", { class: "topic-edit field-row", hidden: true },
      input,
      el("button", { type: "submit", class: "primary save-button" }, "Save"),
      el("button", { type: "button", class: "cancel-button" }, "Cancel"));
    const mergeForm = el("form", { class: "topic-merge field-row", hidden: true },
      el("span", { "aria-hidden": "true" }, "Merge into"),
      select,
      el("button", { type: "submit", class: "primary merge-button" }, "Merge"),
      el("button", { type: "button", class: "cancel-button" }, "Cancel"));
    const line = el("div", { class: "topic-line" },
      el("span", { class: "topic-votes" }),
      el("span", { class: "topic-title" }),
      el("span", { class: "topic-by subtle" }));
    const actions = el("div", { class: "topic-actions" },
      el("button", { type: "button", class: "edit-button" }, "Edit"),
      el("button", { type: "button", class: "hide-button" }, "Hide"),
      el("button", { type: "button", class: "merge-open" }, "Merge into…"));
    const row = el("li", { class: "topic-item", "data-topic-id": topic.id }, line, actions, editForm, mergeForm,
      alertNode);

    const mode = (name) => {
      show(actions, name === "view");
      show(editForm, name === "edit");
      show(mergeForm, name === "merge");
      if (name !== "merge") select.replaceChildren(); // no other topics' titles in this row's text
      setText(alertNode, "");
    };
    actions.querySelector(".edit-button").addEventListener("click", () => {
      input.value = line.querySelector(".topic-title").textContent;
      mode("edit");
      input.focus();
    });
    actions.querySelector(".merge-open").addEventListener("click", () => {
      mode("merge");
      fillMergeTargets(row, channel.view.topics);
      select.focus();
    });
    for (const cancel of row.querySelectorAll(".cancel-button")) {
      cancel.addEventListener("click", () => {
        mode("view");
        actions.querySelector(".edit-button").focus();
      });
    }
    editForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const args = { topic_id: topic.id, title: input.value };
      run(editForm.querySelector(".save-button"), alertNode, send("edit_topic", args)).then((ok) => {
        if (ok) mode("view");
      });
    });
    mergeForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const args = { topic_id: topic.id, into_topic_id: select.value };
      run(mergeForm.querySelector(".merge-button"), alertNode, send("merge_topics", args));
    });
    actions.querySelector(".hide-button").addEventListener("click", (event) => {
      run(event.currentTarget, alertNode, send("hide_topic", { topic_id: topic.id }));
    });
    return row;
  }

  $("vote-budget").addEventListener("input", (event) => {
    event.currentTarget.dataset.edited = "true";
  });

  $("budget-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("vote-budget");
    run($("budget-submit"), $("budget-error"), send("set_vote_budget", { budget: parseInt(input.value, 10) }))
      .then((ok) => {
        if (ok) delete input.dataset.edited;
      });
  });

  $("propose-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("propose-title");
    run($("propose-submit"), $("propose-error"), send("propose_topic", { title: input.value })).then((ok) => {
      if (ok) input.value = "";
    });
  });

  // ---- Discussion --------------------------------------------------------------------

  function renderDiscussion(view) {
    const current = view.agenda.current;
    const pending = view.agenda.items.some((i) => i.status === "pending");
    show($("current-block"), Boolean(current));
    show($("no-current"), !current);
    setText($("current-title"), current ? current.title : "");
    setLabel($("extend-topic"), current ? "Extend " + current.next_extension_minutes + " min" : "Extend");
    setDisabled($("extend-topic"), !current);
    setLabel($("next-topic"), pending ? "Next topic" : "End this topic");
    setDisabled($("next-topic"), !current && !pending);
    tickCountdown(view);
    renderAgenda(view);
  }

  function tickCountdown(view) {
    const current = view.agenda.current;
    if (!current) return;
    const clock = window.Staff.topicClock(current, channel);
    setText($("countdown"), clock.text);
    $("countdown").dataset.over = String(clock.over);
    show($("time-up"), clock.over);
    setText($("room-tally"), clock.over ? "Room vote — " + window.Staff.tallyText(current.room_vote) : "");
  }

  function renderAgenda(view) {
    const { items, predictedEnd } = window.GV.liveAgenda(view.agenda, view.session.goals_at, channel.serverNow() / 1000);
    syncList($("agenda-list"), items, (i) => i.topic_id,
      () => el("li", { class: "agenda-row" },
        el("span", { class: "agenda-time" }), el("span", { class: "agenda-title" }), el("span", { class: "agenda-note" })),
      (row, item) => {
        row.dataset.status = item.status;
        setText(row.querySelector(".agenda-time"), agendaTime(item));
        setText(row.querySelector(".agenda-title"), item.title + " (" + item.minutes + " min)");
        setText(row.querySelector(".agenda-note"), item.status === "pending" && !item.fits ? "if time allows" : "");
      });
    setText($("predicted-end"), window.Staff.predictedEndText(predictedEnd, view.session));
  }

  function agendaTime(item) {
    if (item.status === "done") return "Done";
    if (item.status === "current") return "Now, until " + clockTime(item.ends_at);
    return clockTime(item.planned_start) + "–" + clockTime(item.planned_end);
  }

  $("extend-topic").addEventListener("click", () => {
    run($("extend-topic"), $("discussion-error"), send("extend_topic", {}));
  });

  $("next-topic").addEventListener("click", () => {
    run($("next-topic"), $("discussion-error"), send("next_topic", {}));
  });

  // ---- Strategies --------------------------------------------------------------------

  function renderStrategies(view) {
    const people = view.participants.map((p) => ({ value: p.id, label: p.name }));
    syncOptions($("strategy-by"), [{ value: "", label: "Nobody named (anonymous)" }, ...people]);
    $("strategy-anonymous").disabled = !$("strategy-by").value;
    const latest = [...view.strategies].sort((a, b) => b.at - a.at);
    const currentTopic = view.agenda.current && view.agenda.current.topic_id;
    syncList($("strategy-list"), latest, (s) => s.id,
      () => el("li", {}, el("p", { class: "strategy-text" }), el("p", { class: "subtle strategy-meta" })),
      (row, s) => {
        setText(row.querySelector(".strategy-text"), s.text);
        setText(row.querySelector(".strategy-meta"), window.Staff.strategyMeta(s, currentTopic));
      });
  }

  $("strategy-by").addEventListener("change", () => {
    $("strategy-anonymous").disabled = !$("strategy-by").value;
  });

  $("strategy-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const who = $("strategy-by").value;
    const args = { text: $("strategy-text").value, anonymous: !who || $("strategy-anonymous").checked };
    if (who) args.participant_id = who;
    run($("strategy-submit"), $("strategy-error"), send("capture_strategy", args)).then((ok) => {
      if (!ok) return;
      // Back to nobody named: the next strategy is rarely from the same person.
      $("strategy-text").value = "";
      $("strategy-by").value = "";
      $("strategy-anonymous").checked = false;
      $("strategy-anonymous").disabled = true;
      $("strategy-text").focus();
    });
  });

  // ---- Visit queue overview ----------------------------------------------------------

  function renderQueue(view) {
    const { waiting, active, completed } = view.queue;
    setText($("active-count"), active.length);
    setText($("waiting-count"), waiting.length);
    setText($("completed-count"), completed.length);
    syncList($("queue-active"), active, (e) => e.encounter_id, () => el("li", {}), (row, e) => {
      row.dataset.encounterId = e.encounter_id;
      const where = e.room ? ", " + e.room : "";
      const when = e.status === "called" ? "called " + clockTime(e.called_at) : "since " + clockTime(e.started_at);
      setText(row, e.name + " — with " + e.clinician_name + where + " (" + when + ")");
    });
    const closed = view.session.phase === "closed";
    syncList($("queue-waiting"), waiting, (e) => e.encounter_id, makeWaitingRow, (row, e) => {
      row.dataset.encounterId = e.encounter_id;
      row.dataset.closed = String(closed);
      show(row.querySelector(".skip-button"), !closed);
      row.dataset.queuedAt = e.queued_at;
      setText(row.querySelector(".who"), e.name);
      setText(row.querySelector(".flag"), e.in_top_topic ? "In their top topic now" : "");
      row.querySelector(".skip-button").setAttribute("aria-label", "Skip " + e.name + " for now");
    });
    const done = [...completed].sort((a, b) => b.ended_at - a.ended_at);
    syncList($("queue-completed"), done, (e) => e.encounter_id, () => el("li", {}), (row, e) => {
      row.dataset.encounterId = e.encounter_id;
      setText(row, e.name + " — " + e.clinician_name + ", " + clockTime(e.started_at) + "–" + clockTime(e.ended_at));
    });
    tickWaiting();
  }

  function makeWaitingRow(e) {
    const alertNode = el("p", { class: "error", role: "alert" });
    const skip = el("button", { type: "button", class: "skip-button small" }, "Skip");
    skip.addEventListener("click", () => {
      run(skip, alertNode, send("skip_encounter", { encounter_id: e.encounter_id }));
    });
    return el("li", {},
      el("span", { class: "who" }), " ", el("span", { class: "waited subtle" }), " ",
      el("span", { class: "flag" }), skip, alertNode);
  }

  function tickWaiting() {
    const now = channel.serverNow() / 1000;
    for (const row of $("queue-waiting").children) {
      setText(row.querySelector(".waited"), row.dataset.closed === "true" ? "not seen"
        : "waiting " + duration(now - Number(row.dataset.queuedAt)));
    }
  }
})();
