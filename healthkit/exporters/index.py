"""The course index page: every lesson, with progress kept in the browser only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..lesson.render import esc
from ..registry import EDITIONS_SPEC
from .page import asset, content_security_policy, json_for_script


@dataclass(frozen=True)
class IndexEntry:
    id: str
    title: str
    tagline: str
    href: str
    minutes: int
    grade: float
    updated: dt.date
    #: The clinical review sentence (pending notice, or who reviewed it and when).
    review: str


PROGRESS_JS = """
const lessons = JSON.parse(document.getElementById("hk-lessons").textContent);
const [STORE, ...OTHER_STORES] = JSON.parse(document.getElementById("hk-stores").textContent);
function load() { try { return JSON.parse(localStorage.getItem(STORE) || "{}"); } catch { return {}; } }
function show() {
  const all = load();
  for (const id of lessons) {
    const out = document.querySelector(`[data-progress="${id}"]`);
    const quizzes = Object.values((all[id] || {}).quizzes || {});
    const responses = quizzes.flatMap((q) => Object.values(q.responses || {})).filter((r) => r && Array.isArray(r.selected));
    if (!responses.length) { out.textContent = "Not started yet."; continue; }
    // Older records have no first_try: their one check was the first try.
    const first = responses.filter((r) => (typeof r.first_try === "boolean" ? r.first_try : Boolean(r.correct))).length;
    out.textContent = `Your progress: ${first} of ${responses.length} answered questions right first time.`;
  }
}
document.getElementById("hk-forget").addEventListener("click", () => {
  try { for (const key of [STORE, ...OTHER_STORES]) localStorage.removeItem(key); } catch {}
  show();
  document.getElementById("hk-forget-status").textContent = "Your saved answers were removed from this browser.";
});
window.addEventListener("storage", show);
show();
"""


def _stores() -> list[str]:
    """The learner store (whose progress the index shows) first, then every other edition's."""
    learner = EDITIONS_SPEC["learner"].progress_store
    return [learner, *(e.progress_store for e in EDITIONS_SPEC.values() if e.progress_store != learner)]


def render_index(entries: list[IndexEntry], title: str = "Health lessons", zip_href: str | None = "lessons.zip") -> str:
    """The index page HTML; progress is read from localStorage by a hashed inline script."""
    css = asset("page.css")
    csp = content_security_policy([PROGRESS_JS], [css])
    items = []
    for e in entries:
        items.append(
            "<li>"
            f'<h2><a href="{esc(e.href)}">{esc(e.title)}</a></h2>'
            f"<p>{esc(e.tagline)}</p>"
            f"<p>About {e.minutes} min to read · Reading grade {e.grade:g} · Updated {e.updated.isoformat()}</p>"
            f'<p class="hk-review">{esc(e.review)}</p>'
            f'<p class="hk-progress" data-progress="{esc(e.id)}" aria-live="polite">Not started yet.</p>'
            "</li>"
        )
    download = (
        f'<p><a href="{esc(zip_href)}" download>Download the lesson notebooks</a> (for JupyterLab, with what installs them).</p>'
        if zip_href
        else ""
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n"
        '<a class="skip" href="#main">Skip to the lessons</a>\n'
        f'<main id="main">\n<h1>{esc(title)}</h1>\n'
        f"<p>{len(entries)} lesson{'s' if len(entries) != 1 else ''}. Each page works offline.</p>\n"
        f"{download}\n"
        f'<ul class="hk-index-list">{"".join(items)}</ul>\n'
        '<section aria-labelledby="privacy-title"><h2 id="privacy-title">Your privacy</h2>\n'
        "<p>Quiz scores are saved only in this browser on this device (local storage). "
        "Nothing leaves your device: these pages make no network requests. "
        "Progress counts the questions you got right on your first try.</p>\n"
        '<button type="button" class="hk-forget" id="hk-forget">Forget my answers</button>\n'
        '<p id="hk-forget-status" role="status" aria-live="polite"></p></section>\n'
        "</main>\n"
        f'<script type="application/json" id="hk-lessons">{json_for_script([e.id for e in entries])}</script>\n'
        f'<script type="application/json" id="hk-stores">{json_for_script(_stores())}</script>\n'
        f'<script type="module">{PROGRESS_JS}</script>\n</body>\n</html>\n'
    )
