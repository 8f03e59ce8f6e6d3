"""Markdown and plain text to a :class:`~.document.Document`.

What someone gets by copying a page or a leaflet: headings (``#`` in Markdown; in text, a
short line of its own, in capitals or ending in "?"), bullets (``-``, ``*``, ``+``, ``•``,
``–``, ``·``, ``▪``), numbered lines ("1." or "1)"), paragraphs that may be wrapped over
several lines, and leftover chrome ("Share this page", "Back to top"). A list stays a list:
each bullet is one block, never joined to the next.
"""

from __future__ import annotations

import re

from .chrome import is_chrome
from .dates import date_lines
from .document import BOLD_HEADING_LEVEL, Block, Document, Metadata
from .text import normalise_text

_BULLET = re.compile(r"^\s*(?:[-*+•–·▪◦●○✓✔]|o(?=\s))\s+(?P<text>.+)$")
_NUMBERED = re.compile(r"^\s*(?:\d{1,2}|[a-z])[.)]\s+(?P<text>.+)$")
_MD_HEADING = re.compile(r"^\s{0,3}(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
_MD_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_MD_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_BOLD_LEAD = re.compile(r"^(\*\*|__)(?P<lead>.+?)\1")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
def list_item(line: str) -> tuple[str, bool] | None:
    """A typed list item ("• a sore throat", "1. Wet the hair"): its text and whether it is
    numbered; None for any other line. Word files made without list styles type them too."""
    if m := _BULLET.match(line):
        return m.group("text"), False
    if m := _NUMBERED.match(line):
        return m.group("text"), True
    return None


#: A line of its own with at most this many words may be a heading.
MAX_HEADING_WORDS = 12


def _inline(text: str) -> tuple[str, str]:
    """Markdown inline markup taken out; returns (text, the bold words it starts with)."""
    text = _TAG.sub("", _MD_LINK.sub(r"\1", _MD_IMAGE.sub("", text))).strip()
    m = _MD_BOLD_LEAD.match(text)
    lead = _MD_EMPHASIS.sub(r"\2", m.group("lead")).strip() if m else ""
    return " ".join(_MD_EMPHASIS.sub(r"\2", text).split()), lead


def _looks_like_heading(line: str, next_line: str) -> bool:
    words = line.split()
    if not words or len(words) > MAX_HEADING_WORDS or line.rstrip().endswith((".", ",", ";", ":")) or not line[:1].isupper():
        return False
    if line.endswith("?"):
        return True
    letters = [c for c in line if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 2:
        return True
    return not next_line or next_line[:1].isupper() or bool(_BULLET.match(next_line) or _NUMBERED.match(next_line))


def _heading_level(line: str) -> int:
    letters = [c for c in line if c.isalpha()]
    return 2 if letters and all(c.isupper() for c in letters) else 3


class _Builder:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.para: list[str] = []
        self.item: Block | None = None
        self.dropped = 0
        #: Every line's text, chrome included: date lines ("Updated 5 May 2025") are read from it.
        self.texts: list[str] = []

    def flush(self) -> None:
        if self.para:
            text, lead = _inline(" ".join(self.para))
            self._add(Block("para", text, lead=lead) if lead != text or len(text.split()) > MAX_HEADING_WORDS else Block("heading", text, BOLD_HEADING_LEVEL))
            self.para = []
        if self.item is not None:
            self._add(self.item)
            self.item = None

    def _add(self, block: Block) -> None:
        if not block.text:
            return
        self.texts.append(block.text)
        if is_chrome(block.text) and block.kind != "heading":  # a chrome heading still ends the part before it
            self.dropped += 1
            return
        self.blocks.append(block)

    def chrome(self, line: str) -> bool:
        """Whether a whole line is chrome: then it ends the paragraph and is left out."""
        if not is_chrome(line):
            return False
        self.flush()
        self.texts.append(line)
        self.dropped += 1
        return True

    def heading(self, text: str, level: int) -> None:
        self.flush()
        self._add(Block("heading", _inline(text)[0], level))

    def list_item(self, text: str, ordered: bool) -> None:
        self.flush()
        plain, lead = _inline(text)
        self.item = Block("item", plain, int(ordered), lead)

    def line(self, text: str) -> None:
        if self.item is not None:  # a wrapped bullet goes on
            self.item = Block("item", f"{self.item.text} {_inline(text)[0]}", self.item.level, self.item.lead)
        else:
            self.para.append(text.strip())

    def document(self) -> Document:
        self.flush()
        shown, notes = date_lines(self.texts)
        meta = Metadata(published=shown.get("published"), reviewed=shown.get("reviewed"), notes=tuple(notes))
        return Document(tuple(self.blocks), meta, (("page chrome", self.dropped),) if self.dropped else ())


def read_markdown(text: str) -> Document:
    lines = normalise_text(text).split("\n")
    out = _Builder()
    for i, raw in enumerate(lines):
        line = raw.rstrip()
        next_line = lines[i + 1] if i + 1 < len(lines) else ""
        if not line.strip():
            out.flush()
        elif m := _MD_HEADING.match(line):
            out.heading(m.group("text"), len(m.group("hashes")))
        elif _MD_SETEXT.match(line) and out.para and len(out.para) == 1 and not out.item:
            text = out.para.pop()
            out.heading(text, 1 if line.strip().startswith("=") else 2)
        elif _MD_RULE.match(line) or line.lstrip().startswith("|"):
            out.flush()
        elif out.chrome(_inline(line)[0]):
            pass
        elif item := list_item(line):
            out.list_item(*item)
        elif _MD_SETEXT.match(next_line) and next_line.strip() and not out.para and not out.item:
            out.para.append(line.strip())
        else:
            out.line(re.sub(r"^\s*>\s?", "", line))
    return out.document()


def read_text(text: str) -> Document:
    lines = normalise_text(text).split("\n")
    out = _Builder()
    previous_blank = True
    for i, raw in enumerate(lines):
        line = raw.strip()
        next_line = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if not line:
            out.flush()
            previous_blank = True
            continue
        if out.chrome(line):
            pass
        elif item := list_item(line):
            out.list_item(*item)
        elif (previous_blank or out.item is not None) and _looks_like_heading(line, next_line):
            out.heading(line, _heading_level(line))
        else:
            if out.item is not None and previous_blank:
                out.flush()
            out.line(line)
        previous_blank = False
    return out.document()
