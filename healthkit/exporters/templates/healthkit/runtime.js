// healthkit offline page runtime: renders each saved anywidget with its own ESM against a
// small in-page model. Answers are kept by a progress store: by default this browser's
// local storage (nothing is sent anywhere); a page packaged for a learning platform installs
// its own store (globalThis.healthkitProgressStore) before this module runs.
//
// A store is {load(lesson) -> {quizId: {score, total, responses}} (or a Promise of it),
// save(lesson, title, quizId, {score, total, responses})}, and may offer
// subscribe(lesson, onChange) to hear of changes made elsewhere (another tab, a reset).
const data = JSON.parse(document.getElementById("hk-data").textContent);
// Each edition keeps its answers under its own key, so a teacher page never shares progress
// with the learner pages (the key comes from healthkit.registry.EDITIONS_SPEC).
const STORE = data.store || "healthkit.progress.v2";

function quizzesOf(text, lesson) {
  try { return JSON.parse(text || "{}")[lesson]?.quizzes || {}; } catch { return {}; }
}

/** The default store: one localStorage entry shared by the pages of a site and edition. */
function localStore() {
  function all() {
    try { return JSON.parse(localStorage.getItem(STORE) || "{}"); } catch { return {}; }
  }
  return {
    /** Saved quizzes of a lesson: {quizId: {score, total, responses}}. */
    load(lesson) { return all()[lesson]?.quizzes || {}; },
    save(lesson, title, quizId, record) {
      const everything = all();
      const mine = (everything[lesson] ||= { quizzes: {} });
      mine.title = title;
      mine.updated = new Date().toISOString();
      mine.quizzes[quizId] = record;
      try { localStorage.setItem(STORE, JSON.stringify(everything)); } catch { /* private mode: keep going */ }
    },
    /** Another page changed this lesson's answers, or "Forget my answers" removed them. */
    subscribe(lesson, onChange) {
      window.addEventListener("storage", (event) => {
        if (event.storageArea !== localStorage || (event.key !== null && event.key !== STORE)) return;
        const before = JSON.stringify(quizzesOf(event.oldValue, lesson));
        const after = quizzesOf(event.key === null ? null : event.newValue, lesson);
        if (event.key === null || JSON.stringify(after) !== before) onChange(after);
      });
    },
  };
}

const store = globalThis.healthkitProgressStore || localStore();

class Model {
  constructor(state) { this.state = state; this.listeners = new Map(); }
  get(key) { return this.state[key]; }
  set(key, value) {
    this.state[key] = value;
    for (const fn of this.listeners.get(`change:${key}`) || []) fn();
  }
  on(event, fn) {
    if (!this.listeners.has(event)) this.listeners.set(event, []);
    this.listeners.get(event).push(fn);
  }
  off(event, fn) {
    this.listeners.set(event, (this.listeners.get(event) || []).filter((f) => f !== fn));
  }
  save_changes() {
    const quiz = this.get("quiz");
    if (!quiz || !data.lesson) return;
    store.save(data.lesson, data.title, quiz.id, { score: this.get("score"), total: quiz.questions.length, responses: this.get("responses") });
  }
  send() {}
}

const modules = new Map();
function moduleFor(key) {
  if (!modules.has(key)) {
    const url = URL.createObjectURL(new Blob([data.esm[key]], { type: "text/javascript" }));
    modules.set(key, import(url));
  }
  return modules.get(key);
}

const cleanups = new Map();

async function mount(el, saved) {
  const entry = data.models[el.dataset.hkModel];
  if (!entry) return;
  const state = structuredClone(entry.state);
  const mine = state.quiz && saved[state.quiz.id];
  if (mine && mine.responses) {
    state.responses = mine.responses;
    state.score = mine.score;
  }
  const mod = await moduleFor(entry.esm);
  const widget = mod.default ?? mod;
  const previous = cleanups.get(el);
  if (typeof previous === "function") previous();
  el.replaceChildren();
  el.classList.add("hk-live");
  cleanups.set(el, await widget.render({ model: new Model(state), el }));
}

// Listeners (the score summary) first, so they hear the scores restored by the quizzes.
const all = [...document.querySelectorAll("[data-hk-model]")];
const listeners = all.filter((el) => data.models[el.dataset.hkModel]?.state.quizzes);
const ordered = [...listeners, ...all.filter((el) => !listeners.includes(el))];

async function mountAll(saved) {
  for (const el of ordered) {
    try { await mount(el, saved); } catch (err) { console.error("healthkit: widget failed", err); }
  }
}

await mountAll((await store.load(data.lesson)) || {});
// Answers changed elsewhere (another tab of this lesson, "Forget my answers" on the index):
// show them, so this page never saves its stale answers back over them.
store.subscribe?.(data.lesson, async (saved) => {
  document.documentElement.dataset.hkReady = "false";
  await mountAll(saved || {});
  document.documentElement.dataset.hkReady = "true";
});
document.documentElement.dataset.hkReady = "true";
