"""Binder launches the repository: repo2docker's configuration, checked statically.

repo2docker reads only ``binder/`` when it exists: ``environment.yml`` (conda) and then
``postBuild``, run in the repository folder. These tests check that the environment is
healthkit's own dependency set, that ``postBuild`` installs this checkout and builds the
lessons with commands the CLI accepts, and that the README's Binder link opens a folder the
build writes. (Running repo2docker needs Docker and the network, so it is not run here.)
"""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from ruamel.yaml import YAML

from healthkit.app.build import BuildOptions
from healthkit.cli import make_parser

from .conftest import ROOT
from .test_project import conda_dependencies, runtime_dependencies

BINDER = ROOT / "binder"
#: Files that would make repo2docker use another build pack, or change this one.
OTHER_CONFIG = ("Dockerfile", "requirements.txt", "Pipfile", "setup.py", "install.R", "apt.txt", "runtime.txt", "project.toml")


def _commands() -> list[list[str]]:
    lines = (BINDER / "postBuild").read_text().splitlines()
    return [shlex.split(line) for line in lines if line.strip() and not line.lstrip().startswith(("#", "set "))]


def test_binder_folder_holds_only_the_conda_configuration() -> None:
    assert (BINDER / "environment.yml").is_file() and (BINDER / "postBuild").is_file()
    assert not [name for name in OTHER_CONFIG if (BINDER / name).exists()]


def test_binder_environment_is_healthkits_dependency_set() -> None:
    assert conda_dependencies("binder/environment.yml") == runtime_dependencies()
    env = YAML(typ="safe").load((BINDER / "environment.yml").read_text())
    (python,) = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert re.fullmatch(r"python=3\.1[0-3]", python), python  # a supported Python, pinned
    assert not [d for d in env["dependencies"] if isinstance(d, dict)]  # healthkit itself comes from postBuild


def test_post_build_installs_this_checkout_then_builds_the_lessons() -> None:
    script = BINDER / "postBuild"
    assert script.stat().st_mode & 0o111, "postBuild must be executable"
    text = script.read_text()
    assert text.startswith("#!/bin/bash\n") and "set -euo pipefail" in text
    subprocess.run(["bash", "-n", str(script)], check=True)
    install, build = _commands()
    assert install[:4] == ["python", "-m", "pip", "install"] and install[-1] == "." and "--no-deps" in install
    assert build[0] == "healthkit"
    args = make_parser().parse_args(build[1:])
    assert args.command == "build" and not args.ids  # every lesson


def test_readme_binder_link_opens_a_folder_the_build_writes() -> None:
    readme = (ROOT / "README.md").read_text()
    links = re.findall(r"https://mybinder\.org/v2/gh/[^\s)`]+", readme)
    assert links, "the README has no Binder link"
    build = _commands()[-1]
    args = make_parser().parse_args(build[1:])
    lessons = BuildOptions(content_dir=args.content, out_dir=args.out).lesson_dir("learner")
    for link in links:
        url = urlparse(link)
        assert url.path.endswith("/HEAD")
        (urlpath,) = parse_qs(url.query)["urlpath"]
        assert urlpath.startswith("lab/tree/")
        assert Path(urlpath.removeprefix("lab/tree/")) == lessons
