"""The offline site in headless Chromium, with every non-file request blocked and recorded."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any, Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe

from healthkit import load_condition
from healthkit.app.build import BuildOptions, build
from healthkit.content import dumps_condition
from healthkit.lesson import open_lesson

from .browser import chromium
from .conftest import CONTENT, ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TEMPLATE = ROOT / "notebooks" / "lesson.ipynb"
BUDGET = 100 * 1024
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]}}
HOSTILE_TITLE = "<script>window.__pwned = 1</script>Spasms"
HOSTILE_ANSWER = '<img src=x onerror="window.__pwned = 2">'


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    report = build(BuildOptions(content_dir=CONTENT, out_dir=out, template=TEMPLATE))
    assert report.ok, [r.error for r in report.results]
    return out / "site"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


class Visit:
    """A page opened offline: non-file requests are aborted and remembered."""

    def __init__(self, browser: Any, url: str, **context: Any) -> None:
        self.context = browser.new_context(**context)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        self.page.goto(url)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "blob:", "data:")):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def ready(self) -> Any:
        self.page.wait_for_selector("html[data-hk-ready='true']", timeout=15_000)
        return self.page


def _answers(condition: str = "back-spasms") -> tuple[Any, Any]:
    quiz = open_lesson(condition, content_dir=CONTENT).section_quiz_model("types")
    return quiz, quiz.questions


def test_pages_fit_the_size_budget(site: Path) -> None:
    pages = sorted(site.glob("*.html"))
    assert pages
    for page in pages:
        assert page.stat().st_size <= BUDGET, f"{page.name} is {page.stat().st_size} bytes"


def test_lesson_page_makes_no_requests_and_answers_by_click(site: Path, browser: Any) -> None:
    quiz, (first, second) = _answers()
    visit = Visit(browser, (site / "back-spasms.html").as_uri())
    page = visit.ready()
    assert page.locator(".hk-quiz").count() == 8
    box = page.locator(f".hk-quiz[data-quiz='{quiz.id}']")
    wrong = next(i for i, c in enumerate(first.choices) if not c.correct)
    q1 = box.locator(f"fieldset[data-question='{first.id}']")
    q1.locator("label").nth(wrong).click()
    q1.get_by_role("button", name="Check answer").click()
    assert "Not quite." in q1.locator(".hk-feedback").inner_text()
    assert first.explanation in q1.locator(".hk-feedback").inner_text()
    q1.get_by_role("button", name="Try again").click()
    right = first.answer[0]
    q1.locator("label").nth(right).click()
    q1.get_by_role("button", name="Check answer").click()
    assert "Correct!" in q1.locator(".hk-feedback").inner_text()
    assert box.locator(".hk-score").inner_text() == "Score: 1 of 2"
    assert page.locator(".hk-summary").inner_text().startswith("1 of 22 questions right")
    assert visit.requests == [] and visit.errors == []

    # The score stays in this browser only: the index shows it, and can forget it.
    index = visit.context.new_page()
    index.goto((site / "index.html").as_uri())
    progress = index.locator("[data-progress='back-spasms']")
    assert progress.inner_text() == "Your progress: 1 right out of 1 answered."
    index.get_by_role("button", name="Forget my answers").click()
    assert progress.inner_text() == "Not started yet."
    assert visit.requests == []
    visit.context.close()


def test_a_whole_quiz_can_be_done_with_the_keyboard(site: Path, browser: Any) -> None:
    quiz, questions = _answers()
    visit = Visit(browser, (site / "back-spasms.html").as_uri())
    page = visit.ready()
    box = page.locator(f".hk-quiz[data-quiz='{quiz.id}']")
    for question in questions:
        fieldset = box.locator(f"fieldset[data-question='{question.id}']")
        fieldset.locator("input").first.focus()
        if question.kind == "multiple":  # checkboxes: Tab between them, Space toggles
            for i in range(len(question.choices)):
                if i in question.answer:
                    page.keyboard.press("Space")
                page.keyboard.press("Tab")
        else:  # a radio group: Space selects, arrow keys move the selection
            page.keyboard.press("Space")
            for _ in range(question.answer[0]):
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Check answer"
        page.keyboard.press("Enter")
        feedback = fieldset.locator(".hk-feedback")
        assert feedback.get_attribute("aria-live") == "polite"
        assert "Correct!" in feedback.inner_text()
    assert box.locator(".hk-score").inner_text() == f"Score: {len(questions)} of {len(questions)}"
    assert visit.requests == [] and visit.errors == []
    visit.context.close()


PAGES = sorted(p.stem + ".html" for p in CONTENT.glob("*.yaml")) + ["index.html"]


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(site: Path, browser: Any, name: str) -> None:
    visit = Visit(browser, (site / name).as_uri())
    page = visit.ready() if name != "index.html" else visit.page
    if name != "index.html":  # check the answered state too: feedback must pass contrast
        fieldset = page.locator("fieldset.hk-question").first
        fieldset.locator("label").first.click()
        fieldset.get_by_role("button", name="Check answer").click()
    results = Axe().run(page, options=WCAG)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in bad]
    assert visit.requests == []
    visit.context.close()


def test_print_hides_controls_and_answers(site: Path, browser: Any) -> None:
    visit = Visit(browser, (site / "back-spasms.html").as_uri())
    page = visit.ready()
    page.emulate_media(media="print")
    assert not page.locator(".hk-check").first.is_visible()
    assert not page.locator(".hk-nav").is_visible()
    text = page.locator("main").inner_text()
    assert "Correct!" not in text and "Answer key" not in text
    visit.context.close()


def test_hostile_content_shows_as_text_and_never_runs(tmp_path: Path, browser: Any) -> None:
    content = tmp_path / "content"
    content.mkdir()
    seed = load_condition(CONTENT / "back-spasms.yaml")
    home = seed.sections.home_remedies
    hostile_item = dataclasses.replace(home.items[0], name=HOSTILE_ANSWER)
    first = seed.quiz[0]
    hostile_option = dataclasses.replace(first.options[0], feedback=HOSTILE_ANSWER)
    hostile = dataclasses.replace(
        seed,
        title=HOSTILE_TITLE,
        sections=dataclasses.replace(seed.sections, home_remedies=dataclasses.replace(home, items=(hostile_item, *home.items[1:]))),
        quiz=(dataclasses.replace(first, options=(hostile_option, *first.options[1:])), *seed.quiz[1:]),
    )
    text = dumps_condition(hostile)
    (content / "back-spasms.yaml").write_text(text)
    out = tmp_path / "out"
    report = build(BuildOptions(content_dir=content, out_dir=out, template=TEMPLATE))
    assert report.ok, [r.error for r in report.results]
    html = (out / "site" / "back-spasms.html").read_text()
    assert "<script>window.__pwned" not in html and "<img src=x" not in html

    visit = Visit(browser, (out / "site" / "back-spasms.html").as_uri())
    page = visit.ready()
    assert page.locator("h1").inner_text() == HOSTILE_TITLE
    assert HOSTILE_ANSWER in page.locator("#section-home_remedies").inner_text()
    assert page.evaluate("window.__pwned") is None
    assert visit.requests == []  # the <img src=x> never loaded
    index = visit.context.new_page()
    index.goto((out / "site" / "index.html").as_uri())
    assert HOSTILE_TITLE in index.locator("main").inner_text()
    assert index.evaluate("window.__pwned") is None
    visit.context.close()


def test_pages_carry_a_strict_content_security_policy(site: Path) -> None:
    for page in site.glob("*.html"):
        html = page.read_text()
        csp = html.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
        assert "default-src 'none'" in csp
        assert "http" not in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        head = re.sub(r'<script type="application/ld\+json">.*?</script>', "", html.split("<main", 1)[0], flags=re.S)
        assert "https://" not in head  # nothing remote in the head (JSON-LD data blocks name sources, load nothing)
        assert not re.search(r'src="(https?:)?//|<link\b', html)  # and nothing remote anywhere is loaded


def test_markdown_cells_cannot_inject_markup() -> None:
    """A template author's Markdown cell holding raw HTML shows it as text in the page."""
    import nbformat

    from healthkit.exporters import export_lesson

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Hello <script>alert(1)</script> <img src=x onerror=alert(2)> **bold**")])
    page, _ = export_lesson(nb)
    main_part = page.split('<main id="main">', 1)[1].split("</main>", 1)[0]
    assert "<script>" not in main_part and "<img" not in main_part
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in main_part
    assert "<strong>bold</strong>" in main_part
