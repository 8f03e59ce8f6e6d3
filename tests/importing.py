"""How well ``healthkit import`` reads articles in publishers' layouts, measured against the
truth file written beside each test article (``tests/fixtures/publishers/*.truth.yaml``).

Run as a script for the figures of every article of a set: ``python -m tests.importing
[--first|--second|--third|--fourth|--fifth] [-v]`` (``-v``: every miss).
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from healthkit.content import check_text
from healthkit.content.lint import normalise
from healthkit.importer import ArticleError, import_article
from healthkit.model import SECTION_NAMES, Condition
from healthkit.registry import SAFETY_TIERS

PUBLISHERS = Path(__file__).parent / "fixtures" / "publishers"
#: The day the drafts are made on, so a page's dates are never "in the future".
DAY = dt.date(2026, 12, 7)


#: Articles written after the importer's first round by writers who never saw it, measured
#: once then (docs/importer.md has those figures), and read by the second round.
SECOND = PUBLISHERS / "second"
#: Articles written after the second round by writers who never saw the importer, measured
#: once then, and read by the third round.
THIRD = PUBLISHERS / "third"
#: Articles written after the third round (in eleven layouts the earlier sets do not have) by
#: writers who never saw the importer, measured once then, and read by the fourth round.
FOURTH = PUBLISHERS / "fourth"
#: Articles written after the fourth round (in thirteen more layouts) by writers who never saw
#: the importer, measured once then.
FIFTH = PUBLISHERS / "fifth"
SETS = {"first": PUBLISHERS, "second": SECOND, "third": THIRD, "fourth": FOURTH, "fifth": FIFTH}


def articles(folder: Path = PUBLISHERS) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".html", ".md", ".txt", ".docx"))


def truth(article: Path) -> dict[str, Any]:
    data = YAML(typ="safe", pure=True).load(article.with_name(article.name.split(".")[0] + ".truth.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@dataclass
class Score:
    article: str
    imported: bool = False
    error: str = ""
    check_errors: list[str] = field(default_factory=list)
    title: tuple[str, str] = ("", "")
    dates: dict[str, tuple[object, object]] = field(default_factory=dict)
    items: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (phrase, expected, found in)
    signs: list[tuple[str, str, list[str]]] = field(default_factory=list)
    faq: list[tuple[str, bool]] = field(default_factory=list)
    leaked: list[str] = field(default_factory=list)

    @staticmethod
    def _right(rows: list[tuple[str, str, list[str]]]) -> int:
        return sum(found == [expected] for _, expected, found in rows)

    @property
    def items_right(self) -> int:
        return self._right(self.items)

    @property
    def signs_right(self) -> int:
        return self._right(self.signs)

    @property
    def title_right(self) -> bool:
        return normalise(self.title[0]) == normalise(self.title[1])

    @property
    def dates_right(self) -> bool:
        return all(got == want for want, got in self.dates.values())


def _where(phrase: str, places: dict[str, list[str]]) -> list[str]:
    key = normalise(phrase)
    return [name for name, texts in places.items() if any(key in normalise(t) for t in texts)]


def score(article: Path) -> Score:
    expected = truth(article)
    result = Score(article.name)
    try:
        condition, _, text = import_article(article, today=DAY)
    except ArticleError as exc:
        result.error = str(exc)
        return result
    result.imported = True
    checked = check_text(text, f"{condition.id}.yaml", today=DAY)
    result.check_errors = [d.format() for d in checked.diagnostics if d.severity == "error"]
    result.title = (expected["title"], condition.title)
    source = condition.sources[0]
    for name in ("published", "reviewed"):
        if expected.get(name):
            result.dates[name] = (expected[name], _date_read(expected[name], getattr(source, name), text))
    result.items = _placed(expected.get("sections") or {}, _sections(condition))
    result.signs = _placed(expected.get("safety") or {}, _tiers(condition))
    questions = [normalise(f.question) for f in condition.faq]
    result.faq = [(q, any(normalise(q) in have or have in normalise(q) for have in questions if have)) for q in expected.get("faq") or []]
    result.leaked = [b for b in expected.get("boilerplate") or [] if _holds(text, b)]
    return result


def _date_read(want: object, got: dt.date | None, text: str) -> object:
    """The date as the import gave it. A page that shows only a month ("Last reviewed: August
    2024", written "2024-08" in a truth file) is read right when the draft makes up no day for
    it and tells the author which month the page shows."""
    if not (isinstance(want, str) and len(want) == 7):
        return got
    month = dt.date(int(want[:4]), int(want[5:]), 1).strftime("%B %Y")
    return want if got is None and month.lower() in text.lower() else got


def _holds(text: str, phrase: str) -> bool:
    """Whether ``text`` holds ``phrase``: as written (any case), or word for word."""
    words = normalise(phrase)
    return phrase.lower() in text.lower() or (len(words.split()) >= 2 and f" {words} " in f" {normalise(text)} ")


def _sections(condition: Condition) -> dict[str, list[str]]:
    return {s: [f"{i.name} {i.description}" for i in condition.sections.get(s).items] for s in SECTION_NAMES}


def _tiers(condition: Condition) -> dict[str, list[str]]:
    safety = condition.safety
    return {t: list(getattr(safety, t)) if safety else [] for t in SAFETY_TIERS}


def _placed(expected: dict[str, list[str]], places: dict[str, list[str]]) -> list[tuple[str, str, list[str]]]:
    return [(phrase, where, _where(phrase, places)) for where, phrases in expected.items() for phrase in phrases or []]


@dataclass
class Totals:
    scores: list[Score]

    def _ratio(self, right: int, total: int) -> float:
        return right / total if total else 1.0

    @property
    def imported(self) -> int:
        return sum(s.imported and not s.check_errors for s in self.scores)

    @property
    def items(self) -> float:
        return self._ratio(sum(s.items_right for s in self.scores), sum(len(s.items) for s in self.scores))

    @property
    def signs(self) -> float:
        return self._ratio(sum(s.signs_right for s in self.scores), sum(len(s.signs) for s in self.scores))

    @property
    def faq(self) -> float:
        return self._ratio(sum(ok for s in self.scores for _, ok in s.faq), sum(len(s.faq) for s in self.scores))

    @property
    def leaked(self) -> list[str]:
        return [f"{s.article}: {b}" for s in self.scores for b in s.leaked]

    @property
    def titles(self) -> list[str]:
        return [f"{s.article}: {s.title[1]!r} (want {s.title[0]!r})" for s in self.scores if s.imported and not s.title_right]

    @property
    def dates(self) -> list[str]:
        return [f"{s.article}: {name} {got} (want {want})" for s in self.scores for name, (want, got) in s.dates.items() if got != want]

    def lines(self) -> list[str]:
        n = len(self.scores)
        return [
            f"articles imported as drafts with no check errors: {self.imported} of {n}",
            f"list items in the right section: {self.items:.0%} ({sum(s.items_right for s in self.scores)} of {sum(len(s.items) for s in self.scores)})",
            f"warning signs in the right tier: {self.signs:.0%} ({sum(s.signs_right for s in self.scores)} of {sum(len(s.signs) for s in self.scores)})",
            f"Q&A questions found: {self.faq:.0%} ({sum(ok for s in self.scores for _, ok in s.faq)} of {sum(len(s.faq) for s in self.scores)})",
            f"boilerplate strings leaked: {len(self.leaked)} of {sum(len(truth_boilerplate(s)) for s in self.scores)}",
            f"titles right: {sum(s.title_right for s in self.scores if s.imported)} of {n}",
            f"dates right: {sum(s.dates_right for s in self.scores if s.dates)} of {sum(bool(s.dates) for s in self.scores)} articles that show one",
        ]


def truth_boilerplate(s: Score) -> list[str]:
    path = next(folder / s.article for folder in SETS.values() if (folder / s.article).exists())
    return list(truth(path).get("boilerplate") or [])


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    folder = next((SETS[a.lstrip("-")] for a in argv if a.lstrip("-") in SETS), PUBLISHERS)
    scores = [score(a) for a in articles(folder)]
    for s in scores:
        print(f"{s.article}: {'imported' if s.imported else s.error} items {s.items_right}/{len(s.items)} signs {s.signs_right}/{len(s.signs)} "
              f"faq {sum(ok for _, ok in s.faq)}/{len(s.faq)} leaked {len(s.leaked)} title {s.title[1]!r} {'ok' if s.title_right else 'WRONG'} "
              f"dates {'ok' if s.dates_right else s.dates}")
        if verbose:
            for phrase, want, found in s.items + s.signs:
                if found != [want]:
                    print(f"    {phrase!r}: want {want}, found in {found}")
            for q, ok in s.faq:
                if not ok:
                    print(f"    faq missing: {q!r}")
            for b in s.leaked:
                print(f"    leaked: {b!r}")
            for e in s.check_errors:
                print(f"    check: {e}")
    totals = Totals(scores)
    print("\n".join(totals.lines()))
    for line in totals.titles + totals.dates + totals.leaked:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
