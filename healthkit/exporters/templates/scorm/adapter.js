// healthkit SCORM adapter: connects a lesson page to the learning platform (LMS) that
// launched it. It finds the platform's SCORM run-time API, reports the score (questions right
// on the first try), the lesson status, the time spent and each checked answer, and keeps the
// answers in cmi.suspend_data so a learner who comes back sees them. Without a platform it
// does nothing and the page keeps answers in local storage, as every offline page does.
// Classic inline script (allowed by its hash), run before the page's module runtime.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("hk-scorm").textContent);
  const page = JSON.parse(document.getElementById("hk-data").textContent);
  const V12 = config.standard === "1.2";
  // hk2: quiz keys cover each question's options (hk1 keys, of question ids alone, are not read).
  const FORMAT = "hk2";
  const CALLS = V12
    ? { init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit", finish: "LMSFinish", error: "LMSGetLastError" }
    : { init: "Initialize", get: "GetValue", set: "SetValue", commit: "Commit", finish: "Terminate", error: "GetLastError" };
  const CMI = V12
    ? {
      entry: "cmi.core.entry", mode: "cmi.core.lesson_mode", status: "cmi.core.lesson_status", raw: "cmi.core.score.raw",
      min: "cmi.core.score.min", max: "cmi.core.score.max", pass: "cmi.student_data.mastery_score",
      time: "cmi.core.session_time", exit: "cmi.core.exit",
    }
    : {
      entry: "cmi.entry", mode: "cmi.mode", completion: "cmi.completion_status", success: "cmi.success_status",
      raw: "cmi.score.raw", min: "cmi.score.min", max: "cmi.score.max", scaled: "cmi.score.scaled",
      pass: "cmi.scaled_passing_score", progress: "cmi.progress_measure", time: "cmi.session_time", exit: "cmi.exit",
    };

  // -- finding the platform ------------------------------------------------------------------
  /** The API object in this window or an ancestor; frames of another origin are skipped. */
  function findFrom(win) {
    for (let depth = 0; win && depth < 500; depth += 1) {
      try {
        if (win[config.api]) return win[config.api];
      } catch (err) { /* another origin: look further up */ }
      if (win.parent === win) break;
      win = win.parent;
    }
    return null;
  }

  function findApi() {
    const found = findFrom(window);
    if (found) return found;
    try {
      return window.opener ? findFrom(window.opener) : null;
    } catch (err) {
      return null;
    }
  }

  const api = findApi();
  if (!api || String(api[CALLS.init]("")) !== "true") return; // no platform: the page as it always was

  const last = new Map();
  function get(name) {
    const value = api[CALLS.get](name);
    return value === null || value === undefined ? "" : String(value);
  }
  function set(name, value) {
    const text = String(value);
    if (last.get(name) === text) return;
    if (String(api[CALLS.set](name, text)) === "true") {
      last.set(name, text);
    } else {
      console.warn(`healthkit: the learning platform refused ${name} (error ${api[CALLS.error]()})`);
    }
  }

  const mode = get(CMI.mode);
  const readOnly = mode === "review" || mode === "browse";
  const started = Date.now();

  // -- the lesson's quizzes, from the page data ------------------------------------------------
  /** FNV-1a over code points, base 36: a short key that changes when its text changes. */
  function hash(text) {
    let h = 0x811c9dc5;
    for (const char of text) h = Math.imul(h ^ char.codePointAt(0), 0x01000193) >>> 0;
    return h.toString(36);
  }

  /** A question's fit, as the quiz widget computes it (quiz.js fitOf): its options as shown. */
  function fitOf(question) {
    return hash((question.choices || []).map((c) => `${c.correct ? "1" : "0"}${c.text}`).join("\u0000"));
  }

  const quizzes = new Map();
  for (const entry of Object.values(page.models || {})) {
    const quiz = entry && entry.state && entry.state.quiz;
    if (!quiz || !quiz.id || quizzes.has(quiz.id)) continue;
    const ids = (quiz.questions || []).map((q) => String(q.id));
    const fits = (quiz.questions || []).map(fitOf);
    // The key changes when a question, or any option of one, changes: saved answers are
    // restored only into the quiz they were given in.
    const key = hash([quiz.id, ...ids.map((id, i) => `${id}\u0001${fits[i]}`)].join("\u0000"));
    const answers = (quiz.questions || []).map((q) => (q.choices || []).flatMap((c, i) => (c.correct ? [i] : [])).join(","));
    quizzes.set(quiz.id, { ids, fits, answers, key, total: ids.length, score: 0, answered: 0 });
  }
  const byKey = new Map([...quizzes].map(([id, quiz]) => [quiz.key, id]));

  // -- saved answers in cmi.suspend_data ---------------------------------------------------------
  // hk2,<interactions sent>|<quiz key>:<score>:<question>,<question>...|...
  // where <question> is <index>.<chosen display indexes>.<flags><attempts>, numbers in base 36
  // and flags 1 = right, 2 = right on the first try, 4 = answer shown.
  function decode(text) {
    const saved = {};
    let interactions = 0;
    const parts = String(text || "").split("|");
    const head = parts.shift().split(",");
    if (head[0] !== FORMAT) return { saved, interactions };
    interactions = parseInt(head[1] || "0", 36) || 0;
    for (const part of parts) {
      const [key, score, list] = part.split(":");
      const id = byKey.get(key);
      if (!id) continue; // a quiz that changed since: its answers no longer fit its questions
      const quiz = quizzes.get(id);
      const responses = {};
      for (const item of (list || "").split(",")) {
        const [index, chosen, tail] = item.split(".");
        const question = quiz.ids[parseInt(index, 36)];
        if (question === undefined || !tail) continue;
        const flags = parseInt(tail[0], 10) || 0;
        const selected = [...new Set([...(chosen || "")].map((c) => parseInt(c, 36)))].sort((a, b) => a - b);
        const attempts = parseInt(tail.slice(1), 36) || 1;
        // Graded again against the page's own key: what suspend_data says was right counts
        // for nothing (a platform, or someone, may hand back anything).
        const correct = selected.join(",") === quiz.answers[parseInt(index, 36)];
        responses[question] = {
          selected,
          correct,
          attempts,
          first_try: Boolean(flags & 2) && correct && attempts === 1,
          revealed: Boolean(flags & 4),
          fit: quiz.fits[parseInt(index, 36)],
        };
      }
      // the score is what the restored answers earn, never the number saved beside them
      const earned = Object.values(responses).filter((r) => r.first_try).length;
      saved[id] = { score: Math.min(earned, parseInt(score, 10) || 0), total: quiz.total, responses };
    }
    return { saved, interactions };
  }

  function encodeQuiz(id, record) {
    const quiz = quizzes.get(id);
    const items = [];
    quiz.ids.forEach((question, index) => {
      const r = record.responses && record.responses[question];
      if (!r || r.fit !== quiz.fits[index]) return; // only answers to the questions as shown
      const chosen = (r.selected || []).filter((i) => Number.isInteger(i) && i >= 0 && i < 36);
      const firstTry = r.first_try === true;
      const flags = (r.correct ? 1 : 0) | (firstTry ? 2 : 0) | (r.revealed ? 4 : 0);
      const attempts = Math.max(1, parseInt(r.attempts, 10) || 1);
      items.push(`${index.toString(36)}.${chosen.map((i) => i.toString(36)).join("")}.${flags}${attempts.toString(36)}`);
    });
    return items.length ? `${quiz.key}:${parseInt(record.score, 10) || 0}:${items.join(",")}` : "";
  }

  /** Whole quizzes, in page order, while they fit; returns the text and whether all fitted. */
  function encode() {
    let text = `${FORMAT},${interactions.toString(36)}`;
    let complete = true;
    for (const id of quizzes.keys()) {
      if (!saved[id]) continue;
      const part = encodeQuiz(id, saved[id]);
      if (!part) continue;
      if (text.length + 1 + part.length > config.limit) {
        complete = false;
        break;
      }
      text += `|${part}`;
    }
    return { text, complete };
  }

  const restored = decode(get("cmi.suspend_data"));
  const saved = restored.saved;
  let interactions = Math.max(restored.interactions, parseInt(get("cmi.interactions._count"), 10) || 0);
  for (const [id, record] of Object.entries(saved)) {
    const quiz = quizzes.get(id);
    quiz.score = record.score;
    quiz.answered = Object.keys(record.responses).length;
  }

  let warned = false;
  function tellLearnerNotAllSaved() {
    if (warned) return;
    warned = true;
    console.warn(`healthkit: the saved answers do not fit in cmi.suspend_data (${config.limit} characters); the last quizzes' answers are kept for this visit only`);
    const note = document.createElement("p");
    note.className = "hk-scorm-note";
    note.setAttribute("role", "status");
    note.textContent = "Your learning platform can keep only part of your answers. Your score is saved, "
      + "but when you come back the answers to the last quizzes will not be shown.";
    (document.getElementById("main") || document.body).prepend(note);
  }

  function saveAnswers() {
    if (readOnly) return;
    const { text, complete } = encode();
    if (!complete) tellLearnerNotAllSaved();
    set("cmi.suspend_data", text);
  }

  globalThis.healthkitProgressStore = {
    load() {
      return JSON.parse(JSON.stringify(saved));
    },
    save(lesson, title, quizId, record) {
      if (!quizzes.has(quizId)) return;
      saved[quizId] = { score: record.score, total: record.total, responses: record.responses || {} };
      saveAnswers();
      commitSoon();
    },
  };

  // -- score and status ------------------------------------------------------------------------
  const STATUS_RANK = { passed: 4, failed: 3, completed: 3, incomplete: 2, browsed: 1 };
  const SUCCESS_RANK = { passed: 2, failed: 1 };
  const launch = V12
    ? { status: get(CMI.status), raw: parseFloat(get(CMI.raw)) }
    : { completion: get(CMI.completion), success: get(CMI.success), raw: parseFloat(get(CMI.raw)) };
  /** The pass mark as a fraction: the platform's if it sets one, else the package's (or none). */
  const passing = (() => {
    const value = parseFloat(get(CMI.pass));
    if (Number.isFinite(value) && value > 0) return V12 ? value / 100 : value;
    return typeof config.pass === "number" ? config.pass / 100 : null;
  })();

  function update() {
    if (readOnly) return;
    let total = 0;
    let right = 0;
    let answered = 0;
    for (const quiz of quizzes.values()) {
      total += quiz.total;
      right += Math.min(quiz.score, quiz.total);
      answered += Math.min(quiz.answered, quiz.total);
    }
    const done = answered >= total;
    // First-try scores only grow, so a lower figure means answers that could not be restored.
    const raw = Math.max(total ? Math.round((10000 * right) / total) / 100 : 0, Number.isFinite(launch.raw) ? launch.raw : 0);
    const passed = passing === null || total === 0 ? null : raw / 100 >= passing;
    // No score before the first answer: opening a lesson is not scoring 0.
    const scored = total > 0 && (answered > 0 || Number.isFinite(launch.raw));
    if (scored) {
      set(CMI.min, "0");
      set(CMI.max, "100");
      set(CMI.raw, String(raw));
    }
    if (V12) {
      let status = !done ? "incomplete" : passed === null ? "completed" : passed ? "passed" : "failed";
      if ((STATUS_RANK[launch.status] || 0) > STATUS_RANK[status]) status = launch.status;
      set(CMI.status, status);
    } else {
      if (scored) set(CMI.scaled, String(Math.round(raw * 100) / 10000));
      set(CMI.progress, String(total ? Math.round((10000 * answered) / total) / 10000 : 1));
      set(CMI.completion, done || launch.completion === "completed" ? "completed" : "incomplete");
      let success = done && passed !== null ? (passed ? "passed" : "failed") : "unknown";
      if ((SUCCESS_RANK[launch.success] || 0) > (SUCCESS_RANK[success] || 0)) success = launch.success;
      set(CMI.success, success);
    }
  }

  function pad(n, width = 2) {
    return String(n).padStart(width, "0");
  }

  function sessionTime() {
    const seconds = Math.max(0, (Date.now() - started) / 1000);
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    if (V12) return `${pad(Math.min(h, 9999))}:${pad(m)}:${pad(Math.floor(s))}.${pad(Math.floor((s % 1) * 100))}`;
    return `PT${h}H${m}M${Math.round(s * 100) / 100}S`;
  }

  // -- talking to the platform -----------------------------------------------------------------
  let finished = false;
  let pending = false;
  let ready = false;

  function commit() {
    pending = false;
    if (finished || readOnly) return;
    set(CMI.time, sessionTime());
    api[CALLS.commit]("");
  }

  /** One commit for everything a single click changes (answers, score, interaction): they
   * are all reported while the click is handled, and the commit follows in the same task,
   * before anything the learner does next (such as leaving the page). */
  function commitSoon() {
    if (pending || finished || !ready) return;
    pending = true;
    queueMicrotask(commit);
  }

  function finish() {
    if (finished) return;
    if (!readOnly) {
      update();
      saveAnswers();
      set(CMI.exit, "suspend");
      set(CMI.time, sessionTime());
      api[CALLS.commit]("");
    }
    finished = true;
    api[CALLS.finish]("");
  }

  const begun = V12 ? launch.status : launch.completion;
  if (!readOnly && (!begun || begun === "not attempted" || begun === "unknown")) {
    set(V12 ? CMI.status : CMI.completion, "incomplete");
  }

  window.addEventListener("healthkit:score", (event) => {
    const detail = event.detail || {};
    const quiz = quizzes.get(detail.quiz);
    if (!quiz) return;
    quiz.score = Number(detail.score) || 0;
    quiz.answered = Number(detail.answered) || 0;
    if (Number(detail.total) > 0) quiz.total = Number(detail.total);
    if (ready) {
      update();
      commitSoon();
    }
  });

  function letter(i) {
    return i >= 0 && i < 26 ? String.fromCharCode(97 + i) : String(i);
  }

  function timestamp(date) {
    const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
    const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
    return V12 ? time : `${day}T${time}`;
  }

  window.addEventListener("healthkit:answer", (event) => {
    const d = event.detail || {};
    if (finished || readOnly || !d.quiz || !d.question) return;
    const n = interactions;
    interactions += 1;
    const base = `cmi.interactions.${n}.`;
    const chosen = (d.selected || []).map(letter);
    // A triage question is a matching interaction: each sign (source) with the place chosen (target).
    const pairs = Array.isArray(d.pairs) ? d.pairs : null;
    // After "Show answer" a right answer shows what was read, not what was known.
    const result = d.revealed ? "neutral" : d.correct ? "correct" : V12 ? "wrong" : "incorrect";
    set(`${base}id`, `${d.quiz}.${d.question}`.replace(/\s+/g, "_").slice(0, 255));
    set(`${base}type`, pairs ? "matching" : "choice");
    if (V12) {
      set(`${base}student_response`, pairs ? pairs.map(([s, t]) => `${s + 1}.${letter(t)}`).join(",") : chosen.join(","));
      set(`${base}result`, result);
      set(`${base}time`, timestamp(new Date()));
    } else {
      set(`${base}description`, String(d.prompt || "").slice(0, 250));
      set(`${base}learner_response`, pairs ? pairs.map(([s, t]) => `sign${s + 1}[.]place${t + 1}`).join("[,]") : chosen.join("[,]"));
      set(`${base}result`, result);
      set(`${base}timestamp`, timestamp(new Date()));
    }
    set(`${base}weighting`, "1");
    saveAnswers(); // the interaction count travels with the answers
    commitSoon();
  });

  // A page opened inside the platform's frame: links to sources open beside it, so following
  // one does not end the lesson.
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (link && /^https?:/i.test(link.getAttribute("href") || "")) {
      link.target = "_blank";
      link.rel = "noopener noreferrer";
    }
  }, true);

  // The quizzes restore their answers while the page starts: report once, when all are shown.
  function whenReady() {
    if (ready || document.documentElement.dataset.hkReady !== "true") return;
    ready = true;
    update();
    commit();
  }
  new MutationObserver(whenReady).observe(document.documentElement, { attributes: true, attributeFilter: ["data-hk-ready"] });

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden" && ready) commit();
  });
  window.addEventListener("pagehide", finish);
})();
