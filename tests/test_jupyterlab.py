"""End to end, as a learner: a real JupyterLab, a rendered lesson, headless Chromium.

Starts ``jupyter lab`` on 127.0.0.1, opens the lesson, runs all cells, answers one question
wrong and one right, checks the feedback and score on screen, then asks the kernel itself
for the score the widget synced back.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest

from healthkit.app.build import BuildOptions, build
from healthkit.lesson import open_lesson

from .browser import chromium, jupyter_lab
from .conftest import CONTENT, ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder laid out like a checkout: content/ and build/lessons/."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(CONTENT, root / "content")
    report = build(BuildOptions(content_dir=root / "content", out_dir=root / "build", ids=("back-spasms",), html=False, template=ROOT / "notebooks" / "lesson.ipynb"))
    assert report.ok, report.results
    return root


@pytest.fixture(scope="module")
def lab(workspace: Path) -> Iterator[str]:
    with jupyter_lab(workspace, workspace / "jupyter.log") as url:
        yield url


def _kernel_eval(workspace: Path, expression: str) -> str:
    """Evaluate ``expression`` in the notebook's own kernel, found by its connection file."""
    from jupyter_client import BlockingKernelClient

    (connection,) = sorted((workspace / ".jupyter-runtime").glob("kernel-*.json"))
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


def test_learner_answers_a_quiz_in_jupyterlab(workspace: Path, lab: str) -> None:
    quiz = open_lesson("back-spasms", content_dir=workspace / "content").section_quiz_model("types")
    first, second = quiz.questions[:2]
    wrong = next(i for i, c in enumerate(first.choices) if not c.correct)
    right = next(i for i, c in enumerate(second.choices) if c.correct)

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{lab}/lab/tree/build/lessons/back-spasms.ipynb")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
        # Untrusted on opening: the quiz shows its readable fallback, not a blank box.
        page.get_by_text("Run this cell (or Run ▸ Run All Cells) to answer").first.wait_for(timeout=30_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)

        news = page.get_by_role("button", name="No", exact=True)
        if news.count():
            news.first.click()
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        box = page.locator(f".hk-quiz[data-quiz='{quiz.id}']")
        box.wait_for(timeout=90_000)
        box.scroll_into_view_if_needed()

        q1 = box.locator(f"fieldset[data-question='{first.id}']")
        q1.locator("label").nth(wrong).click()
        q1.get_by_role("button", name="Check answer").click()
        feedback1 = q1.locator(".hk-feedback")
        assert "Not quite." in feedback1.inner_text()
        assert first.choices[wrong].feedback in feedback1.inner_text()
        assert first.explanation in feedback1.inner_text()
        assert q1.get_by_role("button", name="Try again").is_visible()

        q2 = box.locator(f"fieldset[data-question='{second.id}']")
        q2.locator("label").nth(right).click()
        q2.get_by_role("button", name="Check answer").click()
        assert "Correct!" in q2.locator(".hk-feedback").inner_text()
        assert box.locator(".hk-score").inner_text() == f"Score: 1 of {len(quiz.questions)}"
        box.screenshot(path=str(workspace / "answered-quiz.png"))
        summary = page.locator(".hk-summary")
        summary.scroll_into_view_if_needed()
        # JupyterLab skips painting cells outside the viewport, so read the DOM text.
        assert (summary.text_content() or "").startswith("1 of ")
        assert not errors, errors

        # The widget synced its state back to Python.
        page.wait_for_timeout(500)
        assert _kernel_eval(workspace, "lesson.score") == "1"
        responses = json.loads(_kernel_eval(workspace, "__import__('json').dumps(lesson.quizzes[0].responses)"))
        assert responses[first.id] == {"selected": [wrong], "correct": False}
        assert responses[second.id] == {"selected": [right], "correct": True}
