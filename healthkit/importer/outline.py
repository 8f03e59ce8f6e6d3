"""Any publisher's article, as blocks, to a draft :class:`~healthkit.model.Condition`.

Headings are read by meaning: each section's patterns (:data:`healthkit.registry.SECTIONS`,
``headings``) are looked for anywhere in a heading, questions included ("What causes
eczema?", "Check if you have tonsillitis"). Other headings feed the summary ("Overview",
"What is ..."), open a Q&A ("Frequently asked questions"), say when to get help ("When to see
a doctor", "Urgent advice: ..."), are kept for the author ("Outlook", "Complications") or
are left out ("References", "Related articles"). A question heading that is none of these
becomes a Q&A entry with the text under it.

Under a section, list items, "**Name** – description" paragraphs and sub-headed paragraphs
become the section's entries; a section with none of these has its paragraphs as entries.
A list led by a line that names a tier of help ("Call 999 or go to A&E if:", "See a GP
if:") is a list of warning signs, in that tier (:data:`healthkit.registry.SAFETY_TIERS`,
``cues``), wherever it stands; so is a sentence such as "Seek emergency care if ...".
Signs are written region-neutral: the service and its number are taken out of the sign.

Nothing in an article becomes a key: every text ends up as a value, or as a comment.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Iterable

from ..content.lint import TO_WRITE, normalise
from ..model import SECTION_NAMES, SECTION_TITLES, ClinicalReview, Condition, FaqEntry, Item, Safety, Section, Sections, Source
from ..registry import SAFETY_TIERS, SECTION_PRECEDENCE, SECTIONS
from .article import ImportReport, _enumerated, _guess_faq_section, _sentences
from .chrome import is_chrome
from .document import Block, Document
from .tiers import tier_of

#: An entry's name has at most this many words.
MAX_NAME_WORDS = 8
#: A question paragraph in a Q&A has at most this many words.
MAX_QUESTION_WORDS = 30
#: A line that leads into a list ("Other measures you can take at home include:") has at most
#: this many words; one that names another section sends the list there.
MAX_LEAD_IN_WORDS = 16
#: Words kept from a paragraph as an entry's description.
MAX_DESCRIPTION_SENTENCES = 3

#: The language a draft gets when the article does not say its own.
DEFAULT_LANGUAGE = "en-GB"

DISCLAIMER = (
    "This lesson is for learning only. It is not medical advice and does not replace a doctor, nurse or "
    "pharmacist. If you are worried about your health, ask a health professional."
)

_SKIP = re.compile(
    r"^((\d+ )?references?|(\d+ )?sources?|citations?|bibliography|notes|footnotes|see also|external links|further reading|"
    r"related( \w+)*|you (might|may) also like.*|more (information|info|on|about|from).*|learn more.*|find out more.*|"
    r"resources?( and support)?|support( groups?| and resources| organisations)?|where (can|to) (i|you) (get|find) (support|help|more).*|"
    r"useful (links|contacts|resources)|contact( us| details)?|about (this|the|our) (leaflet|page|information|article|author)|"
    r"comments?|share.*|newsletter.*|table of contents|contents|on this page|in this (article|page)|alternative names|"
    r"other names|epidemiology|history|research( directions)?|society and culture|etymology|in other animals|"
    r"leaflet (reference|information)|acknowledg\w*|disclaimer|author|about the author|medical disclaimer|"
    r"how we (review|wrote|create).*|backlinks|linked (pages|mentions)|comments? \(\d+\)|(a )?(note|message|word) from (the |our )?(team|editors?|clinic|\w+ (clinic|health|team|trust|hospital)).*|editorial (policy|process)|sources and references|infobox)$",
    re.I,
)
_FAQ = re.compile(r"\b(frequently asked questions|faqs?|questions and answers|q ?& ?a|common questions|your questions|"
                  r"questions( \w+){0,3} (ask|asked|have)|myths?( and| vs\.?| versus| or) facts?)\b", re.I)
_SUMMARY = re.compile(r"^(overview|introduction|intro|summary of|at a glance|in brief|key (facts|points|messages|information|takeaways)( about .*)?|"
                      r"what (is|are)( an?| the)? .*|about( the)? .*|understanding .*|quick facts)$", re.I)
_SAFETY_HEADING = re.compile(
    r"\b(when (to|should (i|you)|do (i|you) need to) (see|get|seek|contact|call|go|talk|speak|visit|worry)|get(ting)? (medical )?(help|advice|care)|"
    r"seek(ing)? (medical )?(help|care|advice)|urgent\w*|emergenc\w*|immediate action|warning signs|red flags|when to worry|"
    r"call (999|911|112|000|111|995)|(go|get) to (the|an|your nearest) (er|ed)|see (a|an|your) (optician|optometrist|dentist|midwife)|(book|make) a (routine|regular|normal) appointment|see (a|your) (gp|doctor)|contact a medical professional|pharmacist can help|"
    r"non-urgent advice|get advice)\b",
    re.I,
)
#: "Call 999 or go to A&E if:", "Urgent advice: ... if:", a line that leads into a list of signs
#: (not "your GP or pharmacist may suggest:", which leads into treatments).
_LEAD_IN = re.compile(
    r"(\b(if|when|whether)\b[^.?!,;]{0,60}:?|^([^.?!]{0,40}\b)?(call|see|contact|go to|get|seek|ask|talk|speak|phone|ring|visit|tell|book)\b[^.?!]*:|"
    r"\b(advice|action required|can help)\b[^.?!]*:|"
    # a traffic-light line of a leaflet: "RED – call 999", "AMBER – call the advice line today"
    r"^(red|amber|green|orange|yellow)\b\s*[–—:-][^.?!]{0,60})\s*$",
    re.I,
)
#: A sentence that is itself a sign: "Seek emergency care if you ...", "Call your doctor if ...".
_SIGN_SENTENCE = re.compile(
    r"^(?P<cue>(?:[^.?!]{0,80}?)\b(?:call|phone|ring|dial|go to|seek|get|see|contact|visit|talk to|speak to|ask)\b[^.?!]{0,90}?)\bif\b\s+(?P<sign>[^.?!]{6,240})[.!]?$",
    re.I,
)
#: Service names and numbers, taken out of a sign so the region table can name them.
_SERVICES = re.compile(
    r"\s*[-–—,(]?\s*\b(?:or\s+)?(?:(?:call|phone|ring|dial|contact|get help from|go to|visit|use)\s+)?(?:nhs\s+)?(?:"
    r"(?:triple zero\s*)?\(?(?:999|911|112|000|111)\)?(?:\s+online)?|a ?& ?e|the (?:nearest )?emergency (?:room|department)|"
    r"an? emergency department|urgent care|healthdirect(?: on)?(?: 1800 022 222)?|1800 022 222)\s*\)?(?:\s+(?:now|straight away|immediately))?",
    re.I,
)


@dataclass
class _Entry:
    name: str
    description: str
    heading: str


@dataclass
class _Reading:
    """What has been read so far."""

    title: str
    summary: list[str] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    items: dict[str, dict[str, _Entry]] = field(default_factory=lambda: {s: {} for s in SECTION_NAMES})
    prose: dict[str, list[str]] = field(default_factory=lambda: {s: [] for s in SECTION_NAMES})
    headings: dict[str, list[str]] = field(default_factory=lambda: {s: [] for s in SECTION_NAMES})
    signs: dict[str, dict[str, str]] = field(default_factory=lambda: {t: {} for t in SAFETY_TIERS})
    faq: list[list[str]] = field(default_factory=list)
    kept: dict[str, list[str]] = field(default_factory=dict)
    unplaced: list[str] = field(default_factory=list)
    merged: int = 0
    skipped: int = 0


# -- headings --------------------------------------------------------------------------------
def _plain(text: str, title: str) -> str:
    text = text.lower()
    for word in sorted({title.lower(), *title.lower().split()}, key=len, reverse=True):
        if len(word) > 3:
            text = text.replace(word, " ")
    return " ".join(text.replace("’", "'").split())


def section_of(heading: str, title: str = "") -> str | None:
    """The section a heading names, or None."""
    text = _plain(heading, title)
    found: list[tuple[int, str]] = []
    for name, spec in SECTIONS.items():
        starts = [m.start() for p in spec.headings for m in [re.search(p, text)] if m]
        if starts:
            found.append((min(starts), name))
    for name in SECTION_PRECEDENCE:
        if any(n == name for _, n in found):
            return name
    return min(found)[1] if found else None


#: A heading's own number ("2. What causes it?", "3.1 Stage one", "Section 4:").
_HEADING_NUMBER = re.compile(r"^(section |part |step )?\d{1,2}(\.\d{1,2})*[.):]?\s+(?=\D)", re.I)


def _role(heading: str, title: str) -> str:
    text = _HEADING_NUMBER.sub("", " ".join(heading.strip().rstrip(":").split()))
    plain = _plain(text, title).strip(" ?:.")
    if _SKIP.match(plain) or _SKIP.match(text.lower().strip(" ?:.")) or is_chrome(text):
        return "skip"
    if _FAQ.search(text):
        return "faq"
    if (_SAFETY_HEADING.search(text) or _LEAD_IN.search(text)) and tier_of(text):
        return "safety"
    section = section_of(text, title)
    if section:
        return section
    if _SUMMARY.match(text.lower().strip(" ?:.")) or _SUMMARY.match(plain):
        return "summary"
    if text.endswith("?"):
        return "question"
    return "prose"


# -- entries ---------------------------------------------------------------------------------
def _capital(text: str) -> str:
    text = text.strip(" \t-–—:;,.")
    return text[:1].upper() + text[1:]


def _sentence(text: str) -> str:
    text = _capital(text.strip())
    return text if not text or text[-1] in ".!?" else text + "."


_CUTS = re.compile(
    r"\s*[:;,(–—]\s*|\s+-\s+|\.\s|\s+(?:to|if|because|when|so|which|that|who|such as|for example|unless|while|until|as|after|before|"
    r"or|and|with|in|on|at|from|by|for)\s+",
    re.I,
)


def _clause(text: str) -> str:
    """A short name from the start of a longer text: up to the first break in the sense that
    leaves two to eight words ("Pain that starts in the lower back" is "Pain that starts")."""
    words_before = 0
    for m in _CUTS.finditer(text):
        words_before = len(text[: m.start()].split())
        if 2 <= words_before <= MAX_NAME_WORDS:
            return _capital(text[: m.start()])
        if words_before > MAX_NAME_WORDS:
            break
    words = text.split()
    return _capital(" ".join(words[: min(len(words), 6)]))


def _to_write(heading: str) -> str:
    where = f" (listed under “{heading}” in the article)" if heading else ""
    return f"{TO_WRITE}: describe this in your own words{where}."


def entry_of(block: Block, heading: str) -> _Entry:
    """The name and description of a list item or a "**Name** – description" paragraph."""
    text = block.text.strip()
    if block.lead and block.lead != text and len(block.lead.split()) <= MAX_NAME_WORDS:
        rest = text[len(block.lead):] if text.startswith(block.lead) else text.replace(block.lead, "", 1)
        rest = rest.strip(" \t:–—-.")
        return _Entry(_capital(block.lead), _sentence(rest) if rest else _to_write(heading), heading)
    m = re.match(r"^(?P<name>[^:.?!]{2,80}?)(?::|\s[–—-])\s+(?P<desc>.+)$", text)
    if m and len(m.group("name").split()) <= MAX_NAME_WORDS:
        return _Entry(_capital(m.group("name")), _sentence(m.group("desc")), heading)
    if len(text.split()) <= MAX_NAME_WORDS:
        return _Entry(_capital(text), _to_write(heading), heading)
    return _Entry(_clause(text), _sentence(text), heading)


def _description(paragraphs: Iterable[str]) -> str:
    sentences = [s for p in paragraphs for s in _sentences(p)]
    return " ".join(sentences[:MAX_DESCRIPTION_SENTENCES])


def _sign(text: str) -> str:
    """A warning sign as the lesson writes it: no service named in it, a sentence."""
    text = _SERVICES.sub(" ", text)
    text = re.sub(r"\s+([,.;:)])", r"\1", " ".join(text.split())).strip(" ,;:-–—(")
    text = re.sub(r"^(?:and|or)\s+", "", text, flags=re.I)
    return _sentence(text) if text else ""


# -- the walk --------------------------------------------------------------------------------
@dataclass
class _State:
    role: str = "lead"  # lead | a section | safety | faq | summary | prose | question | skip
    level: int = 0
    heading: str = ""
    tier: str | None = None  # the tier a lead-in line or a safety heading named
    list_tier: str | None = None  # the tier of the list being read
    list_section: str | None = None  # another section a lead-in line named for the list being read
    sub: _Entry | None = None  # a sub-headed entry being read
    sub_text: list[str] = field(default_factory=list)
    sub_has_list: bool = False
    question: list[str] | None = None
    #: (section, level, heading) of the section this one's heading sits under ("Home remedies"
    #: under "Treatment"): a later sub-heading of that section's own goes back to it.
    outer: tuple[str, int, str] | None = None


def _sub_entry(block: Block) -> _Entry:
    text = block.text.rstrip("?:")
    return _Entry(_capital(text) if len(text.split()) <= MAX_NAME_WORDS else _clause(text), "", block.text)


def _add_entry(reading: _Reading, section: str, entry: _Entry) -> None:
    key = normalise(entry.name)
    if not key or key == normalise(reading.title):
        return
    bucket = reading.items[section]
    if key in bucket and normalise(bucket[key].description) != normalise(entry.description) and not entry.description.startswith(TO_WRITE):
        longer = _capital(" ".join(entry.description.rstrip(".").split()[:MAX_NAME_WORDS]))
        if normalise(longer) not in bucket:  # two entries whose short names clash: the longer name tells them apart
            entry, key = _Entry(longer, entry.description, entry.heading), normalise(longer)
    if key in bucket:
        reading.merged += 1
        if bucket[key].description.startswith(TO_WRITE) and not entry.description.startswith(TO_WRITE):
            bucket[key] = entry
        return
    bucket[key] = entry
    if entry.heading and entry.heading not in reading.headings[section]:
        reading.headings[section].append(entry.heading)


def _add_sign(reading: _Reading, tier: str, text: str) -> None:
    sign = _sign(text)
    key = normalise(sign)
    if len(key.split()) < 2 or any(key in signs for signs in reading.signs.values()):
        return
    reading.signs[tier][key] = sign


def _close_sub(reading: _Reading, state: _State) -> None:
    if state.sub is not None and state.role in SECTIONS:
        state.sub.description = _description(state.sub_text) or _to_write(state.sub.heading)
        if not state.sub_has_list:
            _add_entry(reading, state.role, state.sub)
    state.sub, state.sub_text, state.sub_has_list = None, [], False


def _close_question(reading: _Reading, state: _State) -> None:
    if state.question is not None:
        if len(state.question) > 1:
            reading.faq.append(state.question)
        else:
            reading.unplaced.append(state.question[0])
    state.question = None


def _heading(reading: _Reading, state: _State, block: Block) -> _State:
    role = _role(block.text, reading.title)
    in_section = state.role in SECTIONS
    deeper = block.level > state.level
    if state.role == "faq" and (deeper or role == "question") and role not in ("faq", "skip") and (role == "question" or block.text.endswith("?")):
        _close_question(reading, state)
        state.question = [block.text]
        return state
    if role == "safety" or (state.role == "safety" and deeper and tier_of(block.text)):
        if state.role == "safety" and deeper:
            state.tier = tier_of(block.text) or state.tier
            return state
        _close_sub(reading, state)
        _close_question(reading, state)
        return _State("safety", block.level, block.text, tier_of(block.text))
    if in_section and deeper and (role in ("prose", "question", "summary") or role == state.role):
        _close_sub(reading, state)
        state.sub = _sub_entry(block)
        return state
    if state.outer and block.level > state.outer[1] and role == state.outer[0]:
        _close_sub(reading, state)
        back = _State(*state.outer)
        back.sub = _sub_entry(block)
        return back
    if state.role == "skip" and role in ("prose", "question") and (deeper or block.level >= 3):
        return state  # a skipped part ("Contact us") goes on under headings that name nothing
    _close_sub(reading, state)
    _close_question(reading, state)
    if role == "question":
        new = _State("faq", block.level, block.text)
        new.question = [block.text]
        return new
    if role == "skip":
        reading.skipped += 1
    new = _State(role, block.level, block.text)
    if role in SECTIONS and in_section and deeper:
        new.outer = (state.role, state.level, state.heading)
    elif role in SECTIONS and state.outer and block.level > state.outer[1]:
        new.outer = state.outer
    return new


def _para(reading: _Reading, state: _State, block: Block) -> _State:
    text = block.text
    short = len(text.split()) <= 6 and not text.endswith((".", "!"))
    if short and (_SKIP.match(text.lower().strip(" ?:.")) or _FAQ.search(text)):  # "Related articles" in a copied page
        return _heading(reading, state, Block("heading", text, state.level + 1 if state.role == "skip" else max(state.level, 1)))
    _para_text(reading, state, block)
    return state


def _para_text(reading: _Reading, state: _State, block: Block) -> None:
    text = block.text
    tier = tier_of(text)
    if tier and _LEAD_IN.search(text) and len(text.split()) <= 40:
        state.list_tier = tier  # the list that follows is signs
        return
    if state.role in SECTIONS and text.endswith(":") and len(text.split()) <= MAX_LEAD_IN_WORDS:
        named = section_of(text, reading.title)
        own = any(re.search(p, _plain(text, reading.title)) for p in SECTIONS[state.role].headings)
        state.list_section = named if named in SECTION_PRECEDENCE and named != state.role and not own else None
        reading.prose[state.role].append(text)
        return
    if state.role == "safety" or (tier and state.role in SECTIONS):
        found = False
        for sentence in _sentences(text):
            m = _SIGN_SENTENCE.match(sentence)
            sentence_tier = tier_of(m.group("cue")) if m else None
            if m and sentence_tier:
                _add_sign(reading, sentence_tier, m.group("sign"))
                found = True
        if state.role == "safety":
            if not found and _LEAD_IN.search(text):
                state.list_tier = state.tier
            _keep(reading, state.heading, text)
            return
    state.list_tier = state.list_section = None
    if state.role == "faq":
        if state.question is not None and not (text.endswith("?") and len(text.split()) <= MAX_QUESTION_WORDS):
            state.question.append(text)
        elif text.endswith("?") and len(text.split()) <= MAX_QUESTION_WORDS:
            _close_question(reading, state)
            state.question = [text]
        elif block.lead.endswith("?"):
            _close_question(reading, state)
            state.question = [block.lead, text[len(block.lead):].strip()]
        else:
            reading.unplaced.append(text)
        return
    if state.role in SECTIONS:
        if state.sub is not None:
            state.sub_text.append(text)
        elif block.lead and len(block.lead.split()) <= MAX_NAME_WORDS and block.lead != text:
            _add_entry(reading, state.role, entry_of(block, state.heading))
        else:
            reading.prose[state.role].append(text)
        return
    if state.role in ("summary", "lead"):
        (reading.summary if state.role == "summary" else reading.lead).append(text)
    elif state.role == "skip":
        return
    else:
        _keep(reading, state.heading, text)


def _keep(reading: _Reading, heading: str, text: str) -> None:
    """Keep text that is no section's for the author, less the sentences that are only chrome
    (a leaflet's "Phone: 01632 960 552.", "Issued: 1 September 2025")."""
    kept = " ".join(s for s in _sentences(text) if not is_chrome(s))
    if kept:
        reading.kept.setdefault(heading or "Other text", []).append(kept)


def _item(reading: _Reading, state: _State, block: Block) -> None:
    if block.tier:
        state.list_tier = block.tier  # a table row's lead-in, its tier named in another cell
        return
    if (state.role == "safety" or state.list_tier) and block.text.rstrip().endswith(":") and _LEAD_IN.search(block.text):
        if named := tier_of(block.text):
            state.list_tier = named  # a list item that leads into the next ones: "Call 999 or go to A&E if:"
            return
    tier = state.list_tier or (state.tier or "urgent" if state.role == "safety" else None)
    if tier:
        _add_sign(reading, tier, block.text)
        return
    if state.role in SECTIONS:
        if state.sub is not None:
            state.sub_has_list = True
        _add_entry(reading, state.list_section or state.role, entry_of(block, state.sub.heading if state.sub else state.heading))
    elif state.role == "faq" and state.question is not None:
        state.question.append(block.text)
    elif state.role in ("summary", "lead"):
        reading.summary.append(_sentence(block.text)) if state.role == "summary" else None
    elif state.role != "skip":
        _keep(reading, state.heading, block.text)


def _names(heading: str, title: str) -> bool:
    """Whether a heading is the article's title: it, or one part of it ("WINTER HEALTH:
    CHILBLAINS"), names the condition."""
    parts = [heading, *re.split(r":|\||\s[–—-]\s", heading)]
    return any(normalise(condition_name([p])) == normalise(title) for p in parts if p.strip())


def _article_end(listed: list[Block], start: int) -> int:
    """Where an article that is one feature among others ends (a newsletter, a magazine
    issue): at the next heading as high as its title, when the title is not a document's
    own (``h1``), every heading between them is below the title and there are at least two."""
    level = listed[start].level
    if level <= 1:
        return len(listed)
    between = 0
    for i in range(start + 1, len(listed)):
        if listed[i].kind != "heading":
            continue
        if listed[i].level <= level:
            return i if between >= 2 else len(listed)
        between += 1
    return len(listed)


def _from_title(blocks: Iterable[Block], title: str) -> list[Block]:
    """The blocks of the article itself: what stands above the heading that names the
    condition, or above a page's one ``h1`` (a school's motto, a trust's department, a site's
    strap line), is not the article's, nor are a newsletter's other items after it."""
    listed = list(blocks)
    named = [i for i, b in enumerate(listed) if b.kind == "heading" and _names(b.text, title)]
    if named:
        return listed[named[0]:_article_end(listed, named[0])]
    tops = [i for i, b in enumerate(listed) if b.kind == "heading" and b.level == 1]
    return listed[tops[0]:] if len(tops) == 1 else listed


def walk(blocks: Iterable[Block], title: str) -> _Reading:
    reading = _Reading(title)
    state = _State()
    title_seen = False  # a document whose sections are all h1 has one title among them
    for block in _from_title(blocks, title):
        if block.kind != "heading" and is_chrome(block.text):
            continue
        if block.kind == "heading":
            if normalise(block.text) == normalise(title) or (block.level == 1 and state.role == "lead" and not title_seen):
                title_seen = True
                continue
            state = _heading(reading, state, block)
            state.list_tier = state.list_section = None
        elif block.kind == "para":
            state = _para(reading, state, block)
        else:
            _item(reading, state, block)
    _close_sub(reading, state)
    _close_question(reading, state)
    return reading


# -- the condition ---------------------------------------------------------------------------
_TITLE_CUT = re.compile(r"\s*(?::|\||\s[–—-]\s|,\s*(?:symptoms|causes|treatment)).*$", re.I)
#: A heading that says what the article is about ("Understanding period pain", "All about acne").
_ABOUT = re.compile(r"^(understanding|all about|a guide to|guide to|facts about)\s+\w", re.I)
_PRONOUN = re.compile(r"^(it|this|that|they|these|those|he|she)\b", re.I)
_TITLE_START = re.compile(r"^(what (is|are)( an?| the)?|about|understanding|all about|a guide to|guide to|living with|facts about)\s+", re.I)


def condition_name(candidates: Iterable[str]) -> str:
    """The condition's name from the page's title candidates, best first."""
    for candidate in candidates:
        name = _TITLE_CUT.sub("", _HEADING_NUMBER.sub("", " ".join(candidate.split()))).strip(" ?.!")
        name = _TITLE_START.sub("", name).strip(" ?.!")
        if name and len(name.split()) <= 8 and not is_chrome(name):
            return _capital(name)
    return ""


def _slug(text: str) -> str:
    return "-".join(normalise(text).split())[:60].strip("-") or "condition"


def _section(reading: _Reading, name: str, report: ImportReport) -> Section:
    found = [Item(e.name, e.description) for e in reading.items[name].values()]
    prose = reading.prose[name]
    if not found and prose:
        found = list({normalise(i.name): i for i in _enumerated(prose, name)}.values())
        if found:
            report.notes.append(f"{SECTION_TITLES[name]}: entries taken from a sentence that lists them; check them.")
        else:
            found = [Item(_clause(p), _description([p])) for p in prose if len(p.split()) >= 4]
            found = list({normalise(i.name): i for i in found if normalise(i.name)}.values())
            if found:
                report.notes.append(f"{SECTION_TITLES[name]}: the article has no list here; each paragraph became an entry. Check the names.")
    if not found:
        found = [Item(TO_WRITE, f"{TO_WRITE}: the article had nothing for this section. Write its entries, or leave the section out of the lesson's scope in your notes.")]
    report.items[name] = 0 if found[0].name == TO_WRITE else len(found)
    summary = _sentences(prose[0])[0] if prose else f"{TO_WRITE}: a short introduction to {SECTION_TITLES[name].lower()}."
    return Section(summary=summary, items=tuple(found))


def _faq(reading: _Reading) -> tuple[FaqEntry, ...]:
    entries = []
    seen: set[str] = set()
    for question, *answer in reading.faq:
        text = " ".join(a for a in answer if a).strip()
        key = normalise(question)
        if text and key and key not in seen:
            seen.add(key)
            entries.append(FaqEntry(question, _description([text]) or text, _guess_faq_section(question)))  # type: ignore[arg-type]
    return tuple(entries)


def _most_named(document: Document, headings: list[str]) -> str:
    """Of a document's first headings, the one whose name its text says most often: without a
    title style, a handout's letterhead ("Fernhill Lane Medical Practice") comes before the
    condition's name ("Heat rash (prickly heat)"), which the text then keeps repeating."""
    text = f" {normalise(' '.join(b.text for b in document.blocks))} "
    names = [(i, h, re.sub(r"\s*\(.*\)$", "", condition_name([h]))) for i, h in enumerate(headings)]
    counted = [(text.count(f" {normalise(n)} "), -i, h) for i, h, n in names if n and not _PRONOUN.match(n)]
    best = max(counted, default=(0, 0, ""))
    return best[2] if best[0] >= 3 else ""


def build_condition(document: Document, source: str, condition_id: str | None, today: dt.date, url: str = "") -> tuple[Condition, ImportReport]:
    meta = document.meta
    first_heading = next((b.text for b in document.blocks if b.kind == "heading" and not is_chrome(b.text)), "")
    what_is = next((b.text for b in document.blocks if b.kind == "heading" and _TITLE_START.match(b.text)), "")
    named = condition_name([what_is])
    # "What is IBS?" names the condition; an earlier heading that holds that name says it in full.
    headings = [b.text for b in document.blocks if b.kind == "heading" and not is_chrome(b.text)]
    fuller = next((h for h in headings[: headings.index(what_is)] if named and normalise(named) in normalise(h)), "") if what_is in headings else ""
    top = next((b.text for b in document.blocks if b.kind == "heading" and b.level == 1 and not is_chrome(b.text)), "")
    if _PRONOUN.match(named):  # "What is it, exactly?" names nothing
        what_is = ""
    # "Understanding period pain" under a document title "Periods: what's normal ..." names the subject
    early = [b for b in document.blocks if b.kind == "heading" and b.level <= 2 and not is_chrome(b.text)][:4]
    about = next((b.text for b in early if _ABOUT.match(b.text)), "")
    if not (meta.title or top):
        first_heading = _most_named(document, headings[:4]) or first_heading
    name = condition_name([meta.title, fuller, about, top, what_is, first_heading]) or "Untitled condition"
    if named and normalise(named) not in normalise(name) and fuller and _names(fuller, named):
        name = named  # "WINTER HEALTH: CHILBLAINS" above "What are chilblains?"
    if name.isupper():
        name = name.capitalize()
    reading = walk(document.blocks, name)
    report = ImportReport(source)
    report.merged = reading.merged
    for what, count in document.dropped:
        if count:
            report.dropped[what] = count
    if reading.skipped:
        report.dropped["parts such as references and related links"] = reading.skipped
    sections = {s: _section(reading, s, report) for s in SECTION_NAMES}
    report.headings = {s: h for s, h in reading.headings.items() if h}
    if not any(report.items.values()) and not any(reading.signs.values()):
        from .errors import ArticleError

        raise ArticleError(f"{source} does not look like a condition article: no section such as symptoms, causes or treatment was found")
    faq = _faq(reading)
    report.faq = len(faq)
    signs = {t: tuple(s.values()) for t, s in reading.signs.items()}
    report.signs = {t: len(s) for t, s in signs.items() if s}
    safety = Safety(
        emergency=signs["emergency"], urgent=signs["urgent"], see_doctor=signs["see_doctor"], pharmacist=signs["pharmacist"], disclaimer=DISCLAIMER,
    ) if any(signs.values()) else None
    report.prose = {s: p for s, p in reading.prose.items() if p}
    report.kept = reading.kept
    report.unplaced = reading.unplaced
    report.notes += list(meta.notes)
    if not meta.language:
        report.notes.append(f"The article does not say its language: {DEFAULT_LANGUAGE} was written; change 'language' if it is another.")
    if meta.published is None and meta.reviewed is None:
        report.notes.append("No date found on the page: add the date it shows as 'published' (or 'reviewed') under sources.")
    summary = _description(reading.summary or reading.lead) or f"{TO_WRITE}: two or three sentences on what {name.lower()} is."
    page_url = meta.url if meta.url.startswith(("http://", "https://")) and " " not in meta.url else url
    condition = Condition(
        id=condition_id or _slug(name),
        title=name,
        tagline=f"{TO_WRITE}: one inviting sentence about {name.lower()}.",
        summary=summary,
        audience="General adult readers (draft: confirm).",
        language=meta.language or DEFAULT_LANGUAGE,
        updated=today,
        status="draft",
        clinical_review=ClinicalReview(status="pending"),
        sources=(Source(
            title=meta.title or name,
            publisher=meta.publisher or f"{TO_WRITE}: the publisher's name",
            url=page_url or None,
            published=meta.published,
            accessed=today if page_url else None,
            reviewed=meta.reviewed if not (page_url and meta.reviewed and meta.reviewed > today) else None,
        ),),
        sections=Sections(**sections),
        faq=faq,
        quiz=(),
        safety=safety,
        key_terms=MappingProxyType({}),
    )
    return condition, report
