"""The welcome page of a Lite site (``README.md``, opened first): how to start, and the lessons."""

from __future__ import annotations

from dataclasses import dataclass

from ..registry import EDITIONS_SPEC

#: The page JupyterLab shows when the site opens (``lab/index.html?path=...``).
WELCOME = "README.md"


@dataclass(frozen=True)
class WelcomeEntry:
    id: str
    title: str
    tagline: str
    minutes: int
    grade: float
    review: str


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def welcome_markdown(title: str, entries: list[WelcomeEntry], editions: tuple[str, ...]) -> str:
    """README.md for the site's file browser; links open the notebooks in JupyterLab."""
    learner = EDITIONS_SPEC["learner"].lesson_folder
    rows = "\n".join(
        f"| [{_cell(e.title)}]({learner}/{e.id}.ipynb) | {_cell(e.tagline)} | {e.minutes} min | {e.grade:.0f} |"
        for e in entries
    )
    lessons = (
        "| Lesson | What it covers | Reading time | Reading grade |\n| --- | --- | --- | --- |\n" + rows
        if "learner" in editions
        else "\n".join(f"- {_cell(e.title)}: {_cell(e.tagline)}" for e in entries)
    )
    reviews = "\n".join(f"- **{_cell(e.title)}**: {_cell(e.review)}" for e in entries)
    teacher = ""
    if "teacher" in editions:
        folder = EDITIONS_SPEC["teacher"].lesson_folder
        teacher = (
            f"\n## For the facilitator\n\n`{folder}/` holds the teacher edition: the same lessons with "
            "answer keys, facilitator notes and a printable answer sheet.\n"
        )
    return f"""# {title}

Interactive lessons that run entirely in this web browser: nothing to install, and nothing
you type or answer leaves this computer.

## How to start

1. Open a lesson below (or in the `{learner}/` folder on the left).
2. Choose **Run ▸ Run All Cells**. The first run takes a little while: Python is starting
   inside the browser. Later runs are quicker.
3. Answer the quizzes. Each one checks your answers, explains every choice and keeps a score.
   The score summary near the end adds them up.

Python runs inside this browser, so nothing you type or answer is sent anywhere. Notebooks
you change are saved in this browser's storage for this site; quiz answers last until you
reload or close the lesson.

## Lessons

{lessons}
{teacher}
## About the content

{reviews}

This material is for learning only. It is not medical advice.

## For whoever runs the site

This folder is a static website. Browsers do not run it from `file://` links: serve it over
HTTP, for example with `healthkit lite --serve --no-build -o DIR` or `python -m http.server
-d DIR --bind 127.0.0.1`, then open the address it prints. Everything it needs is inside the folder,
so it works without an internet connection. `content/` holds the condition files the lessons
read, and `site/` the same lessons as plain web pages.
"""
