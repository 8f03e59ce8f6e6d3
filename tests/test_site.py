"""The offline site in headless Chromium, with every non-file request blocked and recorded."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any, Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from healthkit import load_condition
from healthkit.app.build import BuildOptions, build
from healthkit.content import dumps_condition
from healthkit.lesson import open_lesson

from .a11y import focus_ring, text_contrast
from .browser import chromium, save_screenshot
from .conftest import CONTENT, ROOT, SEED

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TEMPLATE = ROOT / "notebooks" / "lesson.ipynb"
#: A page's ceiling. The two triage questions (each sign paired with each place) and the
#: settled-answer and triage code in the widget took pages from 86-90 KB to 100-109 KB; the
#: ceiling moved from 100 KB to 112 KB with them. Making pages lean again is work of its own.
BUDGET = 112 * 1024
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]}}
HOSTILE_TITLE = "<script>window.__pwned = 1</script>Spasms"
HOSTILE_ANSWER = '<img src=x onerror="window.__pwned = 2">'


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real catalogue, built once in both editions."""
    out = tmp_path_factory.mktemp("site")
    report = build(BuildOptions(content_dir=CONTENT, out_dir=out, editions=("learner", "teacher"), template=TEMPLATE))
    assert report.ok, [r.error for r in report.results]
    return out


@pytest.fixture(scope="module")
def site(catalogue: Path) -> Path:
    return catalogue / "site"


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


def _lesson_total(condition: str = "back-spasms") -> int:
    return sum(len(q.questions) for q in open_lesson(condition, content_dir=CONTENT).all_quiz_models())


def test_lesson_page_makes_no_requests_and_answers_by_click(site: Path, browser: Any) -> None:
    quiz, (first, second) = _answers()
    visit = Visit(browser, (site / "back-spasms.html").as_uri(), viewport={"width": 1000, "height": 900})
    page = visit.ready()
    assert page.locator(".hk-quiz").count() == 9  # the triage check, seven sections, the final quiz
    box = page.locator(f".hk-quiz[data-quiz='{quiz.id}']")
    wrong = next(i for i, c in enumerate(first.choices) if not c.correct)
    q1 = box.locator(f"fieldset[data-question='{first.id}']")
    q1.locator("label").nth(wrong).click()
    q1.get_by_role("button", name="Check answer").click()
    feedback = q1.locator(".hk-feedback").inner_text()
    # A first wrong try teaches without telling: no explanation, no marked answer yet.
    assert "Not quite." in feedback and first.explanation not in feedback
    assert "Right answer" not in q1.inner_text()
    q2 = box.locator(f"fieldset[data-question='{second.id}']")
    q2.locator("label").nth(second.answer[0]).click()
    q2.get_by_role("button", name="Check answer").click()
    page.evaluate("document.getElementById('section-types').scrollIntoView()")
    page.mouse.move(0, 0)
    save_screenshot(page, "offline-lesson.png")
    # The pointer takes the learner to the section's heading.
    q1.get_by_role("link", name="the section on types").click()
    assert page.evaluate("document.activeElement.id") == "section-types-title"
    q1.get_by_role("button", name="Try again").click()
    q1.locator("label").nth(first.answer[0]).click()
    q1.get_by_role("button", name="Check answer").click()
    assert "Correct!" in q1.locator(".hk-feedback").inner_text()
    assert first.explanation in q1.locator(".hk-feedback").inner_text()
    # Only the question right on the first try counts.
    assert box.locator(".hk-score").inner_text() == "Score: 1 of 2 right first time"
    assert page.locator(".hk-summary").inner_text().startswith(f"1 of {_lesson_total()} questions right first time")
    assert visit.requests == [] and visit.errors == []

    # The score stays in this browser only: the index shows it, and can forget it.
    index = visit.context.new_page()
    index.goto((site / "index.html").as_uri())
    progress = index.locator("[data-progress='back-spasms']")
    assert progress.inner_text() == "Your progress: 1 of 2 answered questions right first time."
    index.get_by_role("button", name="Forget my answers").click()
    assert progress.inner_text() == "Not started yet."
    assert visit.requests == []
    visit.context.close()


def test_edited_storage_claiming_right_answers_earns_nothing(site: Path, browser: Any) -> None:
    """Local storage edited to say a wrong answer was right first time (and a full score):
    the lesson and the index grade the saved choice again against the lesson's own key."""
    import json

    from healthkit.registry import EDITIONS_SPEC

    store = EDITIONS_SPEC["learner"].progress_store
    quiz, (first, second) = _answers()
    wrong = next(i for i, c in enumerate(second.choices) if not c.correct)
    claim = {"correct": True, "attempts": 1, "first_try": True, "revealed": False}
    saved = {"back-spasms": {"quizzes": {quiz.id: {"score": 2, "total": 2, "responses": {
        first.id: {**claim, "selected": list(first.answer), "fit": first.fit},
        second.id: {**claim, "selected": [wrong], "fit": second.fit},  # wrong, yet said right
    }}}}}
    visit = Visit(browser, (site / "index.html").as_uri())
    page = visit.page
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [store, json.dumps(saved)])
    page.reload()
    expect(page.locator("[data-progress='back-spasms']")).to_have_text("Your progress: 1 of 2 answered questions right first time.")
    page.goto((site / "back-spasms.html").as_uri())
    box = page.locator(f".hk-quiz[data-quiz='{quiz.id}']")
    expect(box.locator(".hk-score")).to_have_text("Score: 1 of 2 right first time")
    expect(box.locator(f"fieldset[data-question='{second.id}']")).to_have_class(re.compile(r"\bhk-wrong\b"))
    assert visit.errors == []
    visit.context.close()


def test_the_index_counts_only_answers_that_fit_the_lessons(site: Path, browser: Any) -> None:
    """Saved answers to questions the lesson no longer shows, or whose options changed, are
    not progress; neither are answers kept under the previous storage key."""
    import json

    from healthkit.registry import EDITIONS_SPEC

    spec = EDITIONS_SPEC["learner"]
    quiz, (first, second) = _answers()
    right = {"selected": list(first.answer), "correct": True, "attempts": 1, "first_try": True, "revealed": False}
    saved = {"back-spasms": {"quizzes": {
        quiz.id: {"score": 3, "total": 2, "responses": {
            first.id: {**right, "fit": first.fit},
            second.id: {**right, "selected": [0], "fit": "0"},  # its options have changed since
            "gone-question": {**right, "fit": first.fit},
        }},
        "back-spasms-gone": {"score": 1, "total": 1, "responses": {first.id: {**right, "fit": first.fit}}},
    }}}
    visit = Visit(browser, (site / "index.html").as_uri())
    page = visit.page
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [spec.progress_store, json.dumps(saved)])
    for old in spec.retired_stores:
        page.evaluate("([key, value]) => localStorage.setItem(key, value)", [old, json.dumps(saved)])
    page.reload()
    expect(page.locator("[data-progress='back-spasms']")).to_have_text("Your progress: 1 of 1 answered questions right first time.")
    expect(page.locator("[data-progress='migraine']")).to_have_text("Not started yet.")
    page.get_by_role("button", name="Forget my answers").click()
    assert page.evaluate("(keys) => keys.map((k) => localStorage.getItem(k))", [spec.progress_store, *spec.retired_stores]) == [None] * (1 + len(spec.retired_stores))
    # The index runs no module code: its policy allows none; it speaks the lessons' English.
    csp = page.locator("meta[http-equiv='Content-Security-Policy']").get_attribute("content") or ""
    assert "blob:" not in csp and "'sha256-" in csp
    assert page.evaluate("document.documentElement.lang") == "en-GB"
    assert visit.requests == [] and visit.errors == []
    visit.context.close()


@pytest.mark.parametrize("kind", ["single", "multiple"])
def test_a_whole_quiz_can_be_done_with_the_keyboard(site: Path, browser: Any, kind: str) -> None:
    lesson = open_lesson("back-spasms", content_dir=CONTENT)
    quiz = next(q for q in lesson.all_quiz_models() if any(question.kind == kind for question in q.questions))
    questions = quiz.questions
    visit = Visit(browser, (site / "back-spasms.html").as_uri())
    page = visit.ready()
    box = page.locator(f".hk-quiz[data-quiz='{quiz.id}']")
    for question in questions:
        fieldset = box.locator(f"fieldset[data-question='{question.id}']")
        fieldset.locator("input").first.focus()
        if question.kind == "multiple":  # checkboxes: arrow keys move, Space toggles
            for i in range(len(question.choices)):
                if i:
                    page.keyboard.press("ArrowDown")
                if i in question.answer:
                    page.keyboard.press("Space")
            assert page.evaluate("document.activeElement.value") == str(len(question.choices) - 1)
            page.keyboard.press("Tab")
        else:  # a radio group: Space selects, arrow keys move the selection
            page.keyboard.press("Space")
            for _ in range(question.answer[0]):
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Check answer"
        assert focus_ring(page)["ratio"] >= 3
        page.keyboard.press("Enter")
        assert "Correct!" in fieldset.locator(".hk-feedback").inner_text()
    assert box.locator(".hk-score").inner_text() == f"Score: {len(questions)} of {len(questions)} right first time"
    assert visit.requests == [] and visit.errors == []
    visit.context.close()


def _answer_in_every_state(page: Any, quiz: Any) -> None:
    """First question: wrong, then shown; second: right; a later quiz: wrong."""
    first, second = quiz.questions[:2]
    box = page.locator(f".hk-quiz[data-quiz='{quiz.id}']")
    q1 = box.locator(f"fieldset[data-question='{first.id}']")
    q1.locator("label").nth(next(i for i, c in enumerate(first.choices) if not c.correct)).click()
    q1.get_by_role("button", name="Check answer").click()
    q1.get_by_role("button", name="Show answer").click()
    q2 = box.locator(f"fieldset[data-question='{second.id}']")
    q2.locator("label").nth(second.answer[0]).click()
    q2.get_by_role("button", name="Check answer").click()
    later = page.locator(".hk-quiz").nth(2).locator("fieldset").first
    later.locator("label").first.click()
    later.get_by_role("button", name="Check answer").click()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_and_focus_ring_has_enough_contrast(site: Path, browser: Any, scheme: str) -> None:
    quiz, _ = _answers()
    visit = Visit(browser, (site / "back-spasms.html").as_uri(), color_scheme=scheme)
    page = visit.ready()
    dark = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    assert dark == (scheme == "dark")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background != "rgb(255, 255, 255)") == dark  # the page follows the reader's scheme
    _answer_in_every_state(page, quiz)
    result = text_contrast(page, "body")
    assert result["measured"] > 200 and result["failures"] == []
    # Verdicts, the marked answer and the safety box are among the texts measured.
    assert page.locator(".hk-verdict").count() >= 3 and page.locator(".hk-mark:has-text('Right answer')").count() >= 1
    # Focus rings: the buttons, an option and a link, reached by keyboard.
    fieldset = page.locator(f".hk-quiz[data-quiz='{quiz.id}'] fieldset.hk-question").first
    for target in (fieldset.get_by_role("button", name="Try again"), fieldset.locator("input").first, fieldset.get_by_role("link")):
        target.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        ring = focus_ring(page)
        assert ring["ratio"] >= 3, ring
    # Legends sit inside their question's box instead of on its border.
    for box in page.locator("fieldset.hk-question").all()[:4]:
        legend, frame = box.locator("legend").bounding_box(), box.bounding_box()
        assert legend is not None and frame is not None and legend["y"] > frame["y"] + 1
    visit.context.close()


def test_final_quiz_and_score_are_not_under_the_flashcards(site: Path, browser: Any) -> None:
    visit = Visit(browser, (site / "back-spasms.html").as_uri())
    page = visit.ready()
    headings = page.evaluate("[...document.querySelectorAll('main h1, main h2, main h3')].map(h => [h.tagName, h.textContent])")
    at = {text: (i, tag) for i, (tag, text) in enumerate(headings)}
    cards, final, score = at["Flashcards"], at["Final quiz"], at["Your score for this lesson"]
    assert cards[0] < final[0] < score[0]
    assert final[1] == cards[1] == score[1] == "H2"
    visit.context.close()


PHONE = {"width": 375, "height": 812}


def _first_screen(page: Any) -> dict[str, float]:
    """Where the emergency tier's heading ends and its first warning sign's first line ends."""
    heading = page.locator(".hk-tier-emergency h3")
    expect(heading).to_be_visible()
    return dict(
        page.evaluate(
            """() => {
              const heading = document.querySelector('.hk-tier-emergency h3').getBoundingClientRect();
              const first = document.querySelector('.hk-tier-emergency li');
              const line = parseFloat(getComputedStyle(first).lineHeight);
              return {heading: heading.bottom, first_line: first.getBoundingClientRect().top + line, scrolled: scrollY};
            }"""
        )
    )


def test_the_emergency_tier_starts_on_a_phone_s_first_screen(catalogue: Path, browser: Any) -> None:
    """At 375×812, every lesson page of both editions shows the emergency tier's heading and
    the first line of its first warning sign without scrolling."""
    pages = sorted(p for folder in ("site", "teacher") for p in (catalogue / folder).glob("*.html") if p.name != "index.html")
    assert len(pages) == 2 * len(list(CONTENT.glob("*.yaml")))
    measured = {}
    for path in pages:
        visit = Visit(browser, path.as_uri(), viewport=PHONE)
        measured[f"{path.parent.name}/{path.name}"] = _first_screen(visit.ready())
        visit.context.close()
    assert all(m["scrolled"] == 0 for m in measured.values()), measured
    below = {name: m for name, m in measured.items() if max(m["heading"], m["first_line"]) > PHONE["height"]}
    assert below == {}, f"below the first screen ({PHONE['height']} px): {below}"


PAGES = sorted(p.stem + ".html" for p in CONTENT.glob("*.yaml")) + ["index.html"]


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(site: Path, browser: Any, name: str) -> None:
    visit = Visit(browser, (site / name).as_uri())
    page = visit.ready() if name != "index.html" else visit.page
    if name != "index.html":  # check the answered state too: feedback must pass contrast
        fieldset = page.locator("fieldset.hk-question:has(input)").first
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


@pytest.fixture(scope="module")
def both_editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("editions")
    (root / "content").mkdir()
    (root / "content" / "back-spasms.yaml").write_text(SEED.read_text())
    report = build(BuildOptions(content_dir=root / "content", out_dir=root / "out", editions=("learner", "teacher"), template=TEMPLATE))
    assert report.ok, [r.error for r in report.results]
    return root / "out"


def _answered(page: Any) -> int:
    """Questions on the page that show feedback."""
    return int(page.evaluate("[...document.querySelectorAll('.hk-feedback')].filter((f) => f.textContent.trim()).length"))


def _stored(page: Any, key: str) -> dict[str, Any]:
    return dict(page.evaluate(f"JSON.parse(localStorage.getItem({key!r}) || '{{}}')"))


def test_editions_keep_their_answers_apart_and_open_pages_honour_a_reset(both_editions: Path, browser: Any) -> None:
    from healthkit.registry import EDITIONS_SPEC

    learner_store, teacher_store = EDITIONS_SPEC["learner"].progress_store, EDITIONS_SPEC["teacher"].progress_store
    quiz = open_lesson("back-spasms", content_dir=both_editions.parent / "content").section_quiz_model("types")
    first, second = quiz.questions
    learner = Visit(browser, (both_editions / "site" / "back-spasms.html").as_uri())
    page = learner.ready()

    def check(on: Any, question: Any) -> None:
        box = on.locator(f"fieldset[data-question='{question.id}']").first
        box.locator("label").nth(question.answer[0]).click()
        box.get_by_role("button", name="Check answer").click()

    check(page, first)
    teacher = learner.context.new_page()
    teacher.goto((both_editions / "teacher" / "back-spasms.html").as_uri())
    teacher.wait_for_selector("html[data-hk-ready='true']")
    assert _answered(teacher) == 0  # the learner's answer is not in the teacher edition
    check(teacher, second)
    assert list(_stored(page, learner_store)["back-spasms"]["quizzes"][quiz.id]["responses"]) == [first.id]
    assert list(_stored(page, teacher_store)["back-spasms"]["quizzes"][quiz.id]["responses"]) == [second.id]
    page.reload()
    page.wait_for_selector("html[data-hk-ready='true']")
    assert _answered(page) == 1

    # "Forget my answers" on the index clears both editions, and the open lesson page follows.
    index = learner.context.new_page()
    index.goto((both_editions / "site" / "index.html").as_uri())
    index.get_by_role("button", name="Forget my answers").click()
    expect(page.locator(".hk-feedback:not(:empty)")).to_have_count(0)
    expect(teacher.locator(".hk-feedback:not(:empty)")).to_have_count(0)
    assert page.locator(f".hk-quiz[data-quiz='{quiz.id}'] .hk-score").inner_text() == "Score: 0 of 2 right first time"
    # The open page does not save its old answers back: a new answer is stored alone.
    check(page, second)
    assert list(_stored(page, learner_store)["back-spasms"]["quizzes"][quiz.id]["responses"]) == [second.id]
    # The index, open in another tab, follows too.
    expect(index.locator("[data-progress='back-spasms']")).to_have_text("Your progress: 1 of 1 answered questions right first time.")
    assert learner.requests == [] and learner.errors == []
    learner.context.close()
