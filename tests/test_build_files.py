"""The build deletes only what it wrote, inside its own folder, and packs only what it built."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path

import pytest
from lxml import html as lxml_html

from healthkit.app.build import BuildOptions, build
from healthkit.app.cache import CACHE_NAME
from healthkit.app.owned import digest_file
from healthkit.cli import main
from healthkit.distribution import wheel

from .conftest import ROOT, SEED

TEMPLATE = ROOT / "notebooks" / "lesson.ipynb"
pytestmark = pytest.mark.slow


def _content(folder: Path, ids: list[str], title: str = "Back spasms") -> Path:
    content = folder / "content"
    content.mkdir(parents=True)
    seed = SEED.read_text()
    for i in ids:
        (content / f"{i}.yaml").write_text(seed.replace("id: back-spasms", f"id: {i}").replace("title: Back spasms", f"title: {title} {i}"))
    return content


def _built(tmp_path: Path, ids: list[str]) -> tuple[Path, list[str]]:
    """Builds these conditions (learner edition) into ``tmp_path/out``; returns the output
    folder and the command line that built it."""
    content = _content(tmp_path, ids)
    out = tmp_path / "out"
    args = ["build", "--content", str(content), "--out", str(out), "--template", str(TEMPLATE), "-j", "1", "-q"]
    assert main(args) == 0
    return out, args


# -- pruning -------------------------------------------------------------------------------------
def test_pruning_never_deletes_another_folder_s_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = tmp_path / "A", tmp_path / "B"
    _content(a, ["a-one", "b-two"])
    monkeypatch.chdir(a)  # the first build uses paths relative to A
    first = build(BuildOptions(content_dir=Path("content"), out_dir=Path("build"), template=TEMPLATE, jobs=1))
    assert first.ok
    theirs = [b / "build" / "lessons" / "b-two.ipynb", b / "build" / "site" / "b-two.html"]
    for path in theirs:  # another project, with lessons of the same names
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("B's own file")
    (a / "content" / "b-two.yaml").unlink()
    monkeypatch.chdir(b)  # the second build runs from B, with absolute paths
    second = build(BuildOptions(content_dir=a / "content", out_dir=a / "build", template=TEMPLATE, jobs=1))
    assert second.ok
    assert [p.read_text() for p in theirs] == ["B's own file"] * 2
    assert not (a / "build" / "lessons" / "b-two.ipynb").exists() and not (a / "build" / "site" / "b-two.html").exists()
    cache = json.loads((a / "build" / CACHE_NAME).read_text())
    outputs = [p for entry in cache["lessons"].values() for p in entry["outputs"]]
    assert outputs and all(not os.path.isabs(p) and ".." not in Path(p).parts for p in outputs)


def test_pruning_keeps_an_output_someone_changed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = _content(tmp_path, ["a-one", "b-two"])
    out = tmp_path / "out"
    args = ["build", "--content", str(content), "--out", str(out), "--template", str(TEMPLATE), "-j", "1", "-q"]
    assert main(args) == 0
    page = out / "site" / "b-two.html"
    page.write_text(page.read_text() + "<!-- my notes -->")
    (content / "b-two.yaml").unlink()
    capsys.readouterr()
    assert main(args) == 0
    assert "my notes" in page.read_text()
    assert not (out / "lessons" / "b-two.ipynb").exists()
    assert f"healthkit: warning: kept {page}" in capsys.readouterr().err


# -- a tampered or foreign cache ----------------------------------------------------------------------
def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _past_the_link_check(monkeypatch: pytest.MonkeyPatch, out: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """A link out of the output folder stops a build before it starts; the checks below it,
    which keep every deletion inside the folder, are tested as if that first check were not there."""
    capsys.readouterr()
    assert main(args) == 1 and "outside the output folder" in capsys.readouterr().err
    monkeypatch.setattr("healthkit.app.outputs._refuse_links_out", lambda out_dir, option: None)


def test_a_tampered_cache_deletes_nothing_outside_the_output_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    out, args = _built(tmp_path, ["a-one"])
    victims = tmp_path / "victims"
    victims.mkdir()
    for name in ("abs.txt", "up.txt", "link.txt"):
        (victims / name).write_text(name)
    (out / "evil").symlink_to(victims)
    cache_path = out / CACHE_NAME
    cache = json.loads(cache_path.read_text())
    forged = {
        str(victims / "abs.txt"): _sha(victims / "abs.txt"),
        "../victims/up.txt": _sha(victims / "up.txt"),
        "lessons/../../victims/up.txt": _sha(victims / "up.txt"),
        "evil/link.txt": _sha(victims / "link.txt"),
    }
    cache["lessons"]["learner/gone"] = {"fingerprint": "0" * 64, "outputs": forged}
    cache["lessons"]["learner/also-gone"] = {"fingerprint": "0" * 64, "outputs": [str(victims / "abs.txt"), "../victims/up.txt"]}
    cache_path.write_text(json.dumps(cache))
    _past_the_link_check(monkeypatch, out, args, capsys)
    assert main(args) == 0  # a full build: it prunes lessons whose content is gone
    assert sorted(p.name for p in victims.iterdir()) == ["abs.txt", "link.txt", "up.txt"]
    err = capsys.readouterr().err
    assert f"healthkit: warning: ignoring {cache_path}" in err and "Traceback" not in err


def test_a_trusted_cache_never_deletes_through_a_link_out_of_the_output_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A valid-looking entry, whose output folder is a link to another folder: the cache is
    trusted, so only the check that every output stays inside the output folder protects it."""
    out, args = _built(tmp_path, ["a-one"])
    victims = tmp_path / "victims"
    victims.mkdir()
    victim = victims / "gone.html"
    victim.write_text("someone else's page")
    (out / "teacher").symlink_to(victims)  # a learner build writes nothing in teacher/
    cache_path = out / CACHE_NAME
    cache = json.loads(cache_path.read_text())
    cache["lessons"]["teacher/gone"] = {"fingerprint": "0" * 64, "outputs": {"teacher/gone.html": digest_file(victim)}}
    cache_path.write_text(json.dumps(cache))
    _past_the_link_check(monkeypatch, out, args, capsys)
    assert main(args) == 0  # a full build: it prunes "gone", whose content file does not exist
    assert victim.read_text() == "someone else's page"
    err = capsys.readouterr().err
    assert "ignoring" not in err and "Traceback" not in err  # the cache itself was trusted
    assert "teacher/gone" not in json.loads(cache_path.read_text())["lessons"]


@pytest.mark.parametrize("text", ["{not json", "[" * 100_000, json.dumps({"version": 99}), json.dumps({"version": "x", "lessons": 3}), "\x00" * 10])
def test_an_unreadable_cache_is_ignored_with_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "broken.yaml").write_text("id: broken\n")  # nothing renders: the cache is the point
    out = tmp_path / "out"
    out.mkdir()
    (out / CACHE_NAME).write_text(text)
    status = main(["build", "--content", str(content), "--out", str(out), "--template", str(TEMPLATE), "--no-html", "-q"])
    assert status == 1  # the broken lesson
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"healthkit: warning: ignoring {out / CACHE_NAME}" in err


# -- lessons.zip ------------------------------------------------------------------------------------
def test_lessons_zip_packs_exactly_the_lessons_it_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    content = _content(tmp_path, ["back-spasms"], title="Aches & pains")
    (content / "broken.yaml").write_text("id: broken\ntitle: Broken\n")
    secret = tmp_path / "private" / "passwd.yaml"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:secret\n")
    (content / "passwd.yaml").symlink_to(secret)
    (content / "alias.yaml").symlink_to(content / "back-spasms.yaml")  # a link inside is no leak
    out = tmp_path / "out"
    (out / "lessons").mkdir(parents=True)
    (out / "lessons" / "foreign.ipynb").write_text('{"private": "notebook"}')
    monkeypatch.chdir(tmp_path)
    Path("environment.yml").write_text("name: private-environment\n")
    status = main(["build", "--content", str(content), "--out", str(out), "--template", str(TEMPLATE), "-j", "1", "-q"])
    assert status == 1  # broken, passwd and alias fail; back-spasms builds
    err = capsys.readouterr().err
    assert "passwd.yaml" in err and "outside the content folder" in err
    archive = zipfile.ZipFile(out / "site" / "lessons.zip")
    names = sorted(archive.namelist())
    built = wheel()
    assert built is not None
    install = [f"healthkit-lessons/{name}" for name in (built.filename, "environment.yml", "requirements.txt")]
    expected = sorted(["healthkit-lessons/README.txt", "healthkit-lessons/build/lessons/back-spasms.ipynb", "healthkit-lessons/content/back-spasms.yaml", *install])
    assert names == expected
    assert archive.read("healthkit-lessons/content/back-spasms.yaml") == (content / "back-spasms.yaml").read_bytes()
    assert archive.read("healthkit-lessons/build/lessons/back-spasms.ipynb") == (out / "lessons" / "back-spasms.ipynb").read_bytes()
    # The environment file is made for the bundle, never the current folder's.
    assert b"private-environment" not in archive.read("healthkit-lessons/environment.yml")
    index = (out / "site" / "index.html").read_text()
    assert 'href="back-spasms.html"' in index and "foreign" not in index and "passwd" not in index


def test_check_reports_a_symlink_out_of_the_content_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = _content(tmp_path, ["back-spasms"])
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(SEED.read_text().replace("id: back-spasms", "id: leak"))
    (content / "leak.yaml").symlink_to(outside)
    assert main(["check", "-q", str(content)]) == 1
    out = capsys.readouterr().out
    assert f"{content / 'leak.yaml'}: error: " in out and "outside the content folder" in out


def test_page_title_is_escaped_once(tmp_path: Path) -> None:
    content = _content(tmp_path, ["back-spasms"], title="Aches & <pains>")
    out = tmp_path / "out"
    assert build(BuildOptions(content_dir=content, out_dir=out, template=TEMPLATE, jobs=1)).ok
    page = lxml_html.fromstring((out / "site" / "back-spasms.html").read_bytes())
    assert page.findtext(".//title") == "Aches & <pains> back-spasms"
