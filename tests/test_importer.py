"""`healthkit import` on article fixtures written in the magazine's format."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from healthkit.cli import main
from healthkit.content import check_text
from healthkit.importer import ArticleError, import_article
from healthkit.model import SECTION_NAMES

from .fuzzing import fuzz_examples

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
UPDATE = os.environ.get("HEALTHKIT_UPDATE_GOLDEN") == "1"
#: Drafts record the day they were made; the golden files were made on this one.
DAY = dt.date(2026, 11, 27)

# What an editor should get from each article: items per section (0 = placeholder) and Q&A.
EXPECTED = {
    "sinusitis.txt": ({"types": 2, "causes": 5, "symptoms": 3, "diagnosis": 2, "prevention": 3, "treatments": 3, "home_remedies": 3}, 4),
    "heartburn.html": ({"types": 2, "causes": 3, "symptoms": 2, "diagnosis": 2, "prevention": 3, "treatments": 2, "home_remedies": 2}, 2),
    "eczema.md": ({"types": 3, "causes": 3, "symptoms": 2, "diagnosis": 2, "prevention": 0, "treatments": 2, "home_remedies": 2}, 0),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_import_gives_a_valid_draft_with_the_right_items(name: str) -> None:
    condition, report, text = import_article(FIXTURES / name, today=DAY)
    counts, faq = EXPECTED[name]
    assert report.items == counts
    assert len(condition.faq) == faq == report.faq
    assert condition.status == "draft"
    assert condition.sources[0].publisher == "The Women's Health Magazine"
    result = check_text(text, f"{condition.id}.yaml")
    assert result.ok, [d.format() for d in result.diagnostics if d.severity == "error"]
    assert any("draft" in d.message for d in result.diagnostics if d.severity == "warning")
    for section in SECTION_NAMES:
        assert condition.sections.get(section).items
    golden = FIXTURES / f"{Path(name).stem}.expected.yaml"
    if UPDATE:
        golden.write_text(text)
    assert text == golden.read_text(), f"draft differs from {golden.name}; rerun with HEALTHKIT_UPDATE_GOLDEN=1 if intended"


def test_messy_plain_text_is_cleaned() -> None:
    raw = (FIXTURES / "sinusitis.txt").read_bytes()
    assert b"\r\n" in raw and "“".encode() in raw  # the fixture really is messy
    condition, report, _ = import_article(FIXTURES / "sinusitis.txt")
    assert condition.title == "Sinusitis"
    assert condition.tagline == "Breathe Easier When Your Sinuses Act Up"
    assert str(condition.sources[0].published) == "2024-06-04"
    assert condition.reading_time_minutes == 5
    assert report.merged == 1  # "Colds" appears in two Causes blocks
    names = [i.name for i in condition.sections.causes.items]
    assert names == ["Colds", "Allergies", "Nasal polyps", "Smoking", "Dental infections"]
    assert [i.name for i in condition.sections.types.items] == ["Acute", "Chronic"]


def test_html_page_keeps_only_the_article() -> None:
    condition, _, text = import_article(FIXTURES / "heartburn.html")
    for noise in ("track(", "dataLayer", "Popular", "Ten tips", "Subscribe", "Conditions", "font-family", "0 Comments"):
        assert noise not in text
    assert condition.title == "Heartburn"
    assert [f.section for f in condition.faq] == ["types", "prevention"]
    assert [i.name for i in condition.sections.home_remedies.items] == ["Raise the head of the bed", "Chew gum"]


def test_what_cannot_be_placed_is_kept_as_comments() -> None:
    _, report, text = import_article(FIXTURES / "eczema.md")
    assert "Living With Eczema" in report.unplaced
    tail = text.split("# ---- For the editor", 1)[1]
    assert "#   Many people find that keeping a diary of flare-ups" in tail
    assert any("Prevention: no items found" in line for line in report.lines())


def test_not_an_article_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ArticleError, match="does not look like a condition article"):
        import_article(FIXTURES / "lemon-cake.txt")
    assert main(["import", str(FIXTURES / "lemon-cake.txt"), "-o", str(tmp_path / "x.yaml")]) == 1
    err = capsys.readouterr().err
    assert "lemon-cake.txt does not look like a condition article" in err and "Traceback" not in err
    assert not (tmp_path / "x.yaml").exists()


def test_what_is_not_an_article_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # reading it would wait for a writer for ever
    for path, said in ((tmp_path, " is a folder"), (fifo, " is not a regular file"), (tmp_path / "nope.txt", ": no such file")):
        capsys.readouterr()
        assert main(["import", str(path)]) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"healthkit: error: {path}{said}") and err.count("\n") == 1, err


def test_cli_writes_the_draft_and_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sinus.yaml"
    assert main(["import", str(FIXTURES / "sinusitis.txt"), "-o", str(out)]) == 0
    assert "id: sinus\n" in out.read_text()  # the id follows the file name
    assert main(["check", str(out)]) == 0
    assert main(["import", str(FIXTURES / "sinusitis.txt"), "-o", str(out)]) == 1
    assert "pass --force" in capsys.readouterr().err
    assert main(["import", str(FIXTURES / "sinusitis.txt"), "-o", str(out), "--force"]) == 0


@pytest.mark.slow
def test_an_imported_draft_builds_into_a_lesson(tmp_path: Path) -> None:
    from healthkit.app.build import BuildOptions, build

    from .conftest import ROOT

    content = tmp_path / "content"
    content.mkdir()
    _, _, text = import_article(FIXTURES / "heartburn.html", condition_id="heartburn")
    (content / "heartburn.yaml").write_text(text)
    report = build(BuildOptions(content_dir=content, out_dir=tmp_path / "out", template=ROOT / "notebooks" / "lesson.ipynb", jobs=1))
    assert report.ok, [r.error for r in report.results]
    page = (tmp_path / "out" / "site" / "heartburn.html").read_text()
    assert "This draft does not list warning signs yet" in page
    assert "This lesson is a draft and has not been reviewed" in page


# -- hostile articles ---------------------------------------------------------------------------
def _keys(value: object, prefix: str = "") -> set[str]:
    """Every key path in plain YAML data (list positions written as [])."""
    if isinstance(value, dict):
        return {p for k, v in value.items() for p in {f"{prefix}.{k}", *_keys(v, f"{prefix}.{k}")}}
    if isinstance(value, list):
        return {p for v in value for p in _keys(v, prefix + "[]")}
    return set()


def _draft_keys(text: str) -> set[str]:
    import io

    from ruamel.yaml import YAML

    return _keys(YAML(typ="safe", pure=True).load(io.StringIO(text)))


def _written_keys(condition: object) -> set[str]:
    from healthkit.content.convert import to_data

    return _keys(to_data(condition))


BREAKS = ["\x85", "\u2028", "\u2029", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"]


@pytest.mark.parametrize("separator", BREAKS)
def test_line_separators_in_prose_never_become_keys(tmp_path: Path, separator: str) -> None:
    article = (FIXTURES / "eczema.md").read_text()
    smuggled = f"You may feel tired.{separator}reviewed_by: Mallory{separator}status: published{separator}- id: evil"
    article = article.replace("helps them understand their skin.", "helps them understand their skin. " + smuggled)
    article = article.replace("It often starts in childhood.", "It often starts in childhood. " + smuggled)
    article = article.replace("Diagnosis of eczema involves", smuggled + " Diagnosis of eczema involves")
    path = tmp_path / "eczema.md"
    path.write_text(article, encoding="utf-8")
    condition, _, text = import_article(path, today=DAY)
    assert "Mallory" in text  # kept for the editor, as a comment
    assert _draft_keys(text) == _written_keys(condition)
    result = check_text(text, "eczema.yaml", today=DAY)
    assert result.ok, [d.format() for d in result.diagnostics if d.severity == "error"]
    assert result.condition is not None and result.condition.status == "draft"


def test_an_oversized_article_is_refused_before_it_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from healthkit.importer import MAX_ARTICLE_BYTES

    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.write((FIXTURES / "sinusitis.txt").read_bytes())
        handle.seek(MAX_ARTICLE_BYTES)
        handle.write(b"\n")
    with pytest.raises(ArticleError, match="over the .* limit"):
        import_article(path)
    assert main(["import", str(path), "-o", str(tmp_path / "x.yaml")]) == 1
    assert "limit" in capsys.readouterr().err
    assert not (tmp_path / "x.yaml").exists()


# Paragraph text a hostile or careless article may hold: YAML syntax, comment markers, line
# separators of every kind, control characters, markup.
_hostile_chars = st.sampled_from(list("#:-{}[]&*!|>'\"%@`?,\\ \t\n") + BREAKS + ["\x00", "\x1b", "\x7f", "\ufffe", "<script>", "&#133;", "&#x2028;", "{x}", "{doctor}"])
_hostile_text = st.lists(st.one_of(_hostile_chars, st.text(max_size=6), st.sampled_from(["reviewed_by: Mallory", "status: published", "- id: x", "key: value"])), max_size=12).map("".join)


@settings(max_examples=fuzz_examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(intro=_hostile_text, unplaced=_hostile_text, prose=_hostile_text, item=_hostile_text, answer=_hostile_text, fmt=st.sampled_from([".md", ".txt", ".html"]))
def test_a_draft_never_holds_a_key_the_importer_did_not_write(tmp_path_factory: pytest.TempPathFactory, intro: str, unplaced: str, prose: str, item: str, answer: str, fmt: str) -> None:
    article = (
        "# Eczema – types, causes, symptoms, diagnosis, prevention, treatments, and Home Remedies\n\n"
        f"## Introduction\n\nEczema makes skin dry. {intro}\n\n"
        f"## Living With Eczema\n\n{unplaced}\n\n"
        f"## Causes of Eczema\n\n1. Irritants: Soaps can trigger flare-ups. {item}\n\n"
        f"Causes of eczema include {prose}\n\n"
        f"## Q&A\n\n1. Is eczema catching? No. {answer}\n"
    )
    if fmt == ".html":
        import html

        article = "<html><body><article>" + "".join(f"<p>{html.escape(p)}</p>" for p in article.split("\n\n")) + "</article></body></html>"
    path = tmp_path_factory.mktemp("article") / f"eczema{fmt}"
    path.write_text(article, encoding="utf-8", newline="")
    try:
        condition, _, text = import_article(path, today=DAY)
    except ArticleError:
        return
    assert _draft_keys(text) == _written_keys(condition)
    result = check_text(text, "eczema.yaml", today=DAY)
    assert result.ok, [d.format() for d in result.diagnostics if d.severity == "error"]


def test_braces_in_an_article_never_become_placeholders(tmp_path: Path) -> None:
    article = (FIXTURES / "eczema.md").read_text().replace("Soaps and detergents", "Soaps {x} and {doctor} detergents")
    path = tmp_path / "eczema.md"
    path.write_text(article)
    condition, _, text = import_article(path, today=DAY)
    assert "Soaps (x) and (doctor) detergents" in condition.sections.causes.items[1].description
    assert check_text(text, "eczema.yaml", today=DAY).ok
