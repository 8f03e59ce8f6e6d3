"""LMS exports read back by independent parsers, with nothing lost."""

from __future__ import annotations

import dataclasses
import html
import io
import re
import zipfile
from typing import Any
from pathlib import Path

import pytest
from lxml import etree
from pygiftparser import parser as gift_parser

from healthkit import HealthkitError, load_catalog, load_condition
from healthkit.cli import main
from healthkit.exporters.lms import QTI_NS, QuestionBank, bank, dumps_gift, dumps_moodle_xml, qti_zip
from healthkit.quiz import lesson_questions
from healthkit.quiz.model import Choice, Question

from .conftest import CONTENT, SEED

# Every GIFT special character, and XML/HTML ones. (pygiftparser ends an answer block at the
# first "}" even when escaped, so a closing brace is only put where it can read it back: the
# prompt. test_gift_escapes_every_special_character covers the rest.)
HOSTILE = Question(
    id="special-chars",
    kind="single",
    prompt="Is {2:1} = 2? Use ~ or # for <b>notes</b> & \\ slashes",
    choices=(Choice("Yes = true {really", True, "Right: 2#1 ~ ok"), Choice("No: never", False, "Wrong {sorry")),
    explanation="Because = and : are special in GIFT & <i>XML</i>.",
    section="types",
)


def test_gift_escapes_every_special_character() -> None:
    from healthkit.exporters.lms import gift_escape

    assert gift_escape("a~b=c#d{e}f:g\\h\nline") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\nline"


def _banks() -> list[QuestionBank]:
    seed = load_condition(SEED)
    banks = [bank(c) for c in load_catalog(CONTENT)]
    return banks + [QuestionBank(dataclasses.replace(seed, id="hostile", title="Hostile"), (HOSTILE,))]


def _gift_unescape(text: str) -> str:
    """What Moodle shows for a GIFT text healthkit wrote: GIFT escapes, then HTML entities."""
    return html.unescape(re.sub(r"\\([~=#{}:\\])", r"\1", text).replace("\\n", "\n"))


def _gift_questions(text: str) -> list[Any]:
    """The questions of a GIFT export as pygiftparser reads them, without the description
    item that opens each category (the review notice)."""
    from healthkit.exporters.lms import NOTICE_ITEM

    parsed = gift_parser.parseFile(io.StringIO(text))
    notices = [q for q in parsed if q.title == NOTICE_ITEM]
    assert notices and all(type(q.answers).__name__ == "Description" for q in notices)
    return [q for q in parsed if q.title != NOTICE_ITEM]


def test_gift_reads_back_in_pygiftparser() -> None:
    banks = _banks()
    parsed = _gift_questions(dumps_gift(banks))
    expected = [q for b in banks for q in b.questions]
    assert len(parsed) == len(expected)
    for source, got in zip(expected, parsed):
        assert got.valid, got.source
        assert _gift_unescape(got.title) == source.id
        assert _gift_unescape(got.text) == source.prompt
        answers = got.answers.answers
        if source.kind == "triage":  # a matching question: each sign with its place, then the spare places
            assert type(got.answers).__name__ == "MatchingSet"
            right = {source.choices[i].item: source.choices[i].target for i in source.answer}
            pairs = [(_gift_unescape(a.question).strip(), _gift_unescape(a.answer).strip()) for a in answers]
            spare = [t for t in source.targets if t not in right.values()]
            assert pairs == [*right.items(), *(("", t) for t in spare)]
            assert _gift_unescape(got.generalFeedback) == source.explanation
            continue
        assert [_gift_unescape(a.answer) for a in answers] == [c.text for c in source.choices]
        assert [a.fraction > 0 for a in answers] == [c.correct for c in source.choices]
        assert [_gift_unescape(a.feedback) for a in answers] == [c.feedback for c in source.choices]
        assert _gift_unescape(got.generalFeedback) == source.explanation
    categories = {q.cat for q in parsed}
    assert "$course$/healthkit/back_spasms" in categories and len(categories) == len(banks)


# Texts that other systems would read as instructions: a weight, a format switch, markup.
INJECTIONS = Question(
    id="injections",
    kind="single",
    prompt="[markdown]**Which** <script>alert(1)</script> is right?",
    choices=(
        Choice("%100%Rest for weeks", False, "[plain]No: <b>keep moving</b>."),
        Choice("  %50% Keep gently active", True, "%100% right"),
        Choice("[html]<img src=x onerror=alert(1)>", False, "<i>no</i>"),
    ),
    explanation="[moodle]Moving <em>helps</em> & heals.",
    section="treatments",
)
MULTI_INJECTION = Question(
    id="multi-injection",
    kind="multiple",
    prompt="Pick the right ones",
    choices=(Choice("%100%Wrong one", False, "no"), Choice("Right one", True, "yes"), Choice("Also right", True, "yes")),
    explanation="Two are right.",
    section="treatments",
)


def test_gift_text_cannot_change_weights_format_or_markup() -> None:
    seed = load_condition(SEED)
    gift = dumps_gift([QuestionBank(seed, (INJECTIONS, MULTI_INJECTION))])
    first, second = _gift_questions(gift)
    assert first.valid and second.valid
    assert first.markup == "html" and _gift_unescape(first.text) == INJECTIONS.prompt
    assert "<script" not in first.text and "<img" not in gift and "<b>" not in gift
    for source, got in ((INJECTIONS, first), (MULTI_INJECTION, second)):
        answers = got.answers.answers
        assert [a.fraction > 0 for a in answers] == [c.correct for c in source.choices]
        assert [_gift_unescape(a.answer) for a in answers] == [c.text.strip() for c in source.choices]
        assert [_gift_unescape(a.feedback) for a in answers] == [c.feedback for c in source.choices]
    assert _gift_unescape(first.generalFeedback) == INJECTIONS.explanation


XML_HOSTILE = Question(
    id="control-chars",
    kind="single",
    prompt="Tab\tvertical\vnull\x00escape\x1bbell\x07 and \ufffe end",
    choices=(Choice("Yes\x00", True, "ok\x0b"), Choice("No", False, "\x1b[31mred")),
    explanation="Fine\x07.",
    section="types",
)


@pytest.mark.parametrize("fmt", ["gift", "moodle-xml", "qti"])
def test_exports_of_control_characters_always_parse(fmt: str) -> None:
    from healthkit.exporters.lms import export

    data = export([QuestionBank(load_condition(SEED), (XML_HOSTILE,))], fmt)
    if fmt == "moodle-xml":
        text = etree.fromstring(data).findtext("question[@type='multichoice']/questiontext/text")
        assert "Tab\tvertical" in html.unescape(text) and "\x00" not in text
    elif fmt == "qti":
        archive = zipfile.ZipFile(io.BytesIO(data))
        for name in archive.namelist():
            etree.fromstring(archive.read(name))
    else:
        (question,) = _gift_questions(data.decode())
        assert question.valid and "\x00" not in question.text


@pytest.mark.parametrize("fmt", ["gift", "moodle-xml", "qti"])
def test_cli_export_of_a_file_with_control_characters_is_a_positioned_error(
    tmp_path: Path, seed_text: str, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    text = seed_text.replace("title: Back spasms", 'title: "Back\\vspasms\\0"', 1)
    (content / "back-spasms.yaml").write_text(text)
    out = tmp_path / "quiz.out"
    assert main(["export-quiz", "--format", fmt, "-o", str(out), "--content", str(content)]) == 1
    err = capsys.readouterr().err
    line = text[: text.index("title: ")].count("\n") + 1
    assert f"back-spasms.yaml:{line}:8: error: U+000B" in err and "Traceback" not in err
    assert not out.exists()


def test_moodle_xml_reads_back_with_lxml() -> None:
    banks = _banks()
    root = etree.fromstring(dumps_moodle_xml(banks).encode())
    questions = [q for q in root.findall("question") if q.get("type") != "category"]
    expected = [q for b in banks for q in b.questions]
    assert len(questions) == len(expected)
    assert len(root.findall("question[@type='category']")) == len(banks)
    for source, node in zip(expected, questions):
        assert node.findtext("name/text") == source.id
        assert html.unescape(node.findtext("questiontext/text")) == f"<p>{source.prompt}</p>"
        assert html.unescape(node.findtext("generalfeedback/text")) == f"<p>{source.explanation}</p>"
        if source.kind == "triage":  # Moodle's matching: a subquestion per sign, empty ones for spare places
            assert node.get("type") == "matching"
            right = {source.choices[i].item: source.choices[i].target for i in source.answer}
            subs = [(html.unescape(sq.findtext("text") or ""), sq.findtext("answer/text")) for sq in node.findall("subquestion")]
            spare = [t for t in source.targets if t not in right.values()]
            assert subs == [*((f"<p>{k}</p>", v) for k, v in right.items()), *(("", t) for t in spare)]
            continue
        answers = node.findall("answer")
        assert len(answers) == len(source.choices)
        for answer, choice in zip(answers, source.choices):
            text = answer.findtext("text")
            assert (text == choice.text.lower()) if node.get("type") == "truefalse" else html.unescape(text) == choice.text
            assert (float(answer.get("fraction")) > 0) == choice.correct
            assert html.unescape(answer.findtext("feedback/text")) == choice.feedback
        if source.kind == "multiple":
            assert node.findtext("single") == "false"
            assert abs(sum(float(a.get("fraction")) for a in answers if float(a.get("fraction")) > 0) - 100) < 0.01


def test_qti_zip_has_a_manifest_and_reads_back() -> None:
    banks = _banks()
    archive = zipfile.ZipFile(io.BytesIO(qti_zip(banks)))
    manifest = etree.fromstring(archive.read("imsmanifest.xml"))
    hrefs = [f.get("href") for f in manifest.iter("{*}file")]
    assert len(hrefs) == len(banks) and all(h in archive.namelist() for h in hrefs)
    ns = {"q": QTI_NS}
    for b, href in zip(banks, hrefs):
        root = etree.fromstring(archive.read(href))
        items = root.findall(".//q:item", ns)
        assert len(items) == len(b.questions)
        for source, item in zip(b.questions, items):
            if source.kind == "triage":  # Canvas's matching: one response per sign, every place offered
                meta = {f.findtext("q:fieldlabel", namespaces=ns): f.findtext("q:fieldentry", namespaces=ns) for f in item.iter(f"{{{QTI_NS}}}qtimetadatafield")}
                assert meta["question_type"] == "matching_question"
                responses = item.findall(".//q:response_lid", ns)
                right = {source.choices[i].item: source.choices[i].target for i in source.answer}
                assert [r.findtext("q:material/q:mattext", namespaces=ns) for r in responses] == list(right)
                for response, place in zip(responses, right.values()):
                    labels = {l.findtext("q:material/q:mattext", namespaces=ns): l.get("ident") for l in response.findall(".//q:response_label", ns)}
                    assert list(labels) == list(source.targets)
                    (scored,) = [r for r in item.findall(".//q:respcondition", ns) if r.find("q:conditionvar/q:varequal", ns).get("respident") == response.get("ident")]
                    assert scored.findtext("q:conditionvar/q:varequal", namespaces=ns) == labels[place]
                continue
            labels = item.findall(".//q:response_label", ns)
            assert [l.findtext("q:material/q:mattext", namespaces=ns) for l in labels] == [c.text for c in source.choices]
            scoring = [r for r in item.findall(".//q:respcondition", ns) if r.find("q:setvar", ns) is not None][0]
            if source.kind == "multiple":
                right = {v.text for v in scoring.findall("q:conditionvar/q:and/q:varequal", ns)}
            else:
                right = {v.text for v in scoring.findall("q:conditionvar/q:varequal", ns)}
            assert right == {labels[i].get("ident") for i in source.answer}
            feedback = {f.get("ident"): html.unescape(f.findtext(".//q:mattext", namespaces=ns)) for f in item.findall("q:itemfeedback", ns)}
            assert feedback["general_fb"] == source.explanation
            assert [feedback[f"{l.get('ident')}_fb"] for l in labels] == [c.feedback for c in source.choices]


@pytest.mark.parametrize(("fmt", "name"), [("gift", "q.gift"), ("moodle-xml", "q.xml"), ("qti", "q.zip")])
def test_cli_exports_one_or_all_conditions(tmp_path: Path, fmt: str, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    one = tmp_path / f"one-{name}"
    assert main(["export-quiz", "back-spasms", "--format", fmt, "-o", str(one), "--content", str(CONTENT)]) == 0
    every = tmp_path / f"all-{name}"
    assert main(["export-quiz", "--format", fmt, "-o", str(every), "--content", str(CONTENT)]) == 0
    assert every.stat().st_size > one.stat().st_size
    assert main(["export-quiz", "nope", "--format", fmt, "-o", str(tmp_path / f"nope-{name}"), "--content", str(CONTENT)]) == 1
    assert "valid conditions: back-spasms" in capsys.readouterr().err


@pytest.mark.slow
def test_workshop_folder_has_everything(tmp_path: Path) -> None:
    out = tmp_path / "workshop"
    assert main(["workshop", "back-spasms", "-o", str(out), "--content", str(CONTENT), "--zip", "-j", "1", "--region", "au"]) == 0
    for rel in ("lessons/back-spasms.ipynb", "teacher/back-spasms.ipynb", "teacher/back-spasms.html", "site/index.html",
                "site/back-spasms.html", "quizzes/quizzes.gift", "quizzes/quizzes-moodle.xml", "quizzes/quizzes-qti.zip",
                "environment.yml", "requirements.txt", "README.md", "content/back-spasms.yaml"):
        assert (out / rel).is_file(), rel
    readme = (out / "README.md").read_text()
    assert "Binder" in readme and "JupyterHub" in readme and "Run All Cells" in readme
    nb = (out / "lessons" / "back-spasms.ipynb").read_text()
    assert '\\"../content\\"' in nb or '"../content"' in nb  # the pack's own content, relative
    names = zipfile.ZipFile(tmp_path / "workshop.zip").namelist()
    assert "workshop/teacher/back-spasms.ipynb" in names
    # --region names Australia's services in the lessons, the pages and the quiz exports alike.
    for rel in ("lessons/back-spasms.ipynb", "site/back-spasms.html", "teacher/back-spasms.html", "quizzes/quizzes.gift"):
        text = (out / rel).read_text()
        assert "Call 000" in text and "Call 999" not in text, rel


def test_every_registered_format_exports(tmp_path: Path) -> None:
    from healthkit.exporters import lms
    from healthkit.registry import QUIZ_FORMATS

    banks = [lms.bank(load_condition(SEED))]
    for name in QUIZ_FORMATS:
        assert lms.export(banks, name), name
    with pytest.raises(HealthkitError):
        lms.export(banks, "docx")


def test_platforms_keep_the_order_the_lessons_show() -> None:
    """Options are exported in the lesson's display order (not as written), and Moodle XML
    and QTI say not to shuffle them."""
    condition = load_condition(SEED)
    b = bank(condition)
    shown = {q.id: [c.text for c in q.choices] for q in lesson_questions(condition)}
    written = {q.id: [o.text for o in q.options] for q in condition.quiz}
    assert any(shown[qid] != texts for qid, texts in written.items())  # the order is not the written one
    root = etree.fromstring(dumps_moodle_xml([b]).encode())
    multichoice = root.findall("question[@type='multichoice']")
    assert multichoice and all(node.findtext("shuffleanswers") == "false" for node in multichoice)
    for node in multichoice:
        assert [html.unescape(a.findtext("text") or "") for a in node.findall("answer")] == shown[node.findtext("name/text")]
    archive = zipfile.ZipFile(io.BytesIO(qti_zip([b])))
    item_root = etree.fromstring(archive.read(f"{b.condition.id}/{b.condition.id}.xml"))
    choosing = [q for q in b.questions if q.kind != "triage"]  # a matching question has no option order
    items = [i for i in item_root.iter("{%s}item" % QTI_NS) if i.get("title") in {q.id for q in choosing}]
    renders = [i.find(".//{%s}render_choice" % QTI_NS) for i in items]
    assert len(renders) == len(choosing) and all(r.get("shuffle") == "No" for r in renders)
    for item, render in zip(items, renders):
        labels = [m.text for m in render.iter("{%s}mattext" % QTI_NS)]
        assert labels == shown[item.get("title")]
    gift = [q for q in _gift_questions(dumps_gift([b])) if type(q.answers).__name__ != "MatchingSet"]
    assert [[_gift_unescape(a.answer) for a in q.answers.answers] for q in gift] == [shown[q.id] for q in choosing]


def test_every_export_says_the_lesson_is_not_yet_reviewed() -> None:
    """Whoever imports the questions learns what the lessons say about their review."""
    from healthkit.lesson.render import PENDING_NOTICE

    b = bank(load_condition(SEED))
    assert b.condition.clinical_review.status == "pending"
    gift = dumps_gift([b])
    category = gift.index("$CATEGORY: $course$/healthkit/back_spasms")
    assert PENDING_NOTICE in gift[category : gift.index("::", category)]
    # ... and as a description item, which Moodle shows in the question bank (a comment it drops).
    (notice,) = [q for q in gift_parser.parseFile(io.StringIO(gift)) if type(q.answers).__name__ == "Description"]
    assert PENDING_NOTICE in _gift_unescape(html.unescape(notice.text))
    root = etree.fromstring(dumps_moodle_xml([b]).encode())
    (info,) = root.findall("question[@type='category']/info/text")
    assert PENDING_NOTICE in html.unescape(info.text or "")
    archive = zipfile.ZipFile(io.BytesIO(qti_zip([b])))
    assessment = etree.fromstring(archive.read("back-spasms/back-spasms.xml")).find("{%s}assessment" % QTI_NS)
    assert assessment is not None
    rubric = assessment.find("{%s}rubric" % QTI_NS)
    assert rubric is not None and PENDING_NOTICE in html.unescape("".join(rubric.itertext()))


def test_true_false_goes_to_moodle_as_true_false_and_its_kind_decides_each_format() -> None:
    from healthkit.registry import QUIZ_KINDS

    b = bank(load_condition(SEED))
    root = etree.fromstring(dumps_moodle_xml([b]).encode())
    types = {node.findtext("name/text"): node.get("type") for node in root.findall("question") if node.get("type") != "category"}
    assert {types[q.id] for q in b.questions if q.kind == "true_false"} == {QUIZ_KINDS["true_false"].moodle}
    archive = zipfile.ZipFile(io.BytesIO(qti_zip([b])))
    item_root = etree.fromstring(archive.read("back-spasms/back-spasms.xml"))
    for item, q in zip(item_root.iter("{%s}item" % QTI_NS), b.questions):
        fields = {f.findtext("{%s}fieldlabel" % QTI_NS): f.findtext("{%s}fieldentry" % QTI_NS) for f in item.iter("{%s}qtimetadatafield" % QTI_NS)}
        assert fields["question_type"] == QUIZ_KINDS[q.kind].qti
