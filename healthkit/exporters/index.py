"""The course index page: every lesson, with progress kept in the browser only.

Progress counts only saved answers that still fit the lessons as built: each entry carries,
for every quiz of the lesson, the :func:`~healthkit.quiz.model.fit` of each question it shows
(read from the lesson's notebook by :func:`quiz_fits`), and a saved answer is counted only
when its question is there with that fit, as the lesson page itself would restore it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..lesson.render import esc
from ..quiz.model import fit
from ..registry import DEFAULT_COURSE_TITLE, EDITIONS_SPEC, SITE_EDITION
from .page import asset, collect_widgets, content_security_policy, json_for_script

#: The language of the index's own words; each lesson card carries its lesson's language.
PAGE_LANGUAGE = "en"


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
    #: The lesson's language tag (its title and tagline are in it).
    language: str = PAGE_LANGUAGE
    #: Quiz id -> question id -> "fit:key" (its fit and the indexes of its right options), for
    #: every question the lesson shows (see :func:`quiz_fits`).
    quizzes: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def quiz_fits(metadata: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """Quiz id -> question id -> "fit:key" (the indexes of its right options, in display order,
    joined by "."), for every quiz a lesson notebook (its ``metadata``) shows: the index counts a
    saved answer right only when it is the key."""
    out: dict[str, dict[str, str]] = {}
    for model in collect_widgets(dict(metadata))["models"].values():
        quiz = model["state"].get("quiz")
        if isinstance(quiz, dict) and isinstance(quiz.get("id"), str):
            out[quiz["id"]] = {
                str(q["id"]): fit([(str(c["text"]), bool(c["correct"])) for c in q.get("choices", [])])
                + ":" + ".".join(str(i) for i, c in enumerate(q.get("choices", [])) if c.get("correct"))
                for q in quiz.get("questions", [])
            }
    return out


PROGRESS_JS = """
const lessons = JSON.parse(document.getElementById("hk-lessons").textContent);
const [STORE, ...OTHER_STORES] = JSON.parse(document.getElementById("hk-stores").textContent);
function load() { try { return JSON.parse(localStorage.getItem(STORE) || "{}"); } catch { return {}; } }
const own = (object, key) => (object && typeof object === "object" && Object.hasOwn(object, key) ? object[key] : undefined);
function show() {
  const all = load();
  for (const [id, quizzes] of lessons) {
    const out = document.querySelector(`[data-progress="${id}"]`);
    const saved = own(own(all, id), "quizzes");
    let answered = 0;
    let first = 0;
    // Only answers that still fit a question the lesson shows, as the lesson restores them.
    for (const [quiz, questions] of Object.entries(quizzes)) {
      const responses = own(own(saved, quiz), "responses");
      for (const [question, shown] of Object.entries(questions)) {
        const [fit, key] = shown.split(":");
        const r = own(responses, question);
        if (!r || r.fit !== fit || !Array.isArray(r.selected) || !r.selected.length) continue;
        answered += 1;
        // right first time only if the saved choice is the lesson's key: a saved flag alone never counts
        const chosen = [...new Set(r.selected)].sort((a, b) => a - b).join(".");
        if (r.first_try === true && chosen === key && (r.attempts === undefined || r.attempts === 1)) first += 1;
      }
    }
    out.textContent = answered ? `Your progress: ${first} of ${answered} answered questions right first time.` : "Not started yet.";
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
    """The site edition's store (whose progress the index shows) first, then every other
    edition's, then the keys earlier versions used: "Forget my answers" removes them all."""
    site = EDITIONS_SPEC[SITE_EDITION].progress_store
    stores = [site, *(e.progress_store for e in EDITIONS_SPEC.values())]
    stores += [key for e in EDITIONS_SPEC.values() for key in e.retired_stores]
    return list(dict.fromkeys(stores))


def page_language(entries: list[IndexEntry]) -> str:
    """The lessons' shared language when it is a form of the page's own (en-GB), else the page's."""
    languages = {e.language for e in entries}
    if len(languages) == 1:
        (only,) = languages
        if only.split("-")[0].casefold() == PAGE_LANGUAGE:
            return only
    return PAGE_LANGUAGE


def render_index(entries: list[IndexEntry], title: str = DEFAULT_COURSE_TITLE, zip_href: str | None = "lessons.zip") -> str:
    """The index page HTML; progress is read from localStorage by a hashed inline script."""
    css = asset("page.css")
    csp = content_security_policy([PROGRESS_JS], [css], modules=False)
    language = page_language(entries)
    items = []
    for e in entries:
        lang = f' lang="{esc(e.language)}"' if e.language != language else ""
        items.append(
            f"<li{lang}>"
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
        f'<!DOCTYPE html>\n<html lang="{esc(language)}">\n<head>\n<meta charset="utf-8">\n'
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
        f'<script type="application/json" id="hk-lessons">{json_for_script([[e.id, e.quizzes] for e in entries])}</script>\n'
        f'<script type="application/json" id="hk-stores">{json_for_script(_stores())}</script>\n'
        f'<script type="module">{PROGRESS_JS}</script>\n</body>\n</html>\n'
    )
