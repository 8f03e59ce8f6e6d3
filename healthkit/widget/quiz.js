// healthkit quiz widget (anywidget ESM). Grades in the browser so feedback is instant, and
// runs unchanged in JupyterLab and in exported offline HTML pages (fed by a small model shim).
// All content goes into the page through textContent, never innerHTML.

const SCORE_EVENT = "healthkit:score";
let counter = 0;

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

/** Same rule as healthkit.quiz.Question.grade: right when exactly the correct choices are chosen. */
export function grade(question, selected) {
  const chosen = [...new Set(selected)].sort((a, b) => a - b);
  const answer = question.choices.flatMap((c, i) => (c.correct ? [i] : []));
  return chosen.length === answer.length && chosen.every((v, i) => v === answer[i]);
}

function sectionTitle(name) {
  return name ? name.replace("_", " ") : "";
}

function renderQuestion(question, index, total, ctx) {
  const uid = `${ctx.uid}-q${index}`;
  const multiple = question.kind === "multiple";
  const inputs = [];
  const teacher = ctx.edition === "teacher";
  const options = h("div", { class: "hk-options" });
  question.choices.forEach((choice, i) => {
    const input = h("input", {
      type: multiple ? "checkbox" : "radio",
      name: uid,
      id: `${uid}-c${i}`,
      value: String(i),
    });
    inputs.push(input);
    const mark = teacher && choice.correct ? h("span", { class: "hk-key", text: " ✔ correct answer" }) : null;
    const note = h("span", { class: "hk-choice-note", "aria-hidden": "false" });
    options.append(
      h("div", { class: "hk-choice" }, input, h("label", { for: input.id }, h("span", { text: choice.text }), mark, note)),
    );
  });
  const hint = multiple ? "Choose all that apply." : "Choose one answer.";
  const legend = h(
    "legend",
    {},
    h("span", { class: "hk-qnum", text: `Question ${index + 1} of ${total}` }),
    h("span", { class: "hk-prompt", text: question.prompt }),
    h("span", { class: "hk-hint", text: hint }),
  );
  const feedback = h("div", { class: "hk-feedback", role: "status", "aria-live": "polite", id: `${uid}-fb` });
  const check = h("button", { type: "button", class: "hk-button hk-check", "aria-describedby": feedback.id, text: "Check answer" });
  const retry = h("button", { type: "button", class: "hk-button hk-retry", hidden: true, text: "Try again" });
  const fieldset = h("fieldset", { class: "hk-question", "data-question": question.id }, legend, options, h("div", { class: "hk-actions" }, check, retry), feedback);
  if (teacher) {
    fieldset.append(h("p", { class: "hk-explanation hk-teacher-note" }, h("strong", { text: "Answer key: " }), question.explanation));
  }

  function selected() {
    return inputs.flatMap((input, i) => (input.checked ? [i] : []));
  }

  function show(chosen, right) {
    feedback.replaceChildren();
    fieldset.classList.toggle("hk-right", right);
    fieldset.classList.toggle("hk-wrong", !right);
    feedback.append(
      h("p", { class: "hk-verdict" }, h("span", { "aria-hidden": "true", text: right ? "✓ " : "✗ " }), right ? "Correct!" : "Not quite."),
    );
    if (!right && multiple) {
      const answer = question.choices.filter((c) => c.correct).length;
      const found = chosen.filter((i) => question.choices[i].correct).length;
      feedback.append(h("p", { class: "hk-hint-more", text: `You chose ${found} of the ${answer} right answers${chosen.length > found ? ", and some that are not right" : ""}.` }));
    }
    const list = h("ul", { class: "hk-choice-feedback" });
    for (const i of chosen) {
      const choice = question.choices[i];
      list.append(h("li", {}, h("strong", { text: `${choice.text}: ` }), choice.feedback));
    }
    feedback.append(list, h("p", { class: "hk-explanation" }, h("strong", { text: "Why: " }), question.explanation));
    if (question.section) {
      feedback.append(
        h("p", { class: "hk-pointer" }, "Review: ", h("a", { href: `#section-${question.section}`, text: `the section on ${sectionTitle(question.section)}` })),
      );
    }
    inputs.forEach((input, i) => {
      const note = input.parentElement.querySelector(".hk-choice-note");
      note.textContent = chosen.includes(i) ? " (your answer)" : "";
    });
    retry.hidden = right;
  }

  check.addEventListener("click", () => {
    const chosen = selected();
    if (chosen.length === 0) {
      feedback.replaceChildren(h("p", { class: "hk-verdict", text: "Choose an answer first." }));
      return;
    }
    const right = grade(question, chosen);
    show(chosen, right);
    ctx.record(question.id, chosen, right);
  });

  retry.addEventListener("click", () => {
    inputs.forEach((input) => {
      input.checked = false;
      input.parentElement.querySelector(".hk-choice-note").textContent = "";
    });
    feedback.replaceChildren();
    fieldset.classList.remove("hk-right", "hk-wrong");
    retry.hidden = true;
    inputs[0].focus();
  });

  const saved = ctx.responses[question.id];
  if (saved && Array.isArray(saved.selected) && saved.selected.length) {
    saved.selected.forEach((i) => inputs[i] && (inputs[i].checked = true));
    show(saved.selected, grade(question, saved.selected));
  }
  return fieldset;
}

function render({ model, el }) {
  const quiz = model.get("quiz");
  const edition = model.get("edition") || "learner";
  const questions = quiz.questions || [];
  const responses = { ...(model.get("responses") || {}) };
  const uid = `hk-${quiz.id}-${++counter}`;
  const score = h("p", { class: "hk-score", role: "status", "aria-live": "polite" });

  function current() {
    return Object.values(responses).filter((r) => r.correct).length;
  }

  function announce() {
    const value = current();
    score.textContent = `Score: ${value} of ${questions.length}`;
    window.dispatchEvent(new CustomEvent(SCORE_EVENT, { detail: { quiz: quiz.id, score: value, total: questions.length, answered: Object.keys(responses).length } }));
  }

  const ctx = {
    uid,
    edition,
    responses,
    record(id, selected, correct) {
      responses[id] = { selected, correct };
      model.set("responses", { ...responses });
      model.set("score", current());
      model.save_changes();
      announce();
    },
  };

  const heading = h("h3", { class: "hk-title", id: `${uid}-title`, text: quiz.title });
  const root = h("section", { class: "hk-quiz", "aria-labelledby": heading.id, "data-quiz": quiz.id }, heading);
  questions.forEach((q, i) => root.append(renderQuestion(q, i, questions.length, ctx)));
  root.append(score);
  el.replaceChildren(root);
  announce();
}

export default { render };
