// healthkit lesson score summary (anywidget ESM). Listens to the score events every quiz of
// the page sends, so the total is live in JupyterLab and in offline HTML alike. Scores count
// questions right on the first try.

const SCORE_EVENT = "healthkit:score";

function render({ model, el }) {
  const quizzes = model.get("quizzes") || [];
  const scores = { ...(model.get("scores") || {}) };
  const seen = {};
  const total = quizzes.reduce((sum, q) => sum + q.total, 0);
  // Not a live region: each quiz announces its own check once; this total is read on demand.
  const out = document.createElement("p");
  out.className = "hk-summary";
  const heading = document.createElement("h2");
  heading.textContent = "Your score for this lesson";
  const box = document.createElement("section");
  box.className = "hk-scoreboard";
  box.append(heading, out);

  function update() {
    const sum = quizzes.reduce((acc, q) => acc + (scores[q.id] || 0), 0);
    const answered = quizzes.filter((q) => (seen[q.id] || 0) > 0).length;
    out.textContent = `${sum} of ${total} questions right first time, across ${answered} of ${quizzes.length} quizzes answered.`;
  }

  function onScore(event) {
    const { quiz, score, answered } = event.detail || {};
    if (!quizzes.some((q) => q.id === quiz)) return;
    scores[quiz] = score;
    seen[quiz] = answered;
    update();
  }

  window.addEventListener(SCORE_EVENT, onScore);
  model.on("change:scores", () => {
    Object.assign(scores, model.get("scores") || {});
    update();
  });
  update();
  el.replaceChildren(box);
  return () => window.removeEventListener(SCORE_EVENT, onScore);
}

export default { render };
