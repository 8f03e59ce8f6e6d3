"""SCORM packages checked by independent tools: the manifests against the SCORM schemas with
xmllint, and the lessons against scorm-again (a SCORM run-time playing the learning platform)
in Chromium, served on 127.0.0.1 with every other request blocked."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any, Iterator

import pytest
from lxml import etree

from healthkit.cli import main
from healthkit.exporters.scorm import INDEX, MANIFEST, adapter_script
from healthkit.registry import DEFAULT_PASSING_SCORE, DEFAULT_SCORM_STANDARD, SCORM_STANDARDS

from .browser import chromium
from .conftest import ROOT, SEED
from .scorm_lms import SCHEMA_IMPORTS, SCHEMAS, Lms, Session, iter_links, validate_manifest

FIXTURES = SEED.parent
TEMPLATE = ROOT / "notebooks" / "lesson.ipynb"
LESSON = "back-spasms"
PAGE = f"{LESSON}.html"
STANDARDS = tuple(SCORM_STANDARDS)


def scorm(*args: str, content: Path = FIXTURES) -> int:
    return main(["scorm", *args, "--content", str(content), "--template", str(TEMPLATE), "-j", "1"])


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The README's two commands: 'healthkit scorm back-spasms -o p.zip' and with --standard 2004."""
    out = tmp_path_factory.mktemp("packages")
    assert scorm(LESSON, "-o", str(out / "p.zip")) == 0
    assert scorm(LESSON, "--standard", "2004", "-o", str(out / "p2004.zip")) == 0
    return {"1.2": (out / "p.zip").read_bytes(), "2004": (out / "p2004.zip").read_bytes()}


@pytest.fixture(scope="module")
def two_lessons(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A content folder with the seed and a second lesson that sets its own pass mark."""
    content = tmp_path_factory.mktemp("content")
    text = SEED.read_text(encoding="utf-8")
    (content / f"{LESSON}.yaml").write_text(text, encoding="utf-8")
    other = text.replace(f"id: {LESSON}", "id: lower-back", 1).replace("title: Back spasms", "title: Lower back", 1)
    (content / "lower-back.yaml").write_text(other + "passing_score: 65\n", encoding="utf-8")
    return content


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def manifest_of(data: bytes) -> etree._Element:
    return etree.fromstring(unzip(data)[MANIFEST])


def page_data(html: str) -> dict[str, list[dict[str, Any]]]:
    """Quiz id -> its questions (with the answer key), from the page's embedded data."""
    found = re.search(r'<script type="application/json" id="hk-data">(.*?)</script>', html, re.S)
    assert found
    data = json.loads(found.group(1))
    quizzes: dict[str, list[dict[str, Any]]] = {}
    # Page order: the order of the widgets in the page, not of the (random) model ids.
    for model_id in re.findall(r'data-hk-model="([^"]+)"', html):
        quiz = data["models"].get(model_id, {}).get("state", {}).get("quiz")
        if quiz:
            quizzes.setdefault(quiz["id"], quiz["questions"])
    return quizzes


# -- the package ----------------------------------------------------------------------------
@pytest.mark.parametrize("standard", STANDARDS)
def test_manifest_validates_against_the_scorm_schemas(packages: dict[str, bytes], standard: str, tmp_path: Path) -> None:
    manifest = tmp_path / MANIFEST
    manifest.write_bytes(unzip(packages[standard])[MANIFEST])
    result = validate_manifest(manifest, standard, tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"{manifest} validates" in result.stderr

    # The check can fail: an unknown SCO type is caught.
    broken = tmp_path / "broken.xml"
    broken.write_text(manifest.read_text().replace('="sco"', '="lesson"'))
    assert validate_manifest(broken, standard, tmp_path).returncode != 0


@pytest.mark.parametrize("standard", STANDARDS)
def test_manifest_names_every_file_and_the_standard(packages: dict[str, bytes], standard: str) -> None:
    files = unzip(packages[standard])
    root = manifest_of(packages[standard])
    ns = {"cp": root.nsmap[None]}
    assert root.findtext("cp:metadata/cp:schema", namespaces=ns) == "ADL SCORM"
    assert root.findtext("cp:metadata/cp:schemaversion", namespaces=ns) == SCORM_STANDARDS[standard].schemaversion
    resources = root.findall("cp:resources/cp:resource", ns)
    assert [r.get("href") for r in resources] == [PAGE]
    scormtype = next(v for k, v in resources[0].attrib.items() if k.lower().endswith("}scormtype"))
    assert scormtype == "sco"
    for node in root.iter(f"{{{ns['cp']}}}file"):
        assert node.get("href") in files
    items = root.findall("cp:organizations/cp:organization/cp:item", ns)
    assert [i.get("identifierref") for i in items] == [r.get("identifier") for r in resources]
    assert items[0].findtext("cp:title", namespaces=ns) == "Back spasms"
    if standard == "1.2":
        assert items[0].findtext("{http://www.adlnet.org/xsd/adlcp_rootv1p2}masteryscore") == str(DEFAULT_PASSING_SCORE)


@pytest.mark.parametrize("standard", STANDARDS)
def test_package_ships_the_standards_schema_files_unchanged(packages: dict[str, bytes], standard: str) -> None:
    folder = SCHEMAS / SCHEMA_IMPORTS[standard][0]
    files = unzip(packages[standard])
    shipped = {name: data for name, data in files.items() if name.endswith((".xsd", ".dtd"))}
    expected = {p.name: p.read_bytes() for p in folder.iterdir() if p.suffix in (".xsd", ".dtd")}
    assert shipped == expected  # exact copies of what the npm package ships, nothing more


@pytest.mark.parametrize("standard", STANDARDS)
def test_links_point_only_inside_the_package(packages: dict[str, bytes], standard: str) -> None:
    files = unzip(packages[standard])
    html = files[PAGE].decode()
    assert 'class="hk-nav"' not in html  # no "All lessons", no next/previous lesson
    for link in iter_links(html):
        if link.startswith("#"):
            assert f'id="{link[1:]}"' in html, link
        else:  # only the sources' citations leave the package, and they open beside the lesson
            assert link.startswith("https://"), link


@pytest.mark.parametrize("standard", STANDARDS)
def test_the_adapter_is_allowed_by_its_hash_and_the_policy_stays_strict(packages: dict[str, bytes], standard: str) -> None:
    html = unzip(packages[standard])[PAGE].decode()
    csp = html.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
    digest = base64.b64encode(hashlib.sha256(adapter_script().encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp
    assert f"<script>{adapter_script()}</script>" in html
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "'self'" not in csp and "http" not in csp
    config = json.loads(re.search(r'id="hk-scorm">(.*?)</script>', html).group(1))
    spec = SCORM_STANDARDS[standard]
    assert config == {"standard": standard, "api": spec.api, "pass": DEFAULT_PASSING_SCORE, "limit": spec.suspend_data_limit}


def test_several_lessons_make_one_package_with_an_overview(two_lessons: Path, tmp_path: Path) -> None:
    out = tmp_path / "course.zip"
    assert scorm(LESSON, "lower-back", "--standard", "2004", "--title", "Backs", "-o", str(out), content=two_lessons) == 0
    files = unzip(out.read_bytes())
    assert {PAGE, "lower-back.html", INDEX, MANIFEST} <= set(files)
    (tmp_path / MANIFEST).write_bytes(files[MANIFEST])
    assert validate_manifest(tmp_path / MANIFEST, "2004", tmp_path).returncode == 0
    root = etree.fromstring(files[MANIFEST])
    ns = {"cp": root.nsmap[None]}
    assert root.findtext("cp:organizations/cp:organization/cp:title", namespaces=ns) == "Backs"
    titles = [i.findtext("cp:title", namespaces=ns) for i in root.findall("cp:organizations/cp:organization/cp:item", ns)]
    assert titles == ["Course overview", "Back spasms", "Lower back"]
    kinds = {r.get("href"): r.get("{http://www.adlnet.org/xsd/adlcp_v1p3}scormType") for r in root.findall("cp:resources/cp:resource", ns)}
    assert kinds == {PAGE: "sco", "lower-back.html": "sco", INDEX: "asset"}
    # Each lesson keeps its own pass mark: the content's, else the default.
    passes = {name: json.loads(re.search(r'id="hk-scorm">(.*?)</script>', files[name].decode()).group(1))["pass"] for name in (PAGE, "lower-back.html")}
    assert passes == {PAGE: DEFAULT_PASSING_SCORE, "lower-back.html": 65}
    for name in (PAGE, "lower-back.html", INDEX):
        for link in iter_links(files[name].decode()):
            assert link.startswith(("#", "https://")), (name, link)
    assert "Back spasms" in files[INDEX].decode() and "Lower back" in files[INDEX].decode()


def test_split_writes_one_package_per_lesson(two_lessons: Path, tmp_path: Path) -> None:
    out = tmp_path / "packages"
    assert scorm("--split", "--pass", "70", "--no-schemas", "-o", str(out), content=two_lessons) == 0
    assert sorted(p.name for p in out.iterdir()) == ["back-spasms.zip", "lower-back.zip"]
    files = unzip((out / "lower-back.zip").read_bytes())
    assert sorted(files) == sorted([MANIFEST, "lower-back.html"])
    (tmp_path / MANIFEST).write_bytes(files[MANIFEST])
    assert validate_manifest(tmp_path / MANIFEST, "1.2", tmp_path).returncode == 0
    assert b"<adlcp:masteryscore>70</adlcp:masteryscore>" in files[MANIFEST]


def test_an_existing_file_is_kept_unless_forced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "p.zip"
    out.write_bytes(b"mine")
    assert scorm(LESSON, "-o", str(out)) == 1
    assert "exists; pass --force to overwrite it" in capsys.readouterr().err
    assert out.read_bytes() == b"mine"
    assert scorm(LESSON, "-o", str(out), "--force", "--pass", "none") == 0
    assert f"Wrote {out} (SCORM {DEFAULT_SCORM_STANDARD}, 1 lesson: {LESSON})" in capsys.readouterr().err
    files = unzip(out.read_bytes())
    assert b"masteryscore" not in files[MANIFEST]
    assert '"pass":null' in files[PAGE].decode()


def test_bad_arguments_are_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        scorm(LESSON, "--pass", "120", "-o", str(tmp_path / "p.zip"))
    assert exit.value.code == 2
    assert "percentage from 1 to 100" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        scorm(LESSON, "--standard", "3", "-o", str(tmp_path / "p.zip"))
    assert scorm("no-such-lesson", "-o", str(tmp_path / "p.zip")) == 1
    assert "unknown condition(s): no-such-lesson" in capsys.readouterr().err
    assert not (tmp_path / "p.zip").exists()


def test_the_content_is_checked_once(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import healthkit.app.scorm as scorm_app

    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "broken.yaml").write_text("id: broken\n")
    planned = []
    real = scorm_app.plan
    monkeypatch.setattr(scorm_app, "plan", lambda options: planned.append(options) or real(options))
    assert main(["scorm", "--content", str(tmp_path / "content"), "-o", str(tmp_path / "p.zip")]) == 1
    assert "lesson failed: broken" in capsys.readouterr().err
    assert len(planned) == 1 and not (tmp_path / "p.zip").exists()


@pytest.mark.parametrize("standard", STANDARDS)
def test_a_long_content_title_still_makes_a_manifest_that_validates(tmp_path: Path, standard: str) -> None:
    """A 300-character lesson title made a 1.2 manifest the schemas refuse (titles are at most
    200 characters) while the command said it worked: titles are cut, with an ellipsis."""
    content = tmp_path / "content"
    content.mkdir()
    long_title = " ".join(["Back spasms and what to do about them"] * 9)
    (content / SEED.name).write_text(SEED.read_text(encoding="utf-8").replace("title: Back spasms", f"title: {long_title}", 1), encoding="utf-8")
    assert scorm(LESSON, "--standard", standard, "-o", str(tmp_path / "p.zip"), content=content) == 0
    manifest = tmp_path / MANIFEST
    manifest.write_bytes(unzip((tmp_path / "p.zip").read_bytes())[MANIFEST])
    result = validate_manifest(manifest, standard, tmp_path)
    assert result.returncode == 0, result.stderr
    titles = [t.text or "" for t in manifest_of((tmp_path / "p.zip").read_bytes()).iter("{*}title")]
    assert any(t.endswith("…") and len(t) == 200 for t in titles)


@pytest.mark.parametrize("title", ["bad\x01title", "bad\udcfftitle", "bad\ufffetitle", "bad\u2028title", "x" * 201, "   "])
@pytest.mark.parametrize("command", ["scorm", "workshop", "lite"])
def test_a_title_option_no_text_may_hold_is_a_usage_error_not_a_traceback(tmp_path: Path, title: str, command: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = {"scorm": ["scorm", LESSON, "-o", str(tmp_path / "p.zip")], "workshop": ["workshop", LESSON, "-o", str(tmp_path / "w")],
            "lite": ["lite", "-o", str(tmp_path / "l"), "--offline"]}[command]
    with pytest.raises(SystemExit) as usage:
        main([*args, "--title", title, "--content", str(FIXTURES)])
    err = capsys.readouterr().err
    assert usage.value.code == 2 and "Traceback" not in err
    assert "argument --title:" in err
    assert not list(tmp_path.iterdir())  # nothing was written


def test_help_lists_the_registry_standards(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["scorm", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for name, spec in SCORM_STANDARDS.items():
        assert f"{name}: {' '.join(spec.doc.split())}" in text


# -- in a learning platform ------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def questions(packages: dict[str, bytes], standard: str) -> list[tuple[str, dict[str, Any]]]:
    """Every (quiz id, question) of the lesson, in page order."""
    quizzes = page_data(unzip(packages[standard])[PAGE].decode())
    return [(quiz, q) for quiz, qs in quizzes.items() for q in qs]


def answer(frame: Any, quiz: str, question: dict[str, Any], right: bool = True) -> None:
    """Choose options by their text, as a learner reads them, and check (for a triage
    question, a place for each sign: the right ones, or the first sign placed wrong)."""
    choices = question["choices"]
    box = frame.locator(f".hk-quiz[data-quiz='{quiz}'] fieldset[data-question='{question['id']}']")
    if question["kind"] == "triage":  # each choice's text is "sign → place"
        pairs = [(c["text"].rsplit(" → ", 1), c["correct"]) for c in choices]
        signs = list(dict.fromkeys(sign for (sign, _), _ in pairs))
        for n, sign in enumerate(signs):
            place = next(p for (s, p), correct in pairs if s == sign and correct == (right or n > 0))
            box.get_by_label(sign, exact=True).select_option(label=place)
        box.get_by_role("button", name="Check answer").click()
        box.locator(".hk-verdict").wait_for()
        return
    texts = [c["text"] for c in choices if c["correct"]] if right else [next(c["text"] for c in choices if not c["correct"])]
    for text in texts:
        box.get_by_label(text, exact=True).check()
    box.get_by_role("button", name="Check answer").click()
    box.locator(".hk-verdict").wait_for()


def status(cmi: dict[str, Any], standard: str) -> Any:
    if standard == "1.2":
        return cmi["core"]["lesson_status"]
    return cmi["completion_status"], cmi["success_status"]


def raw(cmi: dict[str, Any], standard: str) -> str:
    return str((cmi["core"] if standard == "1.2" else cmi)["score"]["raw"])


@pytest.fixture
def platform(packages: dict[str, bytes], request: pytest.FixtureRequest) -> Iterator[Lms]:
    lms = Lms(packages[request.param], request.param)
    yield lms
    lms.close()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("platform", STANDARDS, indirect=True)
def test_some_answers_report_progress_then_all_right_passes(platform: Lms, packages: dict[str, bytes], browser: Any) -> None:
    standard = platform.standard
    commit = "LMSCommit" if standard == "1.2" else "Commit"
    session = Session(browser, platform)
    frame = session.launch(PAGE)
    session.wait_for_calls(commit, 1)
    on_load = session.calls()
    assert [c[0] for c in on_load].count(commit) == 1, on_load  # one commit on load, not one per quiz
    assert len(on_load) <= 20, on_load
    started = platform.wait_for(lambda cmi: True)
    assert status(started, standard) == ("incomplete" if standard == "1.2" else ("incomplete", "unknown"))
    assert raw(started, standard) == ""  # opening a lesson is not scoring 0

    every = questions(packages, standard)
    total = len(every)
    for quiz, question in every[:2]:
        answer(frame, quiz, question)
    cmi = platform.wait_for(lambda cmi: raw(cmi, standard) == str(round(100 * 2 / total, 2)))
    assert status(cmi, standard) == ("incomplete" if standard == "1.2" else ("incomplete", "unknown"))
    assert cmi["suspend_data"].startswith("hk2") and len(cmi["suspend_data"]) <= SCORM_STANDARDS[standard].suspend_data_limit
    if standard == "2004":
        assert float(cmi["score"]["scaled"]) == round(2 / total, 4)
        assert float(cmi["progress_measure"]) == round(2 / total, 4)

    for quiz, question in every[2:]:
        answer(frame, quiz, question)
    cmi = platform.wait_for(lambda cmi: raw(cmi, standard) == "100")
    assert status(cmi, standard) == ("passed" if standard == "1.2" else ("completed", "passed"))
    if standard == "2004":
        assert cmi["score"]["scaled"] == "1" and cmi["progress_measure"] == "1"

    # A source link opens beside the lesson, so following it does not end the lesson.
    source = frame.locator("a[href^='https://']").first
    with session.page.expect_popup():
        source.click()
    assert source.get_attribute("target") == "_blank"

    # Leaving: exit is "suspend", the time is reported and the session is finished.
    session.page.goto("about:blank")
    cmi = platform.wait_for(lambda cmi: (cmi["core"]["exit"] if standard == "1.2" else cmi["exit"]) == "suspend")
    time_spent = cmi["core"]["session_time"] if standard == "1.2" else cmi["session_time"]
    assert re.fullmatch(r"\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?" if standard == "1.2" else r"PT\d+H\d+M[\d.]+S", time_spent)
    assert session.errors == [] and all(url.startswith(("https://www.nhs.uk", "https://medlineplus.gov")) for url in session.blocked)
    session.close()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("platform", STANDARDS, indirect=True)
def test_below_the_pass_mark_fails(platform: Lms, packages: dict[str, bytes], browser: Any) -> None:
    standard = platform.standard
    session = Session(browser, platform)
    frame = session.launch(PAGE)
    every = questions(packages, standard)
    wrong = 5
    for i, (quiz, question) in enumerate(every):
        answer(frame, quiz, question, right=i >= wrong)
    expected = round(100 * (len(every) - wrong) / len(every), 2)
    assert expected < DEFAULT_PASSING_SCORE
    cmi = platform.wait_for(lambda cmi: status(cmi, standard) in ("failed", ("completed", "failed")))
    assert float(raw(cmi, standard)) == expected
    assert session.errors == [] and session.blocked == []
    session.close()


def relaunch_data(cmi: dict[str, Any], standard: str) -> dict[str, Any]:
    """What a platform hands a lesson the learner comes back to (scorm-again's loadFromJSON)."""
    if standard == "1.2":
        return {"suspend_data": cmi["suspend_data"], "core": {"entry": "resume", "lesson_status": cmi["core"]["lesson_status"], "score": cmi["core"]["score"]}}
    keep = ("completion_status", "success_status", "score", "progress_measure")
    return {"suspend_data": cmi["suspend_data"], "entry": "resume", **{k: cmi[k] for k in keep}}


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("platform", STANDARDS, indirect=True)
def test_answers_come_back_in_a_fresh_browser(platform: Lms, packages: dict[str, bytes], browser: Any) -> None:
    standard = platform.standard
    first = Session(browser, platform)
    frame = first.launch(PAGE)
    every = questions(packages, standard)
    quiz = next(q for q, _ in every if sum(x == q for x, _ in every) >= 2)  # the first quiz of two questions or more
    right, wrong = [x for q, x in every if q == quiz][:2]
    answer(frame, quiz, right, right=True)
    answer(frame, quiz, wrong, right=False)
    platform.wait_for(lambda cmi: raw(cmi, standard) != "" and cmi["suspend_data"].count(".") == 4)  # both answers saved
    first.page.goto("about:blank")
    left = platform.wait_for(lambda cmi: (cmi["core"]["exit"] if standard == "1.2" else cmi["exit"]) == "suspend")
    first.close()

    again = Lms(packages[standard], standard, launch=relaunch_data(left, standard))
    try:
        second = Session(browser, again)  # a new context: empty local storage
        frame = second.launch(PAGE)
        box = frame.locator(f".hk-quiz[data-quiz='{quiz}']")
        assert box.locator(f"fieldset[data-question='{right['id']}']").get_attribute("class").split().count("hk-right") == 1
        assert "hk-wrong" in box.locator(f"fieldset[data-question='{wrong['id']}']").get_attribute("class")
        checked = box.locator(f"fieldset[data-question='{right['id']}'] input:checked")
        labels = [box.locator(f"label[for='{checked.nth(i).get_attribute('id')}']").inner_text() for i in range(checked.count())]
        # A right answer marks its option(s) as the right answer, in words.
        assert sorted(labels) == sorted(f"{c['text']} ✓ Right answer (your answer)" for c in right["choices"] if c["correct"])
        assert box.locator(".hk-score").inner_text() == "Score: 1 of 2 right first time"
        restored = frame.locator("html").evaluate("() => globalThis.healthkitProgressStore.load()")
        responses = restored[quiz]["responses"]
        expected = {"selected": None, "correct": True, "attempts": 1, "first_try": True, "revealed": False, "fit": fit_of(right)}
        assert responses[right["id"]] | {"selected": None} == expected
        assert responses[wrong["id"]]["correct"] is False and responses[wrong["id"]]["first_try"] is False
        # The answers live in the platform, not in this browser.
        assert frame.locator("html").evaluate("() => Object.keys(localStorage)") == []
        # Coming back does not lower the score or the status the platform holds.
        second.wait_for_calls("LMSCommit" if standard == "1.2" else "Commit", 1)
        cmi = again.wait_for(lambda cmi: True)
        assert raw(cmi, standard) == raw(left, standard) and status(cmi, standard) == status(left, standard)
        assert second.errors == [] and second.blocked == []
        second.close()
    finally:
        again.close()

    # The same answers, given to a package whose question shows its options in another order
    # (the same ids): they no longer fit, so that quiz starts afresh instead of pointing at
    # other options.
    changed = Lms(reorder_options(packages[standard], quiz, right["id"]), standard, launch=relaunch_data(left, standard))
    try:
        third = Session(browser, changed)
        frame = third.launch(PAGE)
        box = frame.locator(f".hk-quiz[data-quiz='{quiz}']")
        assert box.locator(".hk-feedback:not(:empty)").count() == 0 and box.locator("input:checked").count() == 0
        assert box.locator(".hk-score").inner_text() == "Score: 0 of 2 right first time"
        assert frame.locator("html").evaluate("() => globalThis.healthkitProgressStore.load()") == {}
        assert third.errors == [] and third.blocked == []
        third.close()
    finally:
        changed.close()


def forged(suspend_data: str) -> str:
    """``suspend_data`` claiming every saved answer was right at the first try, and every
    quiz's score full: what a hostile platform, or a learner editing it, might hand back."""
    head, *parts = suspend_data.split("|")
    out = [head]
    for part in parts:
        key, _, items = part.split(":")
        claimed = [f"{i.rsplit('.', 1)[0]}.31" for i in items.split(",")]
        out.append(f"{key}:{len(claimed)}:{','.join(claimed)}")
    return "|".join(out)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("platform", STANDARDS, indirect=True)
def test_a_resumed_answer_is_graded_again_and_earns_only_what_it_is_worth(platform: Lms, packages: dict[str, bytes], browser: Any) -> None:
    """suspend_data saying every answer was right first time made the page send a full score
    with the wrong options showing: restored answers are graded against the page's own key."""
    standard = platform.standard
    first = Session(browser, platform)
    frame = first.launch(PAGE)
    every = questions(packages, standard)
    quiz = next(q for q, _ in every if sum(x == q for x, _ in every) >= 2)
    right, wrong = [x for q, x in every if q == quiz][:2]
    answer(frame, quiz, right, right=True)
    answer(frame, quiz, wrong, right=False)
    platform.wait_for(lambda cmi: raw(cmi, standard) != "" and cmi["suspend_data"].count(".") == 4)
    first.page.goto("about:blank")
    left = platform.wait_for(lambda cmi: (cmi["core"]["exit"] if standard == "1.2" else cmi["exit"]) == "suspend")
    first.close()

    launch = relaunch_data(left, standard) | {"suspend_data": forged(left["suspend_data"])}
    again = Lms(packages[standard], standard, launch=launch)
    try:
        second = Session(browser, again)
        frame = second.launch(PAGE)
        box = frame.locator(f".hk-quiz[data-quiz='{quiz}']")
        assert box.locator(".hk-score").inner_text() == "Score: 1 of 2 right first time"
        assert "hk-wrong" in box.locator(f"fieldset[data-question='{wrong['id']}']").get_attribute("class")
        restored = frame.locator("html").evaluate("() => globalThis.healthkitProgressStore.load()")
        assert restored[quiz]["responses"][wrong["id"]]["first_try"] is False and restored[quiz]["score"] == 1
        second.wait_for_calls("LMSCommit" if standard == "1.2" else "Commit", 1)
        cmi = again.wait_for(lambda cmi: True)
        assert float(raw(cmi, standard) or 0) <= float(raw(left, standard))
        assert second.errors == [] and second.blocked == []
        second.close()
    finally:
        again.close()


def fit_of(question: dict[str, Any]) -> str:
    from healthkit.quiz.model import fit

    return fit([(c["text"], c["correct"]) for c in question["choices"]])


def reorder_options(package: bytes, quiz: str, question: str) -> bytes:
    """``package`` with one question's options in reverse order in its page's data."""
    from healthkit.exporters.page import json_for_script

    files = unzip(package)
    html = files[PAGE].decode()
    found = re.search(r'(<script type="application/json" id="hk-data">)(.*?)(</script>)', html, re.S)
    assert found
    data = json.loads(found.group(2))
    for model in data["models"].values():
        state = model["state"].get("quiz")
        for q in (state or {}).get("questions", []) if (state or {}).get("id") == quiz else []:
            if q["id"] == question:
                q["choices"].reverse()
    files[PAGE] = (html[: found.start(2)] + json_for_script(data) + html[found.end(2) :]).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data_bytes in files.items():
            archive.writestr(name, data_bytes)
    return out.getvalue()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("platform", STANDARDS, indirect=True)
def test_each_checked_answer_becomes_an_interaction(platform: Lms, browser: Any) -> None:
    """The quiz's answer event, as the widget contract defines it, becomes cmi.interactions."""
    standard = platform.standard
    session = Session(browser, platform)
    frame = session.launch(PAGE)
    detail = {
        "quiz": "back-spasms-causes", "question": "spine-causes", "kind": "multiple", "prompt": "Which are problems in the spine?",
        "choices": ["Herniated disc", "Spinal stenosis", "Poor posture"], "selected": [0, 2], "correct": False,
        "attempt": 1, "first_try": False, "revealed": False,
    }
    frame.locator("html").evaluate("(html, d) => window.dispatchEvent(new CustomEvent('healthkit:answer', {detail: d}))", detail)
    frame.locator("html").evaluate(
        "(html, d) => window.dispatchEvent(new CustomEvent('healthkit:answer', {detail: d}))",
        {**detail, "selected": [0, 1], "correct": True, "attempt": 2},
    )
    frame.locator("html").evaluate(
        "(html, d) => window.dispatchEvent(new CustomEvent('healthkit:answer', {detail: d}))",
        {**detail, "question": "most-common-cause", "selected": [0], "correct": True, "revealed": True},
    )
    frame.locator("html").evaluate(
        "(html, d) => window.dispatchEvent(new CustomEvent('healthkit:answer', {detail: d}))",
        {**detail, "question": "gen-triage", "kind": "triage", "selected": [0, 5], "pairs": [[0, 0], [1, 1]], "correct": True},
    )
    cmi = platform.wait_for(lambda cmi: len(cmi["interactions"]) == 4)
    first, second, shown = cmi["interactions"]["0"], cmi["interactions"]["1"], cmi["interactions"]["2"]
    sorting = cmi["interactions"]["3"]
    assert sorting["type"] == "matching"
    if standard == "1.2":
        assert sorting["student_response"] == "1.a,2.b"
    else:
        assert sorting["learner_response"] == "sign1[.]place1[,]sign2[.]place2"
    assert first["id"] == second["id"] == "back-spasms-causes.spine-causes"
    assert shown["result"] == "neutral"  # right after "Show answer": not counted as known
    assert first["type"] == "choice"
    if standard == "1.2":
        assert (first["student_response"], first["result"], second["student_response"], second["result"]) == ("a,c", "wrong", "a,b", "correct")
        assert re.fullmatch(r"\d{2}:\d{2}:\d{2}", first["time"])
    else:
        assert (first["learner_response"], first["result"], second["learner_response"], second["result"]) == ("a[,]c", "incorrect", "a[,]b", "correct")
        assert first["description"] == detail["prompt"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", first["timestamp"])
    assert cmi["suspend_data"].startswith("hk2,4")  # the count travels with the answers
    assert session.errors == []
    session.close()


@pytest.mark.browser
@pytest.mark.slow
def test_answers_that_do_not_fit_are_dropped_whole_and_the_learner_is_told(packages: dict[str, bytes], browser: Any) -> None:
    files = unzip(packages["1.2"])
    html = files[PAGE].decode()
    limit = 30  # room for the first quiz's answers only
    files[PAGE] = html.replace('"limit":4096', f'"limit":{limit}').encode()  # data, not code: the hash still holds
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    lms = Lms(buffer.getvalue(), "1.2")
    try:
        session = Session(browser, lms)
        frame = session.launch(PAGE)
        every = questions(packages, "1.2")
        quizzes = list(dict.fromkeys(q for q, _ in every))
        answered = [(q, x) for q, x in every if q in quizzes[:2]]
        for quiz, question in answered:
            answer(frame, quiz, question)
        cmi = lms.wait_for(lambda cmi: raw(cmi, "1.2") == str(round(100 * len(answered) / len(every), 2)))  # the score counts both
        assert 0 < len(cmi["suspend_data"]) <= limit
        assert cmi["suspend_data"].count("|") == 1  # one whole quiz, not half of the second
        assert "only part of your answers" in frame.locator(".hk-scorm-note").inner_text()
        assert session.errors == []
        session.close()
    finally:
        lms.close()


@pytest.mark.browser
@pytest.mark.slow
def test_without_a_platform_the_page_works_as_before(packages: dict[str, bytes], browser: Any, tmp_path: Path) -> None:
    for name, data in unzip(packages["2004"]).items():
        (tmp_path / name).write_bytes(data)
    context = browser.new_context()
    requests: list[str] = []
    errors: list[str] = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "blob:", "data:")) else (requests.append(route.request.url), route.abort()))
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto((tmp_path / PAGE).as_uri())
    page.wait_for_selector("html[data-hk-ready='true']")
    assert page.evaluate("() => globalThis.healthkitProgressStore") is None
    quiz, question = questions(packages, "2004")[0]
    answer(page, quiz, question)
    stored = json.loads(page.evaluate("() => localStorage.getItem('healthkit.progress.v2')"))
    assert stored[LESSON]["quizzes"][quiz]["responses"][question["id"]]["correct"] is True
    assert requests == [] and errors == []
    context.close()
