"""Markdown and plain text to a :class:`~.document.Document`.

What someone gets by copying a page or a leaflet: headings (``#`` in Markdown; in text, a
short line of its own, in capitals or ending in "?"), bullets (``-``, ``*``, ``+``, ``•``,
``–``, ``·``, ``▪``), numbered lines ("1." or "1)"), paragraphs that may be wrapped over
several lines, and leftover chrome ("Share this page", "Back to top"). A list stays a list:
each bullet is one block, never joined to the next.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace

from .chrome import is_chrome
from .dates import parse_iso, shown_dates
from .document import BOLD_HEADING_LEVEL, Block, Document, Metadata
from .text import normalise_text

_BULLET = re.compile(r"^\s*(?:[-*+•–·▪◦●○✓✔]|o(?=\s))\s+(?P<text>.+)$")
_NUMBERED = re.compile(r"^\s*(?:\d{1,2}|[a-z])[.)]\s+(?P<text>.+)$")
_MD_HEADING = re.compile(r"^\s{0,3}(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
_MD_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_MD_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[\[([^\]|]*)(?:\|[^\]]*)?\]\]")
_MD_BOLD_LEAD = re.compile(r"^(\*\*|__)(?P<lead>.+?)\1")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
#: An icon a documentation site writes by name (``:material-clock-edit-outline:``, ``:smile:``).
_ICON = re.compile(r":[a-z0-9]+(?:[-_][a-z0-9]+)+:|:[a-z]+_[a-z_]+:")
#: Pictographs a page puts before a heading or a callout ("☀️ Sunburn", "⚠️ Get help now").
_PICTOGRAPHS = re.compile(r"^[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D\s]+")
#: A task-list box before a list item's text ("- [ ] Wear a hat").
_CHECKBOX = re.compile(r"^\[[ xX]\]\s+")
#: A static site's shortcode line: ``{{< callout type="info" >}}``, ``{{% /note %}}``.
_SHORTCODE = re.compile(r"^\s*\{\{[<%]\s*(?P<close>/)?\s*(?P<name>[\w-]+)[^}]*[>%]\}\}\s*$")
#: Shortcodes whose content is the site's, not the article's.
_CHROME_SHORTCODE = re.compile(r"related|feedback|footer|breadcrumb|share|newsletter|subscribe|promo|cta|banner|nav|toc", re.I)
#: A template tag a static site leaves in its Markdown (``{% include newsletter.html %}``,
#: ``{{ site.phone }}``): never article text.
_TEMPLATE_TAG = re.compile(r"\{%.*?%\}|\{\{(?![<%]).*?\}\}")
#: An abbreviation's definition (``*[GP]: General practitioner``).
_ABBREVIATION = re.compile(r"^\s*\*\[[^\]]+\]:")
#: A line that opens a block of raw HTML (CommonMark's block-level tags).
_HTML_BLOCK = re.compile(r"^\s{0,3}</?(details|summary|div|section|aside|table|thead|tbody|tr|td|th|ul|ol|li|dl|dt|dd|p|figure|blockquote|h[1-6])\b", re.I)
_FRONT_MATTER = re.compile(r"^---\s*\n(?P<body>.*?)\n(?:---|\.\.\.)\s*(?:\n|$)", re.S)
#: Front-matter keys, by the metadata they give.
_FRONT_KEYS = {
    "title": ("title",), "published": ("date", "published", "publishdate", "date_published", "created"),
    "reviewed": ("last_reviewed", "lastreviewed", "reviewed", "review_date", "date_reviewed"), "url": ("canonical", "canonical_url", "url", "permalink"),
}
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
    text = html.unescape(_ICON.sub("", text))
    text = _PICTOGRAPHS.sub("", _TAG.sub("", _MD_LINK.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), _MD_IMAGE.sub("", text))).strip())
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
        self.table: list[str] = []
        self.dropped = 0
        #: Every line's text, chrome included: date lines ("Updated 5 May 2025") are read from it.
        self.texts: list[str] = []

    def flush(self) -> None:
        if self.table:
            self._table()
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

    def table_row(self, line: str) -> None:
        """A row of a Markdown table, read when the table ends (see :meth:`_table`)."""
        if self.para or self.item is not None:
            self.flush()
        self.table.append(line)

    def _table(self) -> None:
        """A Markdown table: each row a fact entry (see :func:`.webpage.data_row`); the header
        row, the one above the ``|---|`` line, gives nothing."""
        from .webpage import data_row

        rows = [[_inline(c)[0] for c in line.strip().strip("|").split("|")] for line in self.table]
        self.table = []
        rule = [i for i, cells in enumerate(rows) if all(re.fullmatch(r"\s*:?-{2,}:?\s*", c) for c in cells)]
        for i, cells in enumerate(rows):
            if i in rule or (rule and i == rule[0] - 1):
                continue
            for block in data_row(cells):
                self._add(block)

    def html(self, chunk: str) -> None:
        """A block of raw HTML in Markdown, read as a web page's blocks are."""
        from .webpage import html_blocks  # the web page reader uses this module's list items

        self.flush()
        for block in html_blocks(chunk):
            self._add(block)

    def list_item(self, text: str, ordered: bool) -> None:
        self.flush()
        plain, lead = _inline(_CHECKBOX.sub("", text))
        self.item = Block("item", plain, int(ordered), lead)

    def line(self, text: str) -> None:
        if self.item is not None:  # a wrapped bullet goes on
            self.item = Block("item", f"{self.item.text} {_inline(text)[0]}", self.item.level, self.item.lead)
        else:
            self.para.append(text.strip())

    def document(self) -> Document:
        self.flush()
        return Document(tuple(self.blocks), shown_dates(self.texts), (("page chrome", self.dropped),) if self.dropped else ())


def front_matter(text: str) -> tuple[Metadata, str]:
    """A static site's YAML front matter (``title:``, ``date:``, ``last_reviewed:``, ...) as
    metadata, and the text after it. Read line by line as ``key: value``: nothing in it is
    run or built, whatever it holds."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return Metadata(), text
    found: dict[str, str] = {}
    for line in m.group("body").splitlines():
        key, sep, value = line.partition(":")
        if sep and not line.startswith((" ", "\t")):
            found[key.strip().lower()] = value.strip().strip("'\"")
    pick = {what: next((found[k] for k in keys if found.get(k)), "") for what, keys in _FRONT_KEYS.items()}
    url = pick["url"] if pick["url"].startswith(("http://", "https://")) else ""
    return Metadata(title=pick["title"], url=url, published=parse_iso(pick["published"]), reviewed=parse_iso(pick["reviewed"])), text[m.end():]


def read_markdown(text: str) -> Document:
    meta, text = front_matter(normalise_text(text))
    lines = [re.sub(r"^\s{0,3}>\s?", "", line) for line in text.split("\n")]  # a callout's lines are read as any others
    out = _Builder()
    hidden = ""  # the chrome shortcode being skipped (one that is closed later: others stand alone)
    closed = {m.group("name") for line in lines if (m := _SHORTCODE.match(line)) and m.group("close")}
    html: list[str] = []  # the lines of a raw HTML block, read as HTML when it ends
    for i, raw in enumerate(lines):
        line = raw.rstrip()
        if shortcode := _SHORTCODE.match(line):
            out.flush()
            name = shortcode.group("name")
            if hidden and shortcode.group("close") and name == hidden:
                hidden = ""
            elif not hidden and not shortcode.group("close") and name in closed and _CHROME_SHORTCODE.search(name):
                hidden = name
            continue
        if hidden:
            continue
        if _ABBREVIATION.match(line) or (line.strip() and not _TEMPLATE_TAG.sub("", line).strip()):
            out.flush()
            continue
        line = _TEMPLATE_TAG.sub("", line)
        if _HTML_BLOCK.match(line) or html:
            html.append(line)
            if not line.strip():
                out.html("\n".join(html))
                html = []
            continue
        next_line = lines[i + 1] if i + 1 < len(lines) else ""
        if not line.strip():
            out.flush()
        elif m := _MD_HEADING.match(line):
            out.heading(m.group("text"), len(m.group("hashes")))
        elif _MD_SETEXT.match(line) and out.para and len(out.para) == 1 and not out.item:
            text = out.para.pop()
            out.heading(text, 1 if line.strip().startswith("=") else 2)
        elif line.lstrip().startswith("|") and line.rstrip().endswith("|"):
            out.table_row(line)
        elif _MD_RULE.match(line):
            out.flush()
        elif out.chrome(_inline(line)[0]):
            pass
        elif item := list_item(line):
            out.list_item(*item)
        elif _MD_SETEXT.match(next_line) and next_line.strip() and not out.para and not out.item:
            out.para.append(line.strip())
        else:
            out.line(line)
    if html:
        out.html("\n".join(html))
    document = out.document()
    return replace(document, meta=meta.merged(document.meta))


def read_text(text: str) -> Document:
    lines = normalise_text(text).split("\n")
    out = _Builder()
    previous_blank = True
    chrome_open = False  # the last line was chrome and its sentence goes on
    for i, raw in enumerate(lines):
        line = raw.strip()
        next_line = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if not line:
            out.flush()
            previous_blank = True
            chrome_open = False
            continue
        if (chrome_open and not list_item(line)) or out.chrome(line):
            out.dropped += chrome_open
            # a wrapped chrome sentence goes on in the next line when that starts in lower case
            chrome_open = not line.endswith((".", "!", "?", ":")) and next_line[:1].islower()
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
