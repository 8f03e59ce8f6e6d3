"""Read a magazine condition article into a draft :class:`Condition`.

The magazine's articles share one shape: a title "X – types, causes, symptoms, diagnosis,
prevention, treatments, and Home Remedies", a date, a reading time, a quoted tagline, an
Introduction, section headings (sometimes glued to image alt text), the same sections
repeated in several orders, numbered lists "1. Name: description", a numbered Q&A, several
conclusions, and site boilerplate. The importer keeps the facts, merges repeats, drops
conclusions and boilerplate, and reports everything it could not place.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from types import MappingProxyType

from ..content.lint import normalise
from ..model import SECTION_NAMES, SECTION_TITLES, ClinicalReview, Condition, FaqEntry, Item, Section, Sections, Source
from .errors import ArticleError
from .text import paragraphs

PUBLISHER = "The Women's Health Magazine"

_TITLE = re.compile(r"^(?P<name>.+?)\s*[-–—]\s*types,\s*causes,\s*symptoms", re.I)
_DATE = re.compile(r"\b(?P<month>[A-Za-z]+)\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})\b")
_READING = re.compile(r"^(?P<minutes>\d+)\s*min(?:ute)?s?\s+read$", re.I)
_TAGLINE = re.compile(r'^Tagline:\s*"?(?P<text>.+?)"?\s*$', re.I)
_ITEM = re.compile(r"^(?P<n>\d{1,2})[.)]\s*(?P<name>[^:?]{1,80}?):\s*(?P<desc>.+)$")
_QUESTION = re.compile(r"^(?P<n>\d{1,2})[.)]\s*(?P<q>[^?]{3,200}\?)\s*(?P<a>.*)$")
_STOP = re.compile(r"^(\d+\s+comments?|about|featured posts|sponsors|stay informed about your health|leave a comment|related posts|share this( article)?)$", re.I)
_NOISE = re.compile(r"^([\w-]+-(image|logo)|\w+ logo|womens health|women's health)$", re.I)
_QA = re.compile(r"^(q\s*&\s*a|questions and answers|frequently asked questions|faqs?)\s*:?$", re.I)
_CONCLUSION = re.compile(r"^(conclusion|summary|final thoughts)\s*:?$", re.I)
_INTRO = re.compile(r"^introduction\s*:?$", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")

#: How a heading or a topic sentence names each section.
_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("home_remedies", r"home\s+remed"),
    ("types", r"types?\b|kinds?\b"),
    ("causes", r"causes?\b|what causes"),
    ("symptoms", r"(the\s+)?symptoms?\b|signs\b"),
    ("diagnosis", r"diagnos"),
    ("prevention", r"prevent"),
    ("treatments", r"(the\s+)?treat"),
)
_MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"], 1)}


@dataclass
class ImportReport:
    """What an import did, written at the top of the draft and printed by ``healthkit import``."""

    source: str
    items: dict[str, int] = field(default_factory=dict)
    #: Per section, the article's headings its entries came from.
    headings: dict[str, list[str]] = field(default_factory=dict)
    #: Warning signs per tier of help.
    signs: dict[str, int] = field(default_factory=dict)
    faq: int = 0
    merged: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    unplaced: list[str] = field(default_factory=list)
    prose: dict[str, list[str]] = field(default_factory=dict)
    #: Text under headings that are no section ("Outlook", "Complications"), by heading.
    kept: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def drop(self, what: str) -> None:
        self.dropped[what] = self.dropped.get(what, 0) + 1

    def lines(self) -> list[str]:
        out = [f"Imported from {self.source} as a draft: review every section before publishing."]
        out.append("Items per section: " + ", ".join(f"{SECTION_TITLES[s].lower()} {self.items.get(s, 0)}" for s in SECTION_NAMES))
        for section, headings in self.headings.items():
            out.append(f"  {SECTION_TITLES[section]}: from " + "; ".join(f"“{h}”" for h in headings[:6]) + ("; ..." if len(headings) > 6 else ""))
        if self.signs:
            out.append("Warning signs, by tier: " + ", ".join(f"{tier.replace('_', ' ')} {n}" for tier, n in self.signs.items())
                       + ". Check each tier against the article, and move a sign up when in doubt.")
        out.append(f"Questions and answers: {self.faq}. Repeated items merged: {self.merged}.")
        if self.dropped:
            out.append("Left out: " + ", ".join(f"{n} {what}" for what, n in sorted(self.dropped.items())) + ".")
        out += self.notes
        still = ["learning objectives", "key terms", "quiz questions"]
        if not self.signs:
            still.insert(0, "when to get help (safety)")
        out.append("Still to write: " + ", ".join(still) + ", and every text that starts 'To write' (healthkit check lists them).")
        if self.kept:
            out.append(f"Text under {len(self.kept)} heading(s) that are no section is kept as comments at the end.")
        if self.unplaced:
            out.append(f"{len(self.unplaced)} paragraph(s) could not be placed; they are kept as comments at the end.")
        return out


def _section_of(text: str, anchored: bool = True) -> list[str]:
    """Sections a heading or topic sentence names, in the order they appear."""
    found: list[tuple[int, str]] = []
    lowered = text.lower()
    for name, pattern in _KEYWORDS:
        match = re.search((r"^" if anchored else r"\b") + pattern, lowered) if anchored else re.search(r"\b" + pattern, lowered)
        if match:
            found.append((match.start(), name))
    if anchored and not found:
        return []
    return [name for _, name in sorted(found)]


def _is_heading(text: str) -> bool:
    return len(text) <= 160 and len(text.split()) <= 22 and not re.search(r"[.!?]$", text)


def _heading_sections(text: str) -> list[str]:
    """'Prevention, Treatments, and Home Remedies for X' -> three sections, in order."""
    if not _is_heading(text):
        return []
    first = _section_of(text.split(" - ")[0])
    if not first:
        return []
    head = re.split(r"\s+(?:of|for)\s+", text.split(" - ")[0], maxsplit=1)[0]
    names = _section_of_all(head)
    return names or first


def _section_of_all(text: str) -> list[str]:
    lowered = text.lower()
    found = []
    for name, pattern in _KEYWORDS:
        match = re.search(r"(?:^|\b)" + pattern, lowered)
        if match:
            found.append((match.start(), name))
    return [n for _, n in sorted(found)]


def _topic(paragraph: str) -> str | None:
    """The section a prose paragraph is about, from how it starts ('Symptoms of ... include')."""
    start = re.sub(r"^(the|in addition,|also,)\s+", "", paragraph.lower())
    for name, pattern in _KEYWORDS:
        if re.match(pattern, start) or re.match(r"(to|when)\s+" + pattern, start) or re.match(pattern.replace("prevent", "preventing").replace("diagnos", "diagnosing"), start):
            if name == "types" and not re.match(r"types?\s+of|there are", start):
                continue
            return name
    return None


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


_ENUM = re.compile(r"(?:include|includes|including|involves?|such as|are|:)\s+(?P<list>[^.;]+)", re.I)


def _capitalise(text: str) -> str:
    text = re.sub(r"^(the|a|an)\s+", "", text.strip(), flags=re.I).strip(" ,")
    return text[:1].upper() + text[1:]


_SECTION_WORD = {
    "types": "type", "causes": "cause", "symptoms": "symptom", "diagnosis": "diagnos",
    "prevention": "prevent", "treatments": "treat", "home_remedies": "remed",
}


def _enumerated(prose: list[str], section: str) -> list[Item]:
    """Items named in a sentence such as '... include A, B, and C' (for sections with no list).

    Sentences that name the section ('two main types ...: A and B') are tried first.
    """
    sentences = [s for p in prose for s in _sentences(p)]
    word = _SECTION_WORD[section]
    ranked = sorted(sentences, key=lambda s: word not in s.lower())
    for sentence in ranked:
        if ":" in sentence:  # 'two main types: A and B' - the list follows the colon
            lists = [sentence.rsplit(":", 1)[1].rstrip(".")]
        else:
            lists = [m.group("list") for m in _ENUM.finditer(sentence)]
        for listed in lists:
            parts = [p for p in re.split(r",\s*(?:and|or)\s+|,\s*|\s+and\s+|\s+or\s+", listed) if p.strip()]
            names = [_capitalise(p) for p in parts if 0 < len(p.split()) <= 6 and normalise(p)]
            if len(names) >= 2 and len(names) == len(parts):
                items = []
                for name in names:
                    key = normalise(name).split()[0]
                    about = next((s for s in sentences if s is not sentence and s.lower().startswith(key)), sentence)
                    items.append(Item(name=name, description=about))
                return items
    return []


def _date(text: str) -> dt.date | None:
    """A date line such as 'on March 21, 2023' (possibly after the site name)."""
    if len(text.split()) > 8:
        return None
    m = _DATE.search(text)
    if not m or m.group("month").lower() not in _MONTHS:
        return None
    try:
        return dt.date(int(m.group("year")), _MONTHS[m.group("month").lower()], int(m.group("day")))
    except ValueError:
        return None


def _slug(text: str) -> str:
    return "-".join(normalise(text).split()) or "condition"


def _guess_faq_section(question: str) -> str:
    names = _section_of_all(question)
    if "treatments" in names:
        return "treatments"
    if names:
        return names[0]
    if re.match(r"what (is|are)\b", question.lower()):
        return "types"
    return "treatments"


@dataclass
class _State:
    section: str | None = None
    mode: str = "head"  # head | intro | section | qa | conclusion
    pending_question: str | None = None


def read_article(text: str, source: str = "<article>", fmt: str = "text", condition_id: str | None = None, today: dt.date | None = None) -> tuple[Condition, ImportReport]:
    """Parse an article; returns a draft condition and a report of what was done."""
    blocks = paragraphs(text, fmt)
    report = ImportReport(source)
    title_index = next((i for i, b in enumerate(blocks) if _TITLE.match(b)), None)
    if title_index is None:
        raise ArticleError(
            f"{source} does not look like a condition article: no title line like "
            "'Name – types, causes, symptoms, diagnosis, prevention, treatments, and Home Remedies' was found"
        )
    name = _TITLE.match(blocks[title_index]).group("name").strip()  # type: ignore[union-attr]
    full_title = blocks[title_index]
    published: dt.date | None = None
    tagline = ""
    minutes: int | None = None
    intro: list[str] = []
    items: dict[str, dict[str, Item]] = {s: {} for s in SECTION_NAMES}
    faq: list[FaqEntry] = []
    prose: dict[str, list[str]] = {s: [] for s in SECTION_NAMES}
    state = _State()
    for block in blocks[:title_index]:
        published = published or _date(block)
    for block in blocks[title_index + 1 :]:
        if _STOP.match(block):
            report.drop("site sections after the article")
            break
        if _NOISE.match(block):
            report.drop("image or logo placeholders")
            continue
        if published is None and _date(block):
            published = _date(block)
            continue
        if m := _READING.match(block):
            minutes = int(m.group("minutes")) if len(m.group("minutes")) <= 3 else 0
            if not 1 <= minutes <= 600:  # the limits of reading_time_minutes
                minutes = None
            continue
        if m := _TAGLINE.match(block):
            tagline = m.group("text").strip().strip('"')
            continue
        if _INTRO.match(block):
            state = _State(mode="intro")
            continue
        if _QA.match(block):
            state = _State(mode="qa")
            continue
        if _CONCLUSION.match(block) or block.lower().startswith("in conclusion"):
            state = _State(mode="conclusion")
            report.drop("conclusion paragraphs")
            continue
        heading = _heading_sections(block)
        if heading:
            state = _State(section=heading[0], mode="section")
            continue
        if _is_heading(block) and not block.endswith(":") and len(block.split()) <= 8 and block[:1].isupper():
            state = _State(mode="unknown")  # a heading we do not know: its text is not placed
            report.unplaced.append(block)
            continue
        if state.mode == "conclusion":
            report.drop("conclusion paragraphs")
            continue
        if state.mode == "qa":
            if m := _QUESTION.match(block):
                if state.pending_question:
                    report.unplaced.append(state.pending_question)
                question, answer = m.group("q").strip(), m.group("a").strip()
                if answer:
                    faq.append(FaqEntry(question, answer, _guess_faq_section(question)))  # type: ignore[arg-type]
                else:
                    state.pending_question = question
            elif state.pending_question:
                faq.append(FaqEntry(state.pending_question, block, _guess_faq_section(state.pending_question)))  # type: ignore[arg-type]
                state.pending_question = None
            else:
                report.unplaced.append(block)
            continue
        if state.mode == "intro":
            intro.append(block)
            continue
        if state.mode == "section" and state.section:
            if m := _ITEM.match(block):
                item = Item(_capitalise(m.group("name")), m.group("desc").strip())
                key = normalise(item.name)
                bucket = items[state.section]
                if key in bucket:
                    report.merged += 1
                else:
                    bucket[key] = item
                continue
            topic = _topic(block) or state.section
            prose[topic].append(block)
            continue
        report.unplaced.append(block)
    if state.pending_question:
        report.unplaced.append(state.pending_question)
    if not any(items.values()) and not any(prose.values()):
        raise ArticleError(f"{source} has a title but no sections (types, causes, symptoms, ...) that could be read")

    sections: dict[str, Section] = {}
    for section in SECTION_NAMES:
        found = list(items[section].values())
        if not found:
            found = _dedupe(_enumerated(prose[section], section))
            if found:
                report.notes.append(f"{SECTION_TITLES[section]}: items taken from a sentence that lists them; check them.")
        if not found:
            found = [Item("To write", "The article had no list for this section. Write its items from the article text.")]
            report.notes.append(f"{SECTION_TITLES[section]}: no items found; a placeholder was added.")
        report.items[section] = len(found) if found[0].name != "To write" else 0
        first_prose = prose[section][0] if prose[section] else f"{SECTION_TITLES[section]} of {name.lower()}."
        sections[section] = Section(summary=_sentences(first_prose)[0], items=tuple(found))
    report.faq = len(faq)
    report.prose = {s: p for s, p in prose.items() if p}
    if published is None:
        report.notes.append("No publication date found: add the article's date as 'published' under sources.")
    summary_sentences = _sentences(intro[0]) if intro else []
    condition = Condition(
        id=condition_id or _slug(name),
        title=name,
        tagline=tagline or f"Learn about {name.lower()}.",
        summary=" ".join(summary_sentences[:3]) or f"An introduction to {name.lower()}.",
        audience="General adult readers (draft: confirm).",
        language="en-GB",
        updated=today or dt.date.today(),
        status="draft",
        clinical_review=ClinicalReview(status="pending"),
        sources=(Source(title=full_title, publisher=PUBLISHER, published=published),),
        sections=Sections(**sections),
        faq=tuple(faq),
        quiz=(),
        key_terms=MappingProxyType({}),
        reading_time_minutes=minutes,
    )
    return condition, report


def _dedupe(found: list[Item]) -> list[Item]:
    seen: dict[str, Item] = {}
    for item in found:
        seen.setdefault(normalise(item.name), item)
    return list(seen.values())
