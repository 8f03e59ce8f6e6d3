"""Article files (plain text, Markdown, HTML) to a clean list of paragraphs.

Real files arrive with Windows line endings, smart quotes and dashes, Markdown markup, or a
whole web page around the article. Everything is reduced to one paragraph per block, in
reading order, so :mod:`.article` only has to understand the magazine's structure.
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import PurePath

from ..content.localise import PLACEHOLDER
from ..content.yamlio import FORBIDDEN

#: Elements whose text is never part of the article.
_SKIP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "svg", "template", "iframe"}
_BLOCK = {"p", "div", "section", "article", "main", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "blockquote", "figcaption", "dt", "dd", "ol", "ul", "table"}
_PUNCTUATION = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "\u00a0": " ", "\u2009": " ", "\u200b": ""})
#: Every character some reader takes for a line or paragraph break, as plain line feeds.
#: (A YAML reader breaks a comment line at U+0085, U+2028 or U+2029: left in an article's
#: text, they would turn the rest of a comment into YAML.)
_BREAKS = str.maketrans({"\x85": "\n", "\u2028": "\n", "\u2029": "\n\n", "\x0b": "\n", "\x0c": "\n\n", "\x1c": "\n\n", "\x1d": "\n\n", "\x1e": "\n"})


def normalise_text(text: str) -> str:
    """NFC, Unix line endings, plain quotes, no control characters; dashes are kept (titles
    use them). ``{word}`` becomes ``(word)``: in content it would be a region placeholder."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = FORBIDDEN.sub("", text.translate(_BREAKS)).translate(_PUNCTUATION)
    return PLACEHOLDER.sub(r"(\1)", text)


class _ArticleHTML(HTMLParser):
    """Collects block texts, preferring <article> (or <main>) when the page has one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[int, str]] = []  # (depth inside article/main, text)
        self._skip = 0
        self._scope = 0
        self._current: list[str] = []
        self._list_counter: list[int] = []
        self.has_scope = False

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.blocks.append((self._scope, text))
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
            return
        if tag in ("article", "main"):
            self._scope += 1
            self.has_scope = True
        if tag in _BLOCK:
            self._flush()
        if tag == "ol":
            self._list_counter.append(0)
        if tag == "li" and self._list_counter:
            self._list_counter[-1] += 1
            self._current.append(f"{self._list_counter[-1]}. ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
            return
        if tag in _BLOCK:
            self._flush()
        if tag == "ol" and self._list_counter:
            self._list_counter.pop()
        if tag in ("article", "main"):
            self._scope = max(0, self._scope - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_paragraphs(text: str) -> list[str]:
    parser = _ArticleHTML()
    parser.feed(text)
    parser.close()
    if parser.has_scope:
        return [t for depth, t in parser.blocks if depth > 0]
    return [t for _, t in parser.blocks]


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_BULLET = re.compile(r"^\s*[-*+]\s+")


def markdown_paragraphs(text: str) -> list[str]:
    lines = []
    for line in text.split("\n"):
        line = _MD_HEADING.sub("", line)
        line = _MD_LINK.sub(r"\1", line)
        line = _MD_EMPHASIS.sub(r"\2", line)
        line = _MD_BULLET.sub("", line)
        lines.append(line.rstrip())
    return text_paragraphs("\n".join(lines))


def text_paragraphs(text: str) -> list[str]:
    """Blocks separated by blank lines; a numbered item always starts a new block."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        current: list[str] = []
        for line in block.split("\n"):
            line = line.strip()
            if not line:
                continue
            if re.match(r"^\d{1,2}[.)]\s", line) and current:
                out.append(" ".join(current))
                current = []
            current.append(line)
        if current:
            out.append(" ".join(current))
    return out


def detect_format(name: str, text: str) -> str:
    suffix = PurePath(name).suffix.lower()
    if suffix in (".html", ".htm"):
        return "html"
    if suffix in (".md", ".markdown"):
        return "markdown"
    if suffix in (".txt", ""):
        head = text.lstrip()[:200].lower()
        return "html" if head.startswith(("<!doctype html", "<html")) else "text"
    return "text"


def paragraphs(text: str, fmt: str) -> list[str]:
    text = normalise_text(text)
    if fmt == "html":
        return [normalise_text(html.unescape(p)) for p in html_paragraphs(text)]
    if fmt == "markdown":
        return markdown_paragraphs(text)
    return text_paragraphs(text)
