"""Project contracts: dependency lists agree, and the README's commands are the real ones."""

from __future__ import annotations

import re
import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from ruamel.yaml import YAML

from .conftest import ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject() -> dict:  # type: ignore[type-arg]
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def runtime_dependencies() -> dict[str, str]:
    """pyproject.toml's dependencies with the "build" and "lab" extras: {name: requirement}."""
    project = _pyproject()["project"]
    extras = project["optional-dependencies"]
    listed = project["dependencies"] + extras["build"] + extras["lab"]
    return {_name(r): r.replace(" ", "") for r in listed if _name(r) != project["name"]}


def conda_dependencies(path: str) -> dict[str, str]:
    env = YAML(typ="safe").load((ROOT / path).read_text())
    assert env["channels"] == ["conda-forge"]
    return {_name(d): d.replace(" ", "") for d in env["dependencies"] if isinstance(d, str) and not d.startswith(("python", "pip"))}


def test_environment_yml_matches_pyproject_runtime_dependencies() -> None:
    assert conda_dependencies("environment.yml") == runtime_dependencies(), "environment.yml and pyproject.toml list different dependencies"


def test_the_core_install_stays_light() -> None:
    """check, schema, import and export-quiz need no Jupyter at all (content CI installs only these)."""
    core = {_name(r) for r in _pyproject()["project"]["dependencies"]}
    assert core == {"htmldate", "lxml", "lxml-html-clean", "mammoth", "pyphen", "ruamel.yaml", "ruamel.yaml.clib", "trafilatura"}
    assert not core & {"jupyterlab", "nbconvert", "papermill", "ipykernel", "notebook"}


#: An instruction to install PyPI's "healthkit", another project (ours is healthkit-lessons),
#: wherever the name ends: at a space, a quote or the end of the line.
OTHER_HEALTHKIT = re.compile(r"pip3? install\s+(?:-{1,2}[\w-]+\s+)*[\"']?healthkit(?![\w-])")


def test_no_instruction_installs_the_other_healthkit_from_pypi() -> None:
    """PyPI's "healthkit" is another project; ours is healthkit-lessons."""
    wrong = OTHER_HEALTHKIT
    files = [ROOT / "README.md", *(ROOT / "docs").rglob("*.md"), *(ROOT / "healthkit").rglob("*.py"),
             *(ROOT / "scripts").iterdir(), *(ROOT / "binder").glob("*"), ROOT / "environment.yml"]
    offenders = [str(p.relative_to(ROOT)) for p in files if p.is_file() and wrong.search(p.read_text(errors="replace"))]
    assert offenders == []
    other = "pip install " + "healthkit"  # written in two parts, so no file of the project holds it
    assert wrong.search(f"run: {other} jupyterlab") and not wrong.search('pip install "healthkit-lessons[lab]"')
    assert wrong.search(f"then run:\n  {other}\n") and not wrong.search(f"{other}_tools")


#: An install of our distribution from a package index, which does not have it.
UNPUBLISHED = re.compile(r"pip3? install\s+(?:-{1,2}[\w-]+\s+)*[\"']?healthkit-lessons(?![\w-])")


def test_no_instruction_installs_healthkit_lessons_from_an_index() -> None:
    """healthkit-lessons is not published: every install line names a clone, a wheel or a
    bundle's requirements, and the hint for a missing extra names packages an index has."""
    from healthkit.distribution import install_hint

    files = [ROOT / "README.md", *(ROOT / "docs").rglob("*.md"), *(ROOT / "healthkit").rglob("*.py"),
             *(ROOT / "scripts").iterdir(), *(ROOT / "binder").glob("*"), ROOT / "environment.yml"]
    offenders = [str(p.relative_to(ROOT)) for p in files if p.is_file() and UNPUBLISHED.search(p.read_text(errors="replace"))]
    assert offenders == []
    assert UNPUBLISHED.search('pip install "healthkit-lessons[lab]"') and not UNPUBLISHED.search('pip install ".[lab]"')
    for extra in ("build", "lab"):
        assert not UNPUBLISHED.search(install_hint(extra)) and "nbconvert" in install_hint(extra)


def test_readme_quickstart_has_the_two_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text()
    quickstart = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^```(?:bash|sh)\n(.*?)^```", quickstart, flags=re.S | re.M)
    lines = [line for block in commands for line in block.splitlines() if line and not line.startswith("#")]
    assert lines == ["scripts/build-lessons", "scripts/run-tests"]
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert ci[-1].strip() == "scripts/run-tests"
    for line in lines:
        assert (ROOT / line).stat().st_mode & 0o111, f"{line} is not executable"


def test_the_command_line_starts_without_heavy_imports() -> None:
    """`healthkit --help` and `check` stay fast, and need nothing an install might lack."""
    import subprocess

    code = "import sys, healthkit.cli; print(' '.join(sorted(m for m in ('lxml', 'nbformat', 'nbconvert', 'papermill', 'pyphen', 'tqdm') if m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_the_modules_checked_for_each_extra_are_the_extra() -> None:
    """`healthkit build` names the missing extra by checking these modules; they must be its packages."""
    from healthkit.distribution import DISTRIBUTION, EXTRA_MODULES

    project = _pyproject()["project"]
    assert project["name"] == DISTRIBUTION
    for extra, modules in EXTRA_MODULES.items():
        packages = {_name(r) for r in project["optional-dependencies"][extra] if _name(r) != DISTRIBUTION}
        assert set(modules) == packages, extra


def test_update_screenshots_retakes_every_image_in_docs_img() -> None:
    """Each docs/img picture is saved by a test (save_screenshot) that the script runs."""
    script = (ROOT / "scripts" / "update-screenshots").read_text()
    run = set(re.findall(r"tests/(test_\w+\.py)::(\w+)", script))
    for image in sorted((ROOT / "docs" / "img").glob("*.png")):
        takers = [
            (path.name, test)
            for path in (ROOT / "tests").glob("test_*.py")
            for test, body in re.findall(r"\ndef (test_\w+)\((.*?)(?=\ndef |\Z)", path.read_text(), re.S)
            if re.search(rf"save_screenshot\([^)]*[\"']{re.escape(image.name)}[\"']", body)
        ]
        assert takers and set(takers) <= run, f"{image.name}: taken by {takers}, the script runs {sorted(run)}"


def test_tests_write_nothing_into_the_checkout() -> None:
    """Measurements and screenshots go where an environment variable says, never into the checkout."""
    for path in (ROOT / "tests").glob("*.py"):
        text = path.read_text()
        assert not re.search(r"ROOT\s*/\s*[\"']build[\"']", text), path.name
