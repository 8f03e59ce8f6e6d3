// healthkit quiz widget (anywidget ESM). Grades in the browser so feedback is instant, and
// runs unchanged in JupyterLab and in exported offline HTML pages (fed by a small model shim).
// All content goes into the page through textContent, never innerHTML.
//
// Feedback teaches before it tells: a wrong first try shows the feedback of the chosen
// option and a pointer to the section, and offers "Try again" and "Show answer"; only a
// right answer or "Show answer" marks the right option(s) and shows the explanation. The
// score counts questions right on the first try. Events and saved records follow the
// contract in the README ("healthkit:score", "healthkit:answer", `responses`).
//
// A saved record is shown only while it still fits its question: the question is in this
// quiz and its options (texts, which are right, order) have the digest the record was saved
// with (`fit`). A record that fits is graded again, never trusted; any other is dropped.
//
// The quiz kinds (form control, hint) come from the model's `kinds` table, which Python
// fills from healthkit.registry.QUIZ_KINDS, and whether to show answer keys from the
// model's `shows_answers` (healthkit.registry.EDITIONS_SPEC).

const SCORE_EVENT = "healthkit:score";
const ANSWER_EVENT = "healthkit:answer";
// JupyterLab (Lumino) runs no keyboard shortcut for a keydown whose target carries this
// attribute, so arrow keys, Space and Enter reach the quiz instead of the notebook.
const SUPPRESS_SHORTCUTS = "data-lm-suppress-shortcuts";
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

/**
 * A digest of a question's options as shown (texts, which are right, order): 32-bit FNV-1a
 * over the code points of each option's "1"/"0" and text, joined by NUL, in base 36. The
 * same as healthkit.quiz.model.fit (a test checks both agree).
 */
export function fitOf(question) {
  const text = question.choices.map((c) => `${c.correct ? "1" : "0"}${c.text}`).join("\u0000");
  let digest = 0x811c9dc5;
  for (const char of text) digest = Math.imul(digest ^ char.codePointAt(0), 0x01000193) >>> 0;
  return digest.toString(36);
}

/** A saved response that still fits `question`, graded again; null when it does not fit. */
export function readResponse(saved, question) {
  if (!saved || typeof saved !== "object" || !question || saved.fit !== fitOf(question)) return null;
  const count = question.choices.length;
  const selected = Array.isArray(saved.selected) ? [...new Set(saved.selected)] : [];
  if (!selected.length || !selected.every((i) => Number.isInteger(i) && i >= 0 && i < count)) return null;
  const correct = grade(question, selected);
  const attempts = Number.isInteger(saved.attempts) && saved.attempts > 0 ? saved.attempts : 1;
  // Right first time only if the saved choice is right now, at the first try: a saved flag
  // alone (edited storage, hostile suspend_data) never counts.
  return {
    selected,
    correct,
    attempts,
    first_try: saved.first_try === true && correct && attempts === 1,
    revealed: saved.revealed === true,
    fit: saved.fit,
  };
}

// A triage choice pairs a sign with a place to get help; its text says both: "sign → place".
const PAIRING = " → ";

/** The sign of a triage choice ("" for other kinds). */
export function itemOf(choice) {
  if (choice.item) return choice.item;
  const at = choice.text.lastIndexOf(PAIRING);
  return at < 0 ? "" : choice.text.slice(0, at);
}

/** The place of a triage choice ("" for other kinds). */
export function targetOf(choice) {
  if (choice.target) return choice.target;
  const at = choice.text.lastIndexOf(PAIRING);
  return at < 0 ? "" : choice.text.slice(at + PAIRING.length);
}

/** A sorting question's selection as [sign, place] index pairs (null for other kinds);
 * `kind` is its entry in the kind table. */
export function pairsOf(question, selected, kind) {
  if (!kind || kind.input !== "select") return null;
  const items = [...new Set(question.choices.map(itemOf))];
  const targets = [...new Set(question.choices.map(targetOf))];
  return selected.map((i) => [items.indexOf(itemOf(question.choices[i])), targets.indexOf(targetOf(question.choices[i]))]);
}

/** Questions right on the first try. */
export function firstTryScore(responses) {
  return Object.values(responses).filter((r) => r && r.first_try).length;
}

function simplify(text) {
  return text.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, "").replace(/\s+/g, " ").trim();
}

/** The option's feedback without a first sentence that only repeats the verdict. */
function withoutVerdict(feedback, verdict) {
  const match = feedback.match(/^([^.!?]*[.!?])\s+(\S[\s\S]*)$/);
  return match && simplify(match[1]) === simplify(verdict) ? match[2] : feedback;
}

function sectionTitle(name) {
  return name ? name.replaceAll("_", " ") : "";
}

/** Move focus to a section's heading (the "Review" link); false when it is not on the page. */
function goToSection(name) {
  const heading = document.getElementById(`section-${name}-title`) || document.getElementById(`section-${name}`);
  if (!heading) return false;
  if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
  heading.scrollIntoView({ block: "start" });
  heading.focus({ preventScroll: true });
  return true;
}

function kindOf(question, kinds) {
  const known = kinds[question.kind];
  if (known) return known;
  // A page saved without the table: draw from the data alone.
  if (question.choices.length && question.choices.every((c) => c.text.includes(PAIRING))) return { input: "select", hint: "", multiple: false };
  const several = question.choices.filter((c) => c.correct).length !== 1;
  return { input: several ? "checkbox" : "radio", hint: "", multiple: several };
}

function renderQuestion(question, index, total, ctx) {
  const uid = `${ctx.uid}-q${index}`;
  const kind = kindOf(question, ctx.kinds);
  const answerKey = ctx.showsAnswers;
  const inputs = [];
  const marks = [];
  const notes = [];
  const options = h("div", { class: "hk-options" });
  // A triage question ("select"): one list of places per sign; its choices are the pairings.
  const sorting = kind.input === "select";
  const rows = [];
  if (sorting) {
    const items = [...new Set(question.choices.map(itemOf))];
    items.forEach((item, r) => {
      const indexes = question.choices.flatMap((c, i) => (itemOf(c) === item ? [i] : []));
      const right = indexes.find((i) => question.choices[i].correct);
      const select = h(
        "select",
        { id: `${uid}-s${r}`, class: "hk-select", [SUPPRESS_SHORTCUTS]: true },
        h("option", { value: "", text: "Choose where to get help" }),
        ...indexes.map((i) => h("option", { value: String(i), text: targetOf(question.choices[i]) })),
      );
      const mark = h("span", { class: "hk-mark" });
      const key = answerKey && right !== undefined ? h("span", { class: "hk-key", text: ` ✔ ${targetOf(question.choices[right])}` }) : null;
      const row = h("div", { class: "hk-choice hk-sort" }, h("label", { for: select.id, text: item }), select, key, mark);
      inputs.push(select);
      rows.push({ row, select, mark, indexes, right });
      options.append(row);
    });
  } else {
    question.choices.forEach((choice, i) => {
      const input = h("input", { type: kind.input, name: uid, id: `${uid}-c${i}`, value: String(i), [SUPPRESS_SHORTCUTS]: true });
      const mark = h("span", { class: "hk-mark" });
      const note = h("span", { class: "hk-choice-note" });
      inputs.push(input);
      marks.push(mark);
      notes.push(note);
      const key = answerKey && choice.correct ? h("span", { class: "hk-key", text: " ✔ correct answer" }) : null;
      options.append(h("div", { class: "hk-choice" }, input, h("label", { for: input.id }, h("span", { text: choice.text }), key, mark, note)));
    });
  }
  if (kind.input === "checkbox") {
    // Checkboxes have no arrow-key movement of their own: give them the radio group's.
    options.addEventListener("keydown", (event) => {
      const at = inputs.indexOf(event.target);
      const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
      if (at < 0 || !step || event.altKey || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      inputs[(at + step + inputs.length) % inputs.length].focus();
    });
  }
  const hint = kind.hint && !simplify(question.prompt).includes(simplify(kind.hint)) ? kind.hint : "";
  const legend = h(
    "legend",
    {},
    h("span", { class: "hk-qnum", text: `Question ${index + 1} of ${total}` }),
    h("span", { class: "hk-prompt", text: question.prompt }),
    hint ? h("span", { class: "hk-hint", text: hint }) : null,
  );
  const feedback = h("div", { class: "hk-feedback", id: `${uid}-fb`, tabindex: "-1" });
  const button = (cls, text) => h("button", { type: "button", class: `hk-button ${cls}`, text, [SUPPRESS_SHORTCUTS]: true });
  const check = button("hk-check", "Check answer");
  const retry = button("hk-retry hk-secondary", "Try again");
  const reveal = button("hk-reveal hk-secondary", "Show answer");
  retry.hidden = reveal.hidden = true;
  const fieldset = h(
    "fieldset",
    { class: "hk-question", "data-question": question.id },
    legend,
    options,
    h("div", { class: "hk-actions" }, check, retry, reveal),
    feedback,
  );
  if (answerKey) {
    fieldset.append(h("p", { class: "hk-explanation hk-teacher-note" }, h("strong", { text: "Answer key: " }), question.explanation));
  }
  const rightTexts = question.choices.filter((c) => c.correct).map((c) => c.text);
  let state = ctx.responses[question.id] || null;

  function selected() {
    if (sorting) return rows.flatMap(({ select }) => (select.value === "" ? [] : [Number(select.value)]));
    return inputs.flatMap((input, i) => (input.checked ? [i] : []));
  }

  function restore(chosen) {
    if (sorting) rows.forEach(({ select, indexes }) => (select.value = String(indexes.find((i) => chosen.includes(i)) ?? "")));
    else chosen.forEach((i) => inputs[i] && (inputs[i].checked = true));
  }

  function pointer() {
    if (!question.section) return null;
    const link = h("a", { href: `#section-${question.section}`, text: `the section on ${sectionTitle(question.section)}`, [SUPPRESS_SHORTCUTS]: true });
    link.addEventListener("click", (event) => {
      if (goToSection(question.section)) event.preventDefault();
    });
    return h("p", { class: "hk-pointer" }, "Review: ", link);
  }

  /** Draw the feedback for `state`; returns the sentence to announce. */
  function show() {
    feedback.replaceChildren();
    const done = state.correct || state.revealed;
    fieldset.classList.toggle("hk-right", state.correct);
    fieldset.classList.toggle("hk-wrong", !state.correct);
    const verdict = state.correct ? "Correct!" : "Not quite.";
    const spoken = [verdict];
    feedback.append(h("p", { class: "hk-verdict" }, h("span", { "aria-hidden": "true", text: state.correct ? "✓ " : "✗ " }), verdict));
    if (!state.correct && sorting) {
      const placed = rows.filter(({ right }) => state.selected.includes(right)).length;
      const more = `${placed} of the ${rows.length} signs are in the right place.`;
      feedback.append(h("p", { class: "hk-hint-more", text: more }));
      spoken.push(more);
    }
    if (!state.correct && kind.multiple) {
      const found = state.selected.filter((i) => question.choices[i]?.correct).length;
      const extra = state.selected.length > found ? ", and some that are not right" : "";
      const more = `You chose ${found} of the ${rightTexts.length} right answers${extra}.`;
      feedback.append(h("p", { class: "hk-hint-more", text: more }));
      spoken.push(more);
    }
    const list = h("ul", { class: "hk-choice-feedback" });
    for (const i of state.selected) {
      const choice = question.choices[i];
      if (!choice) continue;
      const said = withoutVerdict(choice.feedback, verdict);
      list.append(h("li", {}, h("strong", { text: `${choice.text}: ` }), said));
      spoken.push(`${choice.text}: ${said}`);
    }
    if (list.childElementCount) feedback.append(list);
    if (state.revealed && !state.correct) {
      const answer = `${rightTexts.length > 1 ? "Right answers" : "Right answer"}: ${rightTexts.join("; ")}.`;
      feedback.append(h("p", { class: "hk-answer" }, h("strong", { text: answer })));
      spoken.push(answer);
    }
    if (done) {
      feedback.append(h("p", { class: "hk-explanation" }, h("strong", { text: "Why: " }), question.explanation));
      spoken.push(question.explanation);
    } else {
      spoken.push("Try again, or show the answer.");
    }
    const review = pointer();
    if (review) feedback.append(review);
    if (sorting) {
      rows.forEach(({ row, mark, indexes, right }) => {
        const chosen = indexes.find((i) => state.selected.includes(i));
        const wrong = chosen !== undefined && chosen !== right;
        mark.textContent = done ? ` ✓ Right answer: ${targetOf(question.choices[right])}` : wrong ? " ✗ Not this one" : "";
        row.classList.toggle("hk-is-right", done);
      });
    } else {
      question.choices.forEach((choice, i) => {
        marks[i].textContent = done && choice.correct ? " ✓ Right answer" : "";
        marks[i].parentElement.parentElement.classList.toggle("hk-is-right", done && choice.correct);
        notes[i].textContent = state.selected.includes(i) ? " (your answer)" : "";
      });
    }
    retry.hidden = state.correct;
    reveal.hidden = done;
    settle(done);
    return spoken.join(" ");
  }

  /** A right answer, or one shown, is settled: its options and Check are locked, so it can
   * never be checked again into "Not quite". "Try again" (after "Show answer") unlocks them
   * for practice; the first try, and so the score, never changes. */
  function settle(settled) {
    inputs.forEach((input) => {
      input.disabled = settled;
    });
    check.hidden = settled;
    fieldset.classList.toggle("hk-settled", settled);
  }

  function clear() {
    feedback.replaceChildren();
    fieldset.classList.remove("hk-right", "hk-wrong");
    if (sorting) {
      rows.forEach(({ row, select, mark }) => {
        select.value = "";
        mark.textContent = "";
        row.classList.remove("hk-is-right");
      });
    } else {
      inputs.forEach((input, i) => {
        input.checked = false;
        marks[i].textContent = "";
        notes[i].textContent = "";
        marks[i].parentElement.parentElement.classList.remove("hk-is-right");
      });
    }
    retry.hidden = reveal.hidden = true;
    settle(false);
  }

  check.addEventListener("click", () => {
    const chosen = selected();
    if (sorting && chosen.length < rows.length) {
      ctx.announce(`Question ${index + 1}: choose where to get help for every sign first.`);
      feedback.replaceChildren(h("p", { class: "hk-verdict", text: "Choose where to get help for every sign first." }));
      return;
    }
    if (chosen.length === 0) {
      ctx.announce(`Question ${index + 1}: choose an answer first.`);
      feedback.replaceChildren(h("p", { class: "hk-verdict", text: "Choose an answer first." }));
      return;
    }
    const right = grade(question, chosen);
    const attempts = (state ? state.attempts : 0) + 1;
    state = {
      selected: chosen,
      correct: right,
      attempts,
      first_try: state ? state.first_try : right,
      revealed: state ? state.revealed : false,
    };
    const said = show();
    ctx.record(question, state);
    ctx.announce(`Question ${index + 1}: ${said}`);
    if (check.hidden) (retry.hidden ? feedback : retry).focus();
  });

  reveal.addEventListener("click", () => {
    if (!state) return;
    state = { ...state, revealed: true };
    const said = show();
    ctx.save(question, state);
    ctx.announce(`Question ${index + 1}: ${said}`);
    (retry.hidden ? feedback : retry).focus();
  });

  retry.addEventListener("click", () => {
    clear();
    inputs[0].focus();
  });

  if (state && state.selected.length) {
    restore(state.selected);
    show();
  }
  return fieldset;
}

function render({ model, el }) {
  const quiz = model.get("quiz");
  const kinds = model.get("kinds") || {};
  const showsAnswers = model.get("shows_answers") === true;
  const questions = quiz.questions || [];
  // Only records that still fit a question of this quiz, graded again (see readResponse).
  const saved = model.get("responses") || {};
  const responses = {};
  for (const question of questions) {
    const response = Object.hasOwn(saved, question.id) ? readResponse(saved[question.id], question) : null;
    if (response) responses[question.id] = response;
  }
  const uid = `hk-${quiz.id}-${++counter}`;
  const score = h("p", { class: "hk-score" });
  // One polite announcement per action; the visible feedback is not a live region itself.
  const announcer = h("p", { class: "hk-sr-only", role: "status", "aria-live": "polite", "aria-atomic": "true" });

  function current() {
    return firstTryScore(responses);
  }

  function publish() {
    const value = current();
    score.textContent = `Score: ${value} of ${questions.length} right first time`;
    const answered = Object.keys(responses).length;
    window.dispatchEvent(new CustomEvent(SCORE_EVENT, { detail: { quiz: quiz.id, score: value, total: questions.length, answered } }));
  }

  function save(question, response) {
    responses[question.id] = { ...response, selected: [...response.selected], fit: fitOf(question) };
    model.set("responses", { ...responses });
    model.set("score", current());
    model.save_changes();
  }

  const ctx = {
    uid,
    showsAnswers,
    kinds,
    responses,
    save,
    record(question, response) {
      save(question, response);
      const detail = {
        quiz: quiz.id,
        question: question.id,
        kind: question.kind,
        prompt: question.prompt,
        choices: question.choices.map((c) => c.text),
        selected: [...response.selected],
        correct: response.correct,
        attempt: response.attempts,
        first_try: response.first_try,
        revealed: response.revealed,
      };
      const pairs = pairsOf(question, response.selected, kindOf(question, kinds));
      if (pairs) detail.pairs = pairs; // a triage question: [sign, place] indexes, for matching
      window.dispatchEvent(new CustomEvent(ANSWER_EVENT, { detail }));
      publish();
    },
    announce(text) {
      // The same words twice in a row are still read: vary an invisible trailing space.
      announcer.textContent = announcer.textContent === text ? `${text}\u00a0` : text;
    },
  };

  const heading = h(quiz.section ? "h3" : "h2", { class: "hk-title", id: `${uid}-title`, text: quiz.title });
  const root = h("section", { class: "hk-quiz", "aria-labelledby": heading.id, "data-quiz": quiz.id }, heading);
  if (!questions.length) root.append(h("p", { text: "Every question of this lesson is in the quizzes above." }));
  questions.forEach((q, i) => root.append(renderQuestion(q, i, questions.length, ctx)));
  root.append(score, announcer);
  el.replaceChildren(root);
  publish();
}

export default { render };
