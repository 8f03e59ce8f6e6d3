"""The install files every bundle carries, so its notebooks run outside any checkout.

``lessons.zip`` and the workshop folder hold, next to their notebooks: the healthkit wheel
that built them, ``requirements.txt`` (pip) and ``environment.yml`` (conda, and Binder) that
install that wheel from the bundle and everything else (JupyterLab included) from the
package index, and README steps that use them. The bundles' lists of files
(:func:`healthkit.app.site.lessons_zip_files`, :func:`healthkit.app.workshop.pack_files`)
take them from here. Nothing here reads the current folder.
"""

from __future__ import annotations

from pathlib import Path

from .. import __version__
from ..distribution import DISTRIBUTION, requirement, runtime_requirements, wheel
from ..io import write_bytes_atomic
from .bundle import BundleFile

#: The conda environment the bundle's environment.yml creates.
ENVIRONMENT_NAME = DISTRIBUTION


def healthkit_requirement() -> str:
    """The line that installs healthkit: the bundled wheel, or the index when there is none."""
    built = wheel()
    if built is None:  # running from a source folder that was never installed
        return f"{requirement('lab')}=={__version__}"
    return f"./{built.filename}[lab]"


def requirements_txt() -> str:
    return (
        "# Installs what these lessons need: healthkit from the wheel in this folder, and\n"
        "# JupyterLab and the other dependencies from the package index. In this folder run:\n"
        "#   pip install -r requirements.txt\n"
        f"{healthkit_requirement()}\n"
    )


def environment_yml() -> str:
    conda = "".join(f"  - {spec}\n" for spec in runtime_requirements())
    return (
        "# conda env create -f environment.yml (in this folder), then: conda activate "
        f"{ENVIRONMENT_NAME}\n"
        "# Binder reads this file too. healthkit comes from the wheel in this folder.\n"
        f"name: {ENVIRONMENT_NAME}\n"
        "channels:\n"
        "  - conda-forge\n"
        "dependencies:\n"
        "  - python>=3.10\n"
        "  - pip\n"
        f"{conda}"
        "  - pip:\n"
        f"      - {healthkit_requirement()}\n"
    )


def install_files() -> dict[str, bytes]:
    """``{file name: bytes}``: the wheel (when healthkit is installed) and both environment files."""
    files: dict[str, bytes] = {}
    built = wheel()
    if built is not None:
        files[built.filename] = built.data
    files["requirements.txt"] = requirements_txt().encode("utf-8")
    files["environment.yml"] = environment_yml().encode("utf-8")
    return files


def install_entries(folder: str) -> list[BundleFile]:
    """:func:`install_files` as bundle entries inside ``folder`` (e.g. ``healthkit-lessons``)."""
    return [BundleFile(f"{folder}/{name}", data=data) for name, data in install_files().items()]


def write_install_files(folder: Path) -> list[Path]:
    """Write :func:`install_files` into ``folder``; returns the paths written."""
    written = []
    for name, data in install_files().items():
        write_bytes_atomic(folder / name, data)
        written.append(folder / name)
    return written


def install_steps(notebooks: str) -> str:
    """README steps (Markdown that reads as plain text) to install and open the lessons.

    ``notebooks`` is the folder of the notebooks inside the bundle, e.g. ``lessons``.
    """
    return f"""With Python 3.10 or newer, in this folder:

    python3 -m venv .venv
    . .venv/bin/activate            (on Windows: .venv\\Scripts\\activate)
    pip install -r requirements.txt
    jupyter lab

Or with conda:

    conda env create -f environment.yml
    conda activate {ENVIRONMENT_NAME}
    jupyter lab

Both install healthkit from the wheel in this folder (the version that built these
lessons) and JupyterLab from the package index. Then open a notebook in `{notebooks}/` and
choose Run > Run All Cells.
"""
