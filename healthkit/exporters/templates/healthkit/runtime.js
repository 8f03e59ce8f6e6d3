// healthkit offline page runtime: renders each saved anywidget with its own ESM against a
// small in-page model. Answers are kept by a progress store: by default this browser's
// local storage (nothing is sent anywhere); a page packaged for a learning platform installs
// its own store (globalThis.healthkitProgressStore) before this module runs.
const data = JSON.parse(document.getElementById("hk-data").textContent);
const STORE = "healthkit.progress.v1";

/** The default store: one localStorage entry shared by the pages of a site. */
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
  el.replaceChildren();
  el.classList.add("hk-live");
  await widget.render({ model: new Model(state), el });
}

// Listeners (the score summary) first, so they hear the scores restored by the quizzes.
const saved = (await store.load(data.lesson)) || {};
const all = [...document.querySelectorAll("[data-hk-model]")];
const listeners = all.filter((el) => data.models[el.dataset.hkModel]?.state.quizzes);
for (const el of [...listeners, ...all.filter((el) => !listeners.includes(el))]) {
  try { await mount(el, saved); } catch (err) { console.error("healthkit: widget failed", err); }
}
document.documentElement.dataset.hkReady = "true";
