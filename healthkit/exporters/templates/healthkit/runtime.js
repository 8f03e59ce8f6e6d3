// healthkit offline page runtime: renders each saved anywidget with its own ESM against a
// small in-page model. Scores stay in this browser (localStorage); nothing is sent anywhere.
const data = JSON.parse(document.getElementById("hk-data").textContent);
const STORE = "healthkit.progress.v1";

function load() {
  try { return JSON.parse(localStorage.getItem(STORE) || "{}"); } catch { return {}; }
}
function save(all) {
  try { localStorage.setItem(STORE, JSON.stringify(all)); } catch { /* private mode: keep going */ }
}

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
    const all = load();
    const mine = (all[data.lesson] ||= { quizzes: {} });
    mine.title = data.title;
    mine.updated = new Date().toISOString();
    mine.quizzes[quiz.id] = { score: this.get("score"), total: quiz.questions.length, responses: this.get("responses") };
    save(all);
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

async function mount(el) {
  const entry = data.models[el.dataset.hkModel];
  if (!entry) return;
  const state = structuredClone(entry.state);
  const saved = state.quiz && load()[data.lesson]?.quizzes?.[state.quiz.id];
  if (saved && saved.responses) {
    state.responses = saved.responses;
    state.score = saved.score;
  }
  const mod = await moduleFor(entry.esm);
  const widget = mod.default ?? mod;
  el.replaceChildren();
  el.classList.add("hk-live");
  await widget.render({ model: new Model(state), el });
}

// Listeners (the score summary) first, so they hear the scores restored by the quizzes.
const all = [...document.querySelectorAll("[data-hk-model]")];
const listeners = all.filter((el) => data.models[el.dataset.hkModel]?.state.quizzes);
for (const el of [...listeners, ...all.filter((el) => !listeners.includes(el))]) {
  try { await mount(el); } catch (err) { console.error("healthkit: widget failed", err); }
}
document.documentElement.dataset.hkReady = "true";
