"""Fuzzing: random structure, types, Unicode, control characters and markup in every field.

Properties, for content files and importer inputs:

* no traceback and no crash: only healthkit's own errors, or a result;
* every content error is positioned (line and column in the file);
* a command never writes outside the output it was given;
* every export parses (lxml for Moodle XML and QTI, pygiftparser for GIFT);
* pages never carry injected script: no <script> but healthkit's own, no event-handler
  attributes, no javascript: links.

Each property runs a bounded number of examples (see :mod:`tests.fuzzing`); set
``HEALTHKIT_FUZZ_EXAMPLES`` for a longer run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import os
import zipfile
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html
from pygiftparser import parser as gift_parser
from ruamel.yaml import YAML

from healthkit.cli import main
from healthkit.content import check_file, check_text, dumps_condition
from healthkit.errors import HealthkitError
from healthkit.exporters.index import IndexEntry, render_index
from healthkit.exporters.lms import QuestionBank, bank, dumps_gift, export
from healthkit.importer import ArticleError, import_article
from healthkit.lesson import render
from healthkit.model import SECTION_NAMES, Condition
from healthkit.quiz import final_quiz, flashcards
from healthkit.registry import REGIONS

from .conftest import ROOT, SEED
from .fuzzing import fuzz_examples
from .test_roundtrip import conditions

TEMPLATE = ROOT / "notebooks" / "lesson.ipynb"
SEED_TEXT = SEED.read_text(encoding="utf-8")
FUZZ = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])

# -- strategies ---------------------------------------------------------------------------------
MARKUP = [
    "<script>alert(1)</script>", "</script><script>alert(2)</script>", "<img src=x onerror=alert(3)>",
    '<a href="javascript:alert(4)">x</a>', "<svg onload=alert(5)>", "<!--", "]]>", "&amp;", "&#x3c;script&#x3e;",
    "{{7*7}}", "${x}", "{emergency_number}", "{unknown}", "%100%", "%-50%", "[markdown]", "[html]", "~", "=", "#",
    "{", "}", ":", "\\", "'", '"', "`", "*", "&", "!", "|", ">", "- ", "? ", "---", "...", "\u202e", "😀", "İ", "ß",
]
CONTROLS = ["\x00", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9b", "\u2028", "\u2029", "\ufeff", "\ufffe", "\U0010ffff", "\r", "\t", "\n"]

#: Anything at all, control characters included.
wild_text = st.lists(st.one_of(st.sampled_from(MARKUP + CONTROLS), st.text(max_size=8)), max_size=8).map("".join)
#: Text a valid content file can hold: markup and any Unicode, but no refused characters.
hostile_text = (
    st.lists(st.one_of(st.sampled_from([m for m in MARKUP if m not in ("{unknown}",)]), st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")), min_size=1, max_size=8)), min_size=1, max_size=6)
    .map(" ".join)
    .map(str.strip)
    .filter(lambda t: bool(t) and "{unknown}" not in t)
)


def _yaml_scalar(value: str) -> str:
    """A YAML double-quoted scalar for ``value`` (escapes included)."""
    out = io.StringIO()
    YAML(typ="safe", pure=True).dump(value, out)
    text = out.getvalue()
    return text[: -len("\n...\n")] if text.endswith("\n...\n") else text.rstrip("\n")


@st.composite
def mutated_seed(draw: st.DrawFn) -> str:
    """The seed file with some lines replaced, inserted, deleted or given random values."""
    lines = SEED_TEXT.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["value", "quoted", "insert", "delete", "indent"]))
        key, sep, _ = lines[i].partition(": ")
        if action == "value" and sep:
            lines[i] = f"{key}: {draw(wild_text)}"
        elif action == "quoted" and sep:
            lines[i] = f"{key}: {_yaml_scalar(draw(wild_text))}"
        elif action == "insert":
            lines.insert(i, draw(wild_text))
        elif action == "delete":
            del lines[i : i + draw(st.integers(1, 5))]
        elif action == "indent":
            lines[i] = " " * draw(st.integers(0, 5)) + lines[i].lstrip()
    return "\n".join(lines)


plain_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), wild_text, st.dates()),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.one_of(wild_text, st.integers()), inner, max_size=4)),
    max_leaves=20,
)


@st.composite
def random_documents(draw: st.DrawFn) -> str:
    """Well-formed YAML of any shape, sometimes with the seed's top-level keys."""
    data = draw(plain_values)
    if draw(st.booleans()):
        keys = ["id", "title", "sections", "quiz", "sources", "safety", "faq", "updated", "status", "reading_time_minutes"]
        data = {k: draw(plain_values) for k in draw(st.lists(st.sampled_from(keys), max_size=6, unique=True))}
    out = io.StringIO()
    try:
        YAML(typ="safe", pure=True).dump(data, out)
    except Exception:  # a value the emitter cannot write (e.g. a lone surrogate)
        assume(False)
    return out.getvalue()


content_texts = st.one_of(mutated_seed(), random_documents(), wild_text)


# -- content files: no crash, every error positioned ---------------------------------------------
def _positioned(diagnostics: Any) -> None:
    for d in diagnostics:
        assert d.line >= 1 and d.column >= 1, d.format()


@settings(max_examples=fuzz_examples(150), **FUZZ)
@given(text=content_texts)
def test_fuzz_check_text_gives_a_condition_or_positioned_errors(text: str) -> None:
    result = check_text(text, "back-spasms.yaml", today=dt.date(2026, 11, 27))
    if result.ok:
        assert result.condition is not None
    else:
        assert any(d.severity == "error" for d in result.diagnostics)
    _positioned(result.diagnostics)


@settings(max_examples=fuzz_examples(60), **FUZZ)
@given(data=st.one_of(st.binary(max_size=300), content_texts.map(lambda t: t.encode("utf-8", "surrogatepass")), content_texts.map(lambda t: t.encode("utf-16"))))
def test_fuzz_check_file_on_any_bytes(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("check") / "back-spasms.yaml"
    path.write_bytes(data)
    result = check_file(path)
    assert result.ok or any(d.severity == "error" for d in result.diagnostics)
    _positioned(result.diagnostics)


# -- commands never write outside their output -----------------------------------------------------
def _snapshot(root: Path, skip: Path) -> dict[str, str]:
    out = {}
    for path in sorted(root.rglob("*")):
        if path == skip or skip in path.parents:
            continue
        out[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
    return out


@settings(max_examples=fuzz_examples(25), **FUZZ)
@given(text=content_texts, fmt=st.sampled_from(["gift", "moodle-xml", "qti"]), name=st.sampled_from(["back-spasms", "x", "..", "a b", "ü"]))
def test_fuzz_commands_write_only_their_output(tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str], text: str, fmt: str, name: str) -> None:
    sandbox = tmp_path_factory.mktemp("sandbox")
    content = sandbox / "content"
    content.mkdir()
    (content / f"{name}.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    if name != "back-spasms":  # a valid neighbour, so some exports succeed
        (content / "back-spasms.yml").write_text(SEED_TEXT)
    out = sandbox / "out" / "quiz.out"
    before = _snapshot(sandbox, sandbox / "out")
    for argv in (["check", str(content)], ["export-quiz", "--format", fmt, "--content", str(content), "-o", str(out)], ["schema", "-o", str(out), "--force"]):
        status = main(argv)
        captured = capsys.readouterr()
        assert status in (0, 1), argv
        assert "Traceback" not in captured.err + captured.out
        assert _snapshot(sandbox, sandbox / "out") == before
    if (sandbox / "out").exists():
        assert [p.name for p in (sandbox / "out").iterdir()] == ["quiz.out"]


# -- exports always parse -----------------------------------------------------------------------------
def _hostile(condition: Condition, texts: Any) -> Condition:
    """``condition`` with wild text in its quiz (what exporters see)."""
    quiz = tuple(
        dataclasses.replace(
            q,
            prompt=texts.draw(wild_text) or q.prompt,
            explanation=texts.draw(wild_text) or q.explanation,
            options=tuple(dataclasses.replace(o, text=f"{texts.draw(wild_text)} {i}", feedback=texts.draw(wild_text) or "f") for i, o in enumerate(q.options)),
        )
        for q in condition.quiz
    )
    return dataclasses.replace(condition, title=texts.draw(wild_text) or "t", quiz=quiz)


@settings(max_examples=fuzz_examples(30), **FUZZ)
@given(condition=conditions(), texts=st.data(), fmt=st.sampled_from(["gift", "moodle-xml", "qti"]))
def test_fuzz_exports_always_parse(condition: Condition, texts: Any, fmt: str) -> None:
    hostile = _hostile(condition, texts)
    banks = [bank(hostile, region=texts.draw(st.sampled_from(["", *REGIONS])))]
    data = export(banks, fmt)
    expected = len(banks[0].questions)
    if fmt == "gift":
        from healthkit.exporters.lms import NOTICE_ITEM

        parsed = [q for q in gift_parser.parseFile(io.StringIO(dumps_gift(banks))) if q.title != NOTICE_ITEM]
        assert len(parsed) == expected
        for question, source in zip(parsed, banks[0].questions):
            assert question.valid and question.markup == "html"
            if source.kind == "triage":  # matching: one pair per sign, then the places no sign has
                spare = set(source.targets) - {source.choices[i].target for i in source.answer}
                assert len(question.answers.answers) == len(source.items) + len(spare)
                continue
            assert [a.fraction > 0 for a in question.answers.answers] == [c.correct for c in source.choices]
    elif fmt == "moodle-xml":
        root = etree.fromstring(data)
        assert len([q for q in root.findall("question") if q.get("type") != "category"]) == expected
    else:
        archive = zipfile.ZipFile(io.BytesIO(data))
        items = [i for name in archive.namelist() for i in etree.fromstring(archive.read(name)).iter("{*}item")]
        assert len(items) == expected


# -- pages never carry injected script ------------------------------------------------------------
def _no_injected_script(fragment: str, allowed_scripts: int = 0) -> None:
    doc = lxml_html.fragment_fromstring(fragment, create_parent="div") if fragment.strip() else None
    if doc is None:
        return
    scripts = doc.xpath("//script")
    assert len(scripts) <= allowed_scripts, [etree.tostring(s) for s in scripts]
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            assert not value.strip().lower().startswith("javascript:"), (element.tag, name, value)


def _with_text(condition: Condition, data: Any) -> Condition:
    """``condition`` with hostile text in its prose (sections, safety, sources, terms)."""
    sections = {
        name: dataclasses.replace(
            condition.sections.get(name),
            summary=data.draw(hostile_text),
            items=tuple(dataclasses.replace(i, name=data.draw(hostile_text), description=data.draw(hostile_text)) for i in condition.sections.get(name).items),
        )
        for name in SECTION_NAMES
    }
    return dataclasses.replace(
        condition,
        title=data.draw(hostile_text),
        tagline=data.draw(hostile_text),
        summary=data.draw(hostile_text),
        sections=type(condition.sections)(**sections),
        key_terms=MappingProxyType({data.draw(hostile_text): data.draw(hostile_text)}),
    )


@settings(max_examples=fuzz_examples(30), **FUZZ)
@given(condition=conditions(), data=st.data())
def test_fuzz_lesson_fragments_and_index_carry_no_script(condition: Condition, data: Any) -> None:
    condition = _with_text(condition, data)
    region = REGIONS[data.draw(st.sampled_from(list(REGIONS)))]
    quiz = final_quiz(condition, size=4)
    parts = [
        render.header(condition), render.objectives(condition, "teacher"), render.safety(condition, region),
        *(render.section(name, condition.sections.get(name), edition, condition) for name in SECTION_NAMES for edition in ("learner", "teacher")),
        render.quiz_fallback(quiz, "learner"), render.quiz_fallback(quiz, "teacher"), render.flashcards(flashcards(condition)),
        render.key_terms(condition), render.sources(condition), render.answer_sheet([quiz]),
    ]
    for part in parts:
        _no_injected_script(part)
    entry = IndexEntry(condition.id, condition.title, condition.tagline, f"{condition.id}.html", 3, 6.0, condition.updated, data.draw(hostile_text))
    page = lxml_html.fromstring(render_index([entry], title=data.draw(hostile_text)))
    plain = IndexEntry("plain", "Plain", "Plain.", "plain.html", 3, 6.0, condition.updated, "Plain.")
    expected = len(lxml_html.fromstring(render_index([plain], title="Plain")).xpath("//script"))  # healthkit's own
    assert len(page.xpath("//script")) == expected
    assert page.findtext(".//title") and "<" not in "".join(page.xpath("//title//*/text()"))
    _no_injected_script(lxml_html.tostring(page.body).decode(), allowed_scripts=expected)


@pytest.mark.slow
@settings(max_examples=fuzz_examples(2), **FUZZ)
@given(condition=conditions(), data=st.data())
def test_fuzz_built_pages_carry_no_injected_script_and_stay_in_out(tmp_path_factory: pytest.TempPathFactory, condition: Condition, data: Any) -> None:
    from healthkit.app.build import BuildOptions, build

    condition = dataclasses.replace(_with_text(condition, data), id="fuzzed", status="draft")
    text = dumps_condition(condition)
    assume(check_text(text, "fuzzed.yaml").ok)
    root = tmp_path_factory.mktemp("build")
    content = root / "content"
    content.mkdir()
    (content / "fuzzed.yaml").write_text(text, encoding="utf-8")
    before = _snapshot(root, root / "out")
    report = build(BuildOptions(content_dir=content, out_dir=root / "out", template=TEMPLATE, jobs=1))
    assert report.ok, [r.error for r in report.results]
    assert _snapshot(root, root / "out") == before
    for page_path in (root / "out" / "site").glob("*.html"):
        page = lxml_html.fromstring(page_path.read_bytes())
        scripts = page.xpath("//script")
        executable = [s.get("type") for s in scripts if s.get("type") not in ("application/json", "application/ld+json")]
        assert executable == ["module"], page_path  # healthkit's runtime; the rest are data blocks
        _no_injected_script(lxml_html.tostring(page.body).decode(), allowed_scripts=len(scripts))


# -- importer inputs ----------------------------------------------------------------------------------
TAGS = ["<p>", "</p>", "<h2>", "</h2>", "<li>", "<ol>", "</ol>", "<script>", "</script>", "<article>", "<br>", "<div>", "&#133;", "&nbsp;", "&#x2028;"]
article_lines = st.one_of(
    st.sampled_from(["Causes of Eczema", "Symptoms", "1. Name: a description.", "2) Other: more text.", "Q&A", "1. Is it catching? No.", "Conclusion", "Introduction", "7 min read", 'Tagline: "x"', "on March 3, 2024"]),
    wild_text,
    st.lists(st.sampled_from(TAGS + MARKUP), max_size=5).map("".join),
)


@settings(max_examples=fuzz_examples(60), **FUZZ)
@given(lines=st.lists(article_lines, max_size=25), suffix=st.sampled_from([".txt", ".md", ".html", ""]), title=st.booleans())
def test_fuzz_importer_gives_a_valid_draft_or_a_clear_error(tmp_path_factory: pytest.TempPathFactory, lines: list[str], suffix: str, title: bool) -> None:
    head = ["Eczema – types, causes, symptoms, diagnosis, prevention, treatments, and Home Remedies"] if title else []
    path = tmp_path_factory.mktemp("article") / f"article{suffix}"
    path.write_text("\n\n".join(head + lines), encoding="utf-8", errors="surrogatepass")
    try:
        condition, _, text = import_article(path, today=dt.date(2026, 11, 27))
    except ArticleError:
        return
    result = check_text(text, f"{condition.id}.yaml", today=dt.date(2026, 11, 27))
    assert result.ok, [d.format() for d in result.diagnostics if d.severity == "error"]


#: A property as the fuzz tests write them; prints the examples it was given.
PROPERTY = """
from hypothesis import given, settings, strategies as st
from tests.fuzzing import fuzz_examples
seen = []
@settings(max_examples=fuzz_examples(30))
@given(st.text())
def prop(text):
    seen.append(text)
prop()
print(repr(seen))
"""


def _examples(**env: str) -> list[str]:
    import ast
    import subprocess
    import sys

    clean = {k: v for k, v in os.environ.items() if not k.startswith("HEALTHKIT_FUZZ")}
    done = subprocess.run([sys.executable, "-c", PROPERTY], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    seen: list[str] = ast.literal_eval(done.stdout.strip())
    return seen


def test_fuzz_examples_are_reproducible_and_their_number_set_by_the_environment() -> None:
    default, again = _examples(), _examples()
    assert default == again, "the same examples on every run, so a failure can be reproduced"
    assert 1 < len(set(default)) and len(default) <= 30
    more = _examples(HEALTHKIT_FUZZ_EXAMPLES="60")
    assert 30 < len(more) <= 60
    assert _examples(HEALTHKIT_FUZZ_RANDOM="1") != _examples(HEALTHKIT_FUZZ_RANDOM="1"), "new examples when asked to explore"
