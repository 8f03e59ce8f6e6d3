"""Fast builds: warm kernels never leak state between lessons; unchanged lessons are skipped."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import nbformat
import pytest

from healthkit.app import build as build_module
from healthkit.app.build import BuildOptions, build
from healthkit.app.cache import CACHE_NAME

from .conftest import CONTENT, ROOT, SEED

TEMPLATE = ROOT / "notebooks" / "lesson.ipynb"
pytestmark = pytest.mark.slow

PROBE = """\
import json, os
import ipywidgets
print("PROBE " + json.dumps({
    "leftovers": sorted(k for k in globals() if k.startswith("leak_")),
    "widgets": len(ipywidgets.Widget.widgets),
    "env": os.environ.get("HEALTHKIT_LEAK"),
    "cwd": os.getcwd(),
    "pid": os.getpid(),
}))
"""

LEAK = """\
import os
globals()["leak_" + condition.replace("-", "_")] = 1
os.environ["HEALTHKIT_LEAK"] = condition
os.chdir("/")
if condition == fail_in:
    raise RuntimeError("planned failure")
"""


#: Causes every one of which can be quoted, so a lesson on the seed borrows no wrong options
#: from its neighbours: what it shows depends on its own file alone (see ``_content``).
OWN_CAUSES = """  causes:
    summary: Many things can set off a spasm.
    items:
      - name: Muscle strain
        description: Lifting something heavy, or a sudden twist, can overwork the tissue.
      - name: Injury
        description: A fall, an accident or a blow during sport.
      - name: Arthritis
        description: Joints that become swollen, stiff and sore with age.
      - name: Spinal stenosis
        description: Less room for the nerves, which then get squeezed.
"""


def _own_seed() -> str:
    """The seed, with causes that need no other lesson's options (a test checks they do not)."""
    text = SEED.read_text()
    return text[: text.index("  causes:\n")] + OWN_CAUSES + text[text.index("  symptoms:\n"):]


def test_the_incremental_fixture_borrows_nothing() -> None:
    from healthkit import loads_condition
    from healthkit.quiz.generate import needs_other_conditions

    assert not needs_other_conditions(loads_condition(_own_seed()))


def _content(tmp_path: Path, ids: list[str]) -> Path:
    content = tmp_path / "content"
    content.mkdir()
    seed = _own_seed()
    for i in ids:
        (content / f"{i}.yaml").write_text(seed.replace("id: back-spasms", f"id: {i}").replace("title: Back spasms", f"title: Lesson {i}"))
    return content


def _probing_template(tmp_path: Path, fail_in: str = "") -> Path:
    nb = nbformat.read(TEMPLATE, as_version=4)
    nb.cells.insert(1, nbformat.v4.new_code_cell(PROBE))  # first thing after the parameters
    nb.cells.append(nbformat.v4.new_code_cell(f"fail_in = {fail_in!r}\n" + LEAK))  # last thing
    path = tmp_path / "probe.ipynb"
    nbformat.write(nb, path)
    return path


def _probe(nb_path: Path) -> dict:  # type: ignore[type-arg]
    nb = nbformat.read(nb_path, as_version=4)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            found = re.search(r"PROBE (.*)", output.get("text", ""))
            if found:
                return json.loads(found.group(1))  # type: ignore[no-any-return]
    raise AssertionError("probe output missing")


def test_a_warm_kernel_is_reused_but_no_lesson_sees_another(tmp_path: Path) -> None:
    content = _content(tmp_path, ["a-one", "b-two", "c-three"])
    out = tmp_path / "out"
    report = build(BuildOptions(content_dir=content, out_dir=out, template=_probing_template(tmp_path), jobs=1, html=False))
    assert report.ok, [r.error for r in report.results]
    probes = {name: _probe(out / "lessons" / f"{name}.ipynb") for name in ("a-one", "b-two", "c-three")}
    assert len({p["pid"] for p in probes.values()}) == 1, "lessons should share one warm kernel"
    for probe in probes.values():
        assert probe["leftovers"] == []
        assert probe["widgets"] == 0
        assert probe["env"] is None
        assert probe["cwd"] == str((out / "lessons").resolve())
    # Execution counts start at 1 in every lesson, as if each had its own kernel.
    for name in probes:
        counts = [c.execution_count for c in nbformat.read(out / "lessons" / f"{name}.ipynb", as_version=4).cells if c.cell_type == "code"]
        assert counts == list(range(1, len(counts) + 1))


def test_a_kernel_that_failed_a_lesson_is_replaced(tmp_path: Path) -> None:
    content = _content(tmp_path, ["a-one", "b-two", "c-three"])
    out = tmp_path / "out"
    report = build(BuildOptions(content_dir=content, out_dir=out, template=_probing_template(tmp_path, fail_in="b-two"), jobs=1, html=False))
    assert [r.status for r in report.results] == ["built", "failed", "built"]
    first, third = _probe(out / "lessons" / "a-one.ipynb"), _probe(out / "lessons" / "c-three.ipynb")
    assert first["pid"] != third["pid"]
    assert third["leftovers"] == [] and third["env"] is None


def test_unchanged_lessons_are_skipped_and_edits_rebuild_only_what_they_feed(tmp_path: Path) -> None:
    content = _content(tmp_path, ["a-one", "b-two"])
    out = tmp_path / "out"
    options = BuildOptions(content_dir=content, out_dir=out, template=TEMPLATE, jobs=1)
    assert [r.status for r in build(options).results] == ["built", "built"]
    page = out / "site" / "a-one.html"
    before = page.stat().st_mtime_ns

    again = build(options)
    assert [r.status for r in again.results] == ["skipped", "skipped"]
    assert again.seconds < 1.0
    assert page.stat().st_mtime_ns == before

    edited = content / "b-two.yaml"
    edited.write_text(edited.read_text().replace("tagline: Know what tightens", "tagline: Freshly edited. Know what tightens"))
    third = build(options)
    assert [r.status for r in third.results] == ["skipped", "built"]
    assert "Freshly edited." in (out / "site" / "index.html").read_text()
    # b-two is the next lesson after a-one, but its title did not change: a-one stays.
    assert page.stat().st_mtime_ns == before

    first = content / "a-one.yaml"  # the first lesson: catalogue order must not shift
    first.write_text(first.read_text().replace("tagline: Know what tightens", "tagline: Also edited. Know what tightens"))
    assert [r.status for r in build(options).results] == ["built", "skipped"]

    (out / "site" / "b-two.html").unlink()  # a missing page is exported again from its notebook
    assert [r.status for r in build(options).results] == ["skipped", "exported"]
    (out / "lessons" / "b-two.ipynb").unlink()  # a missing notebook: the lesson runs again
    assert [r.status for r in build(options).results] == ["skipped", "built"]

    assert '<html lang="en-GB">' in page.read_text()  # the condition's own language

    forced = build(BuildOptions(content_dir=content, out_dir=out, template=TEMPLATE, jobs=1, force=True))
    assert [r.status for r in forced.results] == ["built", "built"]

    changed = build(BuildOptions(content_dir=content, out_dir=out, template=TEMPLATE, jobs=1, seed=3))
    assert [r.status for r in changed.results] == ["built", "built"]

    (content / "b-two.yaml").unlink()  # a removed condition leaves no stale lesson behind
    assert [r.status for r in build(options).results] == ["built"]
    assert not (out / "site" / "b-two.html").exists() and not (out / "lessons" / "b-two.ipynb").exists()
    assert 'href="b-two.html"' not in (out / "site" / "index.html").read_text()


def test_an_interrupted_build_leaves_no_stale_lesson(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = _content(tmp_path, ["a-one", "b-two"])
    out = tmp_path / "out"
    options = BuildOptions(content_dir=content, out_dir=out, template=TEMPLATE, jobs=1, html=False)
    real_record = build_module.BuildCache.record

    def interrupted(self: object, key: str, fingerprint: str, outputs: list[Path], notebook: str | None = None) -> None:
        raise KeyboardInterrupt  # the files are written, the cache entry is not

    monkeypatch.setattr(build_module.BuildCache, "record", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(options)
    monkeypatch.setattr(build_module.BuildCache, "record", real_record)
    (written,) = (out / "lessons").iterdir()  # one lesson written, no temporary files
    assert written.suffix == ".ipynb"
    nbformat.validate(nbformat.read(written, as_version=4))  # complete, never half-written
    assert [r.status for r in build(options).results] == ["built", "built"]  # nothing trusted blindly

    (out / CACHE_NAME).write_text("{not json")
    assert [r.status for r in build(options).results] == ["built", "built"]


def test_a_title_edit_exports_the_neighbours_pages_without_running_them(tmp_path: Path) -> None:
    content = _content(tmp_path, ["a-one", "b-two", "c-three"])
    out = tmp_path / "out"
    options = BuildOptions(content_dir=content, out_dir=out, template=TEMPLATE, jobs=1)
    assert [r.status for r in build(options).results] == ["built", "built", "built"]
    notebooks = {n: out / "lessons" / f"{n}.ipynb" for n in ("a-one", "b-two", "c-three")}
    before = {n: p.read_bytes() for n, p in notebooks.items()}
    stamps = {n: p.stat().st_mtime_ns for n, p in notebooks.items()}

    middle = content / "b-two.yaml"
    middle.write_text(middle.read_text().replace("title: Lesson b-two", "title: Renamed middle"))
    report = build(options)
    # The edited lesson runs; its neighbours only get new pages, from their stored notebooks.
    assert [r.status for r in report.results] == ["exported", "built", "exported"]
    for name in ("a-one", "c-three"):
        assert notebooks[name].read_bytes() == before[name]
        assert notebooks[name].stat().st_mtime_ns == stamps[name], f"{name}'s notebook was written again"
    assert "Renamed middle →" in (out / "site" / "a-one.html").read_text()
    assert "← Renamed middle" in (out / "site" / "c-three.html").read_text()
    assert "Renamed middle" in (out / "site" / "index.html").read_text()
    assert [r.status for r in build(options).results] == ["skipped", "skipped", "skipped"]

    # A page whose stored notebook was changed by hand is never exported from it: it runs again.
    nb = nbformat.read(notebooks["a-one"], as_version=4)
    nb.metadata["edited_by_hand"] = True
    nbformat.write(nb, notebooks["a-one"])
    middle.write_text(middle.read_text().replace("title: Renamed middle", "title: Renamed again"))
    assert [r.status for r in build(options).results] == ["built", "built", "exported"]

    # --no-html then html: the stored notebooks are reused, no lesson runs for its page.
    plain = tmp_path / "plain"
    notebooks_only = BuildOptions(content_dir=content, out_dir=plain, template=TEMPLATE, jobs=1, html=False)
    assert [r.status for r in build(notebooks_only).results] == ["built", "built", "built"]
    with_pages = BuildOptions(content_dir=content, out_dir=plain, template=TEMPLATE, jobs=1)
    assert [r.status for r in build(with_pages).results] == ["exported", "exported", "exported"]
    assert "Renamed again →" in (plain / "site" / "a-one.html").read_text()


def test_a_change_to_the_page_code_exports_pages_and_runs_no_lesson(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from healthkit.app import cache as cache_module

    content = _content(tmp_path, ["a-one", "b-two"])
    out = tmp_path / "out"
    options = BuildOptions(content_dir=content, out_dir=out, template=TEMPLATE, jobs=1)
    assert [r.status for r in build(options).results] == ["built", "built"]
    pages = {p: p.read_bytes() for p in (out / "site").glob("*-*.html")}
    monkeypatch.setattr(build_module, "page_code_digest", lambda: "changed page code")
    assert [r.status for r in build(options).results] == ["exported", "exported"]
    # A page exported from the stored notebook is the very page the lesson's run made.
    assert len(pages) == 2 and all(p.read_bytes() == data for p, data in pages.items())
    monkeypatch.setattr(build_module, "notebook_code_digest", lambda: "changed lesson code")
    assert [r.status for r in build(options).results] == ["built", "built"]
    assert cache_module.code_digest() != ""


def test_a_review_that_falls_due_rebuilds_the_lesson_and_its_index_card(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    today = dt.date.today()
    content = tmp_path / "content"
    content.mkdir()
    approved = (
        "clinical_review:\n  status: approved\n  reviewer: Dr Ada Example\n  credentials: GP, MRCGP\n"
        f"  date: {today - dt.timedelta(days=400)}\n  next_review: {today - dt.timedelta(days=1)}\n"
    )
    (content / "back-spasms.yaml").write_text(SEED.read_text().replace("clinical_review:\n  status: pending\n", approved))
    out = tmp_path / "out"
    options = BuildOptions(content_dir=content, out_dir=out, template=TEMPLATE, jobs=1)
    earlier = today - dt.timedelta(days=10)  # the first build ran before the review fell due
    monkeypatch.setattr("healthkit.app.build.today", lambda: earlier)
    monkeypatch.setattr("healthkit.app.cache.today", lambda: earlier)
    assert [r.status for r in build(options).results] == ["built"]
    index = out / "site" / "index.html"
    assert "Next review due" in index.read_text() and "Review overdue" not in index.read_text()
    assert [r.status for r in build(options).results] == ["skipped"]  # nothing changed that day

    monkeypatch.undo()  # today: the content did not change, but the review is now overdue
    assert [r.status for r in build(options).results] == ["built"]
    assert "Review overdue" in index.read_text()
    assert [r.status for r in build(options).results] == ["skipped"]


def test_a_change_of_region_rebuilds_the_lesson_for_the_new_region_and_back(tmp_path: Path) -> None:
    content = _content(tmp_path, ["a-one"])
    out = tmp_path / "out"
    page, notebook = out / "site" / "a-one.html", out / "lessons" / "a-one.ipynb"

    def built_for(region: str) -> list[str]:
        options = BuildOptions(content_dir=content, out_dir=out, template=TEMPLATE, jobs=1, region=region)
        return [r.status for r in build(options).results]

    assert built_for("uk") == ["built"]
    assert "Call 999" in page.read_text() and "Call 911" not in page.read_text()
    assert built_for("uk") == ["skipped"]

    assert built_for("us") == ["built"]
    for path in (page, notebook):
        assert "Call 911" in path.read_text() and "Call 999" not in path.read_text(), path.name

    assert built_for("uk") == ["built"]
    for path in (page, notebook):
        assert "Call 999" in path.read_text() and "Call 911" not in path.read_text(), path.name
