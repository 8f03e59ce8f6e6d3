"""The input formats ``healthkit import`` reads: one table, each entry with how it is
recognised, how its bytes become text, and its reader.

A format is chosen by the server's media type (for an address), else by the file's ending,
else by what the bytes look like (a zip holding ``word/document.xml`` is a Word file; text
that starts like a web page is HTML).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import PurePath
from types import MappingProxyType
from typing import Callable, Mapping

from .document import Document
from .errors import ArticleError
from .plaintext import read_markdown, read_text
from .webpage import read_fragment, read_page
from .wordfile import ZIP_MAGIC, docx_html, is_docx


def _decode(raw: bytes, source: str, declared: str | None = None) -> str:
    """Text from bytes: a byte-order mark, else the declared charset, else UTF-8, else
    Windows-1252 (what older sites and Word's "save as text" write)."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            return raw.decode(encoding, errors="replace")
    if b"\x00" in raw[:4096]:
        raise ArticleError(f"{source} is a binary file, not an article; give a web page, text, Markdown or a Word file (.docx)")
    for encoding in (declared or "", "utf-8"):
        if encoding:
            try:
                return raw.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue
    return raw.decode("cp1252", errors="replace")


_HTML_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _decode_html(raw: bytes, source: str, declared: str | None = None) -> str:
    m = _HTML_CHARSET.search(raw[:4096])
    return _decode(raw, source, declared or (m.group(1).decode("ascii", "replace") if m else None))


@dataclass(frozen=True)
class InputFormat:
    name: str
    doc: str
    suffixes: tuple[str, ...]
    #: Bytes to text: (data, source name, declared charset) -> text.
    decode: Callable[[bytes, str, "str | None"], str]
    #: Text to a document.
    read: Callable[[str], Document]
    #: How the magazine layout's reader takes this format's text (see :mod:`.article`).
    magazine: str


def _docx_text(raw: bytes, source: str, declared: str | None = None) -> str:
    return docx_html(raw, source)


FORMATS: Mapping[str, InputFormat] = MappingProxyType({f.name: f for f in (
    InputFormat("html", "a web page (saved or fetched)", (".html", ".htm", ".xhtml"), _decode_html, read_page, "html"),
    InputFormat("markdown", "Markdown", (".md", ".markdown"), _decode, read_markdown, "markdown"),
    InputFormat("text", "plain text (a copied page or leaflet)", (".txt", ".text", ""), _decode, read_text, "text"),
    InputFormat("docx", "a Word document", (".docx",), _docx_text, read_fragment, "html"),
)})

_MARKDOWN_HEADING = re.compile(rb"^#{1,6} \S", re.M)
_REFUSED = {b"%PDF": "a PDF file: save the article as a web page, text or .docx first",
            b"\x89PNG": "an image, not an article", b"\xff\xd8\xff": "an image, not an article", b"GIF8": "an image, not an article"}


def detect(name: str, raw: bytes, media_format: str | None = None) -> InputFormat:
    """The format of ``raw``, named ``name``; ``media_format``: what the server said it is."""
    for magic, what in _REFUSED.items():
        if raw.startswith(magic):
            raise ArticleError(f"{name} is {what}")
    if raw.startswith(ZIP_MAGIC):
        if is_docx(raw):
            return FORMATS["docx"]
        raise ArticleError(f"{name} is a zip file but not a Word document (.docx)")
    if media_format and media_format != "docx":
        chosen = FORMATS[media_format]
    else:
        suffix = PurePath(name).suffix.lower()
        chosen = next((f for f in FORMATS.values() if suffix in f.suffixes and f.name != "docx"), FORMATS["text"])
        if suffix == ".docx":
            raise ArticleError(f"{name} is not a Word document (.docx) that can be read; save it again as .docx, or as HTML or text")
    if chosen.name == "text":
        head = raw.lstrip()[:512].lower()
        if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
            return FORMATS["html"]
        if _MARKDOWN_HEADING.search(raw[:65536]):  # text with "## Symptoms" lines is Markdown (standard input has no name)
            return FORMATS["markdown"]
    return chosen


def format_names() -> str:
    """"web pages (.html), Markdown (.md), ..." for help texts."""
    return ", ".join(f"{f.doc} ({', '.join(s for s in f.suffixes if s)})" for f in FORMATS.values())
