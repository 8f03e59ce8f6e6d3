"""Dates as pages show them: "05 March 2026", "March 5, 2026", "25th July 2015", "3/5/2025".

A line says which date it gives: "Page last reviewed: ...", "Review Date ...", "Medically
reviewed by ... on ..." give the page's review date; "Published ...", "Updated on ...",
"Last updated ...", "Date published: ..." give the date it was published or last changed.
"Next review due" and a leaflet's "Review date" in the future are neither: they say when the
page *will* be reviewed. A month without a day ("Last reviewed: March 2025") is reported,
never turned into a made-up day.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterable, Literal, Sequence

from .document import Metadata

DateRole = Literal["published", "updated", "reviewed"]

_MONTHS = {
    name: number
    for number, names in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
         ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
         ("november", "nov"), ("december", "dec")),
        1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_FORMS = (
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I),  # 5 March 2026, 25th July 2015
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I),  # March 5, 2026
    re.compile(rf"\b{_YEAR}-(?P<nmonth>\d\d)-(?P<nday>\d\d)\b"),  # 2026-03-05
    re.compile(r"\b(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>(?:19|20)\d\d)\b"),  # 3/5/2025 (US: month first)
)
_MONTH_ONLY = re.compile(rf"\b{_MONTH}\s+{_YEAR}\b", re.I)
#: A month and year in numbers ("Revised 08/2023", "Printed 11/2024"), not part of a full date.
_NUMERIC_MONTH = re.compile(r"(?<![\d/])(?P<nmonth>0?[1-9]|1[0-2])/(?P<year>(?:19|20)\d\d)\b")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")

_REVIEWED = re.compile(r"\b(last reviewed|page last reviewed|reviewed on|review date|reviewed:|medically reviewed|clinically reviewed|clinical review|date of review|current as of|reviewed)\b", re.I)
_PUBLISHED = re.compile(r"\b(published|posted|date of publication|written|issued|issue date|date of issue|produced|printed|created|sent|date)\b", re.I)
#: A date a page was changed on: its published date when it shows no other.
_UPDATED = re.compile(r"\b(updated|last updated|last update|last edited|edited|last modified|modified|revised|last revised)\b", re.I)
#: Regions whose pages write numeric dates day first (5/3/2025 is 5 March).
_DAY_FIRST_REGIONS = {"GB", "IE", "AU", "NZ", "IN", "ZA", "SG", "HK", "MY", "NG", "KE"}
_DAY_FIRST_WORDS = re.compile(r"\b(nhs|a&e|gp|999|111|000|colour|centre|paediatric|haemo\w*|oesophag\w*|anaemia|£)", re.I)
_MONTH_FIRST_WORDS = re.compile(r"\b(911|er|color|center|pediatric|hemo\w*|anemia|\$\d)", re.I)
_FUTURE = re.compile(r"\b(next review|review due|due for review|to be reviewed|review by)\b", re.I)
#: A line that says a date longer than this is not a date line but a sentence with a date in it.
MAX_DATE_LINE_WORDS = 24


def day_first(text: str, language: str = "") -> bool:
    """Whether numeric dates in ``text`` put the day first: from the page's language region
    ("en-GB": yes, "en-US": no), else from the words it uses (NHS, A&E, centre; 911, ER,
    center). Month first when nothing tells."""
    region = language.partition("-")[2].upper()
    if region:
        return region in _DAY_FIRST_REGIONS
    return len(_DAY_FIRST_WORDS.findall(text)) > len(_MONTH_FIRST_WORDS.findall(text))


def parse_date(text: str, first_is_day: bool = False) -> dt.date | None:
    """The first full date in ``text``, or None. Numeric dates are read month first (as the
    American publishers that print them mean) unless ``first_is_day`` or the first number
    cannot be a month."""
    found: list[tuple[int, dt.date]] = []
    for form in _FORMS:
        for m in form.finditer(text):
            day = _to_date(m, first_is_day)
            if day is not None:
                found.append((m.start(), day))
                break
    return min(found)[1] if found else None


def _to_date(m: re.Match[str], first_is_day: bool = False) -> dt.date | None:
    groups = m.groupdict()
    try:
        year = int(groups["year"])
        if groups.get("month"):
            return dt.date(year, _MONTHS[groups["month"].lower().rstrip(".")], int(groups["day"]))
        if groups.get("nmonth"):
            return dt.date(year, int(groups["nmonth"]), int(groups["nday"]))
        first, second = int(groups["a"]), int(groups["b"])
        month, day = (second, first) if first > 12 or (first_is_day and second <= 12) else (first, second)
        return dt.date(year, month, day)
    except (ValueError, KeyError):
        return None


def parse_iso(value: object) -> dt.date | None:
    """A date from metadata: "2026-03-05", "2026-03-05T10:00:00+00:00", or a visible form."""
    if not isinstance(value, str):
        return None
    m = re.match(r"\s*((?:19|20)\d\d)-(\d\d)-(\d\d)", value)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return parse_date(value)


def _dates_in(line: str, first_is_day: bool = False) -> list[tuple[int, dt.date | None, str]]:
    """(position, date or None for a month without a day, the text: the month named for a
    month without a day) of each date in ``line``."""
    found: list[tuple[int, dt.date | None, str]] = []
    taken: list[range] = []
    for form in _FORMS:
        for m in form.finditer(line):
            day = _to_date(m, first_is_day)
            if day is not None and not any(m.start() in r for r in taken):
                found.append((m.start(), day, m.group(0)))
                taken.append(range(m.start(), m.end()))
    for m in _MONTH_ONLY.finditer(line):
        if not any(m.start() in r or m.end() - 1 in r for r in taken):
            found.append((m.start(), None, m.group(0)))
            taken.append(range(m.start(), m.end()))
    for m in _NUMERIC_MONTH.finditer(line):
        if not any(m.start() in r or m.end() - 1 in r for r in taken):
            found.append((m.start(), None, f"{_MONTH_NAMES[int(m.group('nmonth')) - 1]} {m.group('year')}"))
    return sorted(found, key=lambda f: f[0])


def date_lines(lines: Iterable[str], first_is_day: bool = False) -> tuple[dict[DateRole, dt.date], list[str]]:
    """The published, updated and reviewed dates that date lines give, the first of each; and notes
    for the dates that could not be used. Each date is read by the words just before it:
    in "Page last reviewed: 5 March 2026 Next review due: 5 March 2029" the first is the
    review date and the second is not a date the page was reviewed."""
    found: dict[DateRole, dt.date] = {}
    notes: list[str] = []
    for line in lines:
        if len(line.split()) > MAX_DATE_LINE_WORDS:
            continue
        found_cues = [(m.span(), "future") for m in _FUTURE.finditer(line)]
        found_cues += [(m.span(), "reviewed") for m in _REVIEWED.finditer(line)]
        spans = [span for span, _ in found_cues]
        # "date" inside "Review date" or "Next review date" is that cue's, not a published date's
        found_cues += [(m.span(), "updated") for m in _UPDATED.finditer(line) if not any(a <= m.start() < b for a, b in spans)]
        spans = [span for span, _ in found_cues]
        found_cues += [(m.span(), "published") for m in _PUBLISHED.finditer(line) if not any(a <= m.start() < b for a, b in spans)]
        cues = sorted(((span[0], role) for span, role in found_cues), key=lambda c: (c[0], c[1] != "future"))
        dates = _dates_in(line, first_is_day)
        for position, day, text in dates:
            before = [c for c in cues if c[0] < position]
            if not before:
                # a line that is nothing but a full date ("Dec. 12, 2024") is the page's date
                if day is not None and len(dates) == 1 and len(line.strip(" .·|")) <= len(text) + 2 and "published" not in found:
                    found["published"] = day
                continue
            cue_at = max(c[0] for c in before)
            roles = {c[1] for c in before if c[0] >= cue_at - 12}
            role = "future" if "future" in roles else before[-1][1]
            if role == "future" or role in found:
                continue
            if role == "reviewed" and (day or dt.date(int(text[-4:]), 12, 28)) > dt.date.today():
                continue  # a leaflet's "Review date: January 2027" says when it will be reviewed
            if day is not None:
                found[role] = day  # type: ignore[index]
            else:
                field = "reviewed" if role == "reviewed" else "published"
                note = f"The page gives its {field} date as a month with no day ('{text}'): add the day by hand as '{field}' if you know it."
                if note not in notes:
                    notes.append(note)
    return found, notes


def shown_dates(lines: Sequence[str], language: str = "") -> Metadata:
    """The dates a document's lines show, read day first or month first as its language or
    its words say (:func:`day_first`): the published date (else the date it was updated), the
    review date, and notes on what could not be used."""
    found, notes = date_lines(lines, day_first(" ".join(lines), language))
    return Metadata(published=found.get("published") or found.get("updated"), reviewed=found.get("reviewed"), notes=tuple(notes))
