"""End to end, as a learner: a real JupyterLab, a rendered lesson, headless Chromium.

Starts ``jupyter lab`` on 127.0.0.1, opens the lesson and runs all cells. In the Light
theme: answers one question wrong (then shows the answer) and one right, checks the
feedback and the first-try score on screen and in the kernel. In the Dark theme (set
through the server's settings overrides): the keyboard reaches and works a quiz without
JupyterLab's notebook shortcuts taking the keys, and every text of the lesson's outputs
has enough contrast.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from healthkit.app.build import BuildOptions, build
from healthkit.lesson import open_lesson
from healthkit.quiz.model import Quiz

from .a11y import focus_ring, text_contrast
from .browser import DARK, THEMES, chromium, jupyter_lab, save_screenshot
from .conftest import ROOT, SEED

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OUTPUTS = ".jp-Notebook .jp-OutputArea-output"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder laid out like a checkout: content/ and build/lessons/."""
    root = tmp_path_factory.mktemp("lab")
    (root / "content").mkdir()
    shutil.copy(SEED, root / "content" / "back-spasms.yaml")
    report = build(BuildOptions(content_dir=root / "content", out_dir=root / "build", ids=("back-spasms",), html=False, template=ROOT / "notebooks" / "lesson.ipynb"))
    assert report.ok, report.results
    return root


@pytest.fixture(scope="module")
def lab(workspace: Path) -> Iterator[str]:
    with jupyter_lab(workspace, workspace / "jupyter.log") as url:
        yield url


def _kernel_eval(state: Path, expression: str) -> str:
    """Evaluate ``expression`` in the notebook's own kernel, found by its connection file."""
    from jupyter_client import BlockingKernelClient

    (connection,) = sorted((state / ".jupyter-runtime").glob("kernel-*.json"))
    client = BlockingKernelClient(connection_file=str(connection))
    client.load_connection_file()
    client.start_channels()
    try:
        out: list[str] = []

        def hook(msg: dict[str, Any]) -> None:
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])

        client.execute_interactive(f"print({expression})", output_hook=hook, timeout=30)
        return "".join(out).strip()
    finally:
        client.stop_channels()


def _kernel_until(state: Path, expression: str, done: Callable[[str], bool], timeout: float = 30) -> str:
    """Evaluate ``expression`` in the kernel until ``done`` holds for its value (the browser
    syncs widget state to the kernel on its own time), or ``timeout`` seconds have passed;
    returns the last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = _kernel_eval(state, expression)
        if done(value) or time.monotonic() > deadline:
            return value


def _quiz(workspace: Path) -> Quiz:
    return open_lesson("back-spasms", content_dir=workspace / "content").section_quiz_model("types")


def _open_and_run(page: Any, url: str, quiz: Quiz, log: Path) -> Any:
    """Open the lesson, see its readable fallback, run every cell; returns the quiz's box."""
    page.goto(f"{url}/lab/tree/build/lessons/back-spasms.ipynb")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    # Untrusted on opening: the quiz shows its readable fallback, not a blank box.
    page.get_by_text("Run this cell (or Run ▸ Run All Cells) to answer").first.wait_for(timeout=30_000)
    # The notebook's kernel has started and is idle (the status bar says so).
    page.locator(".jp-StatusBar-Widget", has_text="| Idle").first.wait_for(timeout=90_000)
    news = page.get_by_role("button", name="No", exact=True)
    if news.count():
        news.first.click()
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    box = page.locator(f".hk-quiz[data-quiz='{quiz.id}']")
    try:
        box.wait_for(timeout=90_000)
    except Exception:
        shot = log.with_suffix(".png")
        page.screenshot(path=str(shot))
        raise AssertionError(f"the quiz did not appear; screenshot {shot}, server log:\n{log.read_text()[-3000:]}") from None
    page.locator(".hk-summary").wait_for(state="attached", timeout=90_000)
    box.scroll_into_view_if_needed()
    return box


def test_learner_answers_a_quiz_in_jupyterlab(workspace: Path, lab: str) -> None:
    quiz = _quiz(workspace)
    first, second = quiz.questions[:2]
    wrong = next(i for i, c in enumerate(first.choices) if not c.correct)
    right = second.answer[0]

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        box = _open_and_run(page, lab, quiz, workspace / "jupyter.log")
        assert page.evaluate("document.body.dataset.jpThemeLight") == "true"

        q1 = box.locator(f"fieldset[data-question='{first.id}']")
        q1.locator("label").nth(wrong).click()
        q1.get_by_role("button", name="Check answer").click()
        feedback1 = q1.locator(".hk-feedback")
        assert "Not quite." in feedback1.inner_text()
        assert first.explanation not in feedback1.inner_text()  # not yet: try again first
        assert q1.get_by_role("button", name="Try again").is_visible()
        q1.get_by_role("button", name="Show answer").click()
        assert first.explanation in feedback1.inner_text()
        assert "✓ Right answer" in q1.locator(".hk-choice").nth(first.answer[0]).inner_text()

        q2 = box.locator(f"fieldset[data-question='{second.id}']")
        q2.locator("label").nth(right).click()
        q2.get_by_role("button", name="Check answer").focus()
        page.keyboard.press("Enter")
        assert "Correct!" in q2.locator(".hk-feedback").inner_text()
        # Settled: the options and Check are locked, so it cannot be checked again into "Not quite".
        assert q2.locator("input").nth(right).is_disabled() and not q2.get_by_role("button", name="Check answer").is_visible()
        assert focus_ring(page)["ratio"] >= 3
        assert box.locator(".hk-score").inner_text() == f"Score: 1 of {len(quiz.questions)} right first time"
        page.mouse.move(0, 0)
        save_screenshot(box, "answered-quiz-jupyterlab.png")
        summary = page.locator(".hk-summary")
        summary.scroll_into_view_if_needed()
        # JupyterLab skips painting cells outside the viewport, so read the DOM text.
        assert (summary.text_content() or "").startswith("1 of ")
        result = text_contrast(page, OUTPUTS)
        assert result["measured"] > 200 and result["failures"] == []
        assert not errors, errors

        # The widget synced its state back to Python: the first-try score and every try.
        expected = {
            first.id: {"selected": [wrong], "correct": False, "attempts": 1, "first_try": False, "revealed": True, "fit": first.fit},
            second.id: {"selected": [right], "correct": True, "attempts": 1, "first_try": True, "revealed": False, "fit": second.fit},
        }
        synced = _kernel_until(
            workspace, f"__import__('json').dumps([lesson.score, next(w for w in lesson.quizzes if w.model.id == {quiz.id!r}).responses])",
            lambda v: json.loads(v) == [1, expected],
        )
        assert json.loads(synced) == [1, expected]


def _in_quiz(page: Any) -> bool:
    return bool(page.evaluate("!!document.activeElement.closest('.hk-quiz')"))


def test_keyboard_and_contrast_in_jupyterlab_dark(workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    root = tmp_path_factory.mktemp("lab-dark")
    shutil.copytree(workspace / "content", root / "content")
    shutil.copytree(workspace / "build", root / "build")
    quiz = _quiz(workspace)
    first, second = quiz.questions[:2]
    with jupyter_lab(root, root / "jupyter.log", settings={THEMES: {"theme": DARK}}) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        box = _open_and_run(page, url, quiz, root / "jupyter.log")
        assert page.evaluate("[document.body.dataset.jpThemeName, document.body.dataset.jpThemeLight]") == [DARK, "false"]

        # Tab into the quiz from the section before it.
        page.locator("#section-types-title").click()
        for _ in range(20):
            if _in_quiz(page):
                break
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.type") in ("radio", "checkbox")
        q1 = box.locator(f"fieldset[data-question='{first.id}']")
        assert page.evaluate("document.activeElement.closest('fieldset').dataset.question") == first.id
        if first.kind != "multiple":
            page.keyboard.press("Space")
            checked = lambda: q1.locator("input").evaluate_all("(inputs) => inputs.map((i) => i.checked)")  # noqa: E731
            assert checked()[0] is True
            # ArrowDown moves the selection to the next option; focus stays in the quiz.
            page.keyboard.press("ArrowDown")
            assert checked()[:2] == [False, True] and _in_quiz(page)
            assert page.evaluate("document.activeElement.value") == "1"
            ring = focus_ring(page)  # on the option reached with the keyboard
            assert ring["ratio"] >= 3, ring
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Check answer"
        ring = focus_ring(page)
        assert ring["ratio"] >= 3, ring
        page.keyboard.press("Enter")
        verdict = q1.locator(".hk-verdict").inner_text()
        assert "Correct!" in verdict or "Not quite." in verdict
        assert _in_quiz(page)

        # The review link takes focus to the section's heading.
        link = q1.get_by_role("link", name="the section on types")
        link.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # reached with the keyboard, as a learner would
        assert page.evaluate("document.activeElement.textContent") == "the section on types"
        ring = focus_ring(page)
        assert ring["ratio"] >= 3, ring
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "section-types-title"

        # Every state on screen, then every text of the lesson's outputs measured.
        q2 = box.locator(f"fieldset[data-question='{second.id}']")
        q2.locator("label").nth(next(i for i, c in enumerate(second.choices) if not c.correct)).click()
        q2.get_by_role("button", name="Check answer").click()
        q2.get_by_role("button", name="Show answer").click()
        assert box.locator(".hk-wrong .hk-verdict").count() >= 1 and box.locator(".hk-mark:has-text('Right answer')").count() >= 1
        result = text_contrast(page, OUTPUTS)
        assert result["measured"] > 200 and result["failures"] == []
        assert not errors, errors
