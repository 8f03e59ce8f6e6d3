"""Web pages (and Word files, through their HTML) to a :class:`~.document.Document`.

The article body is found by trafilatura, a maintained main-content extractor that keeps
headings, lists and bold text and drops menus, banners, sidebars and footers. When it finds
nothing, the page's ``<main>`` or ``<article>`` (else its body, less the usual chrome) is
read instead. What a page says about itself comes from its JSON-LD (``headline``,
``datePublished``, ``dateModified``, ``lastReviewed``, ``publisher``), OpenGraph
(``og:title``, ``og:site_name``, ``og:url``, ``article:published_time``), ``<title>``, the
canonical link, its first ``<h1>``, and visible date lines ("Page last reviewed: 5 March
2026", "Updated on March 5, 2026"); htmldate is asked last, for a published date.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import replace
from typing import Any, Iterator

import lxml.html
from lxml import etree

from .chrome import is_chrome
from .dates import parse_iso, shown_dates
from .document import BOLD_HEADING_LEVEL, Block, Document, Metadata
from .plaintext import list_item
from .tiers import tier_of

#: Elements whose text is never article text.
_SKIP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "button", "svg", "template", "iframe",
         "select", "input", "label", "figure", "img", "picture", "video", "audio", "canvas", "object", "embed", "table"}
#: class or id words of containers that hold chrome, for pages read without trafilatura.
_CHROME_CONTAINER = re.compile(
    r"(^|[-_ ])(cookie|banner|nav|navbar|menu|breadcrumbs?|footer|sidebar|related|newsletter|share|social|advert|ads?|promo|"
    r"comments?|masthead|skip|feedback|subscribe|signup|toolbar|infobox|navbox|references|reflist|toc)($|[-_ ])", re.I)
#: Citation and edit markers an encyclopedia puts in its text: "[3]", "[edit]", "[citation needed]".
_MARKERS = re.compile(r"\[(?:edit|\d{1,3}|[a-z]|citation needed|note \d+)\]", re.I)
#: class or id words of boxes that are never article text, whatever they hold (a promotion
#: with its own heading): taken out of the page before its body is looked for.
_PROMO_CONTAINER = re.compile(
    r"(^|[-_ ])(cookies?|promo|advert|ads?|newsletter|share|social|related|subscribe|signup|feedback|breadcrumbs?|skip-?link|cta|call-to-action)($|[-_ ])", re.I)
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
# The extractors log what they could not parse; an import reports what matters in its own words.
for _logger in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_logger).addHandler(logging.NullHandler())
    logging.getLogger(_logger).propagate = False
_PARAGRAPHS = {"p", "blockquote", "dt", "dd", "summary", "figcaption", "pre", "address"}
_BOLD = {"strong", "b"}
#: A paragraph wholly in bold with at most this many words is a heading.
MAX_BOLD_HEADING_WORDS = 14


def _text(element: Any, skip_lists: bool = False) -> str:
    parts: list[str] = []

    def walk(el: Any) -> None:
        if not isinstance(el.tag, str) or el.tag in _SKIP or (skip_lists and el.tag in ("ul", "ol")):
            if el.tail:
                parts.append(el.tail)
            return
        if el.tag == "br":
            parts.append(" ")
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
        if el.tail and el is not element:
            parts.append(el.tail)

    walk(element)
    return " ".join(_MARKERS.sub("", "".join(parts)).split())


def _lead(element: Any) -> str:
    """The bold words an element starts with, if it starts with bold."""
    if (element.text or "").strip():
        return ""
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if child.tag in _BOLD:
            return " ".join(child.text_content().split())
        if child.tag in ("span", "a", "em", "i") and not (child.text or "").strip():
            return _lead(child)
        return ""
    return ""


def data_row(cells: list[str], header: bool = False) -> Iterator[Block]:
    """A row of a table of facts ("Norovirus | the winter vomiting bug | 12 to 48 hours"): one
    entry named by its first cell, described by the others; a header row gives nothing."""
    filled = [c for c in cells if c.strip()]
    if header or len(filled) < 2:
        return
    yield Block("item", f"{filled[0]}: {'; '.join(filled[1:])}", 0, filled[0])


def _row_blocks(row: Any) -> Iterator[Block]:
    """A table row of a document: its cells' blocks in order, and where the row holds a list
    of signs and names a tier of help in another cell ("Call 999 if..." | "Ring the triage
    line; if your baby is older, call 111"), a lead-in line that carries that tier first."""
    cells = [list(_blocks(cell, tables=True)) for cell in row if isinstance(cell.tag, str) and cell.tag in ("td", "th")]
    if len(cells) >= 2 and all(len(c) <= 1 and all(b.kind != "item" for b in c) for c in cells):
        yield from data_row([c[0].text if c else "" for c in cells], header=any(c and c[0].kind == "heading" for c in cells) or row.find("th") is not None)
        return
    blocks = [b for cell in cells for b in cell]
    items = [b for b in blocks if b.kind == "item"]
    said = [b for b in blocks if b.kind != "item"]
    # a cell that leads into its own lists ("Speak to a pharmacist if:" then a list) is read in order
    own = any(tier_of(b.text) for cell in cells if any(x.kind == "item" for x in cell) for b in cell if b.kind != "item")
    tier = next((t for b in said if (t := tier_of(b.text))), None) if items and not own else None
    if tier and said:
        lead_in = said[0].text.rstrip(" .…:") + ":"
        yield Block("item", lead_in, tier=tier)
        yield from items
        yield from said[1:]
    else:
        yield from blocks


def _blocks(root: Any, tables: bool = False) -> Iterator[Block]:
    """The blocks of an HTML tree, in reading order; ``tables``: read tables (a document's
    tables hold its text; a web page's are read by the extractor or left out)."""
    for element in root:
        if not isinstance(element.tag, str):
            continue
        tag = element.tag
        if tables and tag == "table":
            for row in element.iter("tr"):
                yield from _row_blocks(row)
            continue
        if tag in _SKIP:
            continue
        if tag in _HEADINGS:
            text = _text(element)
            if text:
                yield Block("heading", text, _HEADINGS[tag])
        elif tag in _PARAGRAPHS:
            text = _text(element)
            lead = _lead(element)
            if not text:
                continue
            if tag == "summary" or (lead and lead == text and len(text.split()) <= MAX_BOLD_HEADING_WORDS):
                yield Block("heading", text, BOLD_HEADING_LEVEL)
            else:
                yield Block("para", text, lead=lead)
        elif tag == "li":
            text = _text(element, skip_lists=True)
            if text:
                yield Block("item", text, 1 if element.getparent() is not None and element.getparent().tag == "ol" else 0, _lead(element))
            for child in element:
                if isinstance(child.tag, str) and child.tag in ("ul", "ol"):
                    yield from _blocks(child, tables)
        else:
            has_blocks = any(isinstance(c.tag, str) and (c.tag in _HEADINGS or c.tag in _PARAGRAPHS or c.tag in ("li", "div", "ul", "ol", "section", "details", "dl")) for c in element)
            if has_blocks:
                if (element.text or "").strip():
                    yield Block("para", " ".join(element.text.split()))
                yield from _blocks(element, tables)
            elif tag not in ("ul", "ol"):
                text = _text(element)
                if text:
                    lead = _lead(element)
                    if lead == text and len(text.split()) <= MAX_BOLD_HEADING_WORDS:
                        yield Block("heading", text, BOLD_HEADING_LEVEL)
                    else:
                        yield Block("para", text, lead=lead)
        if element.tail and element.tail.strip() and tag not in ("li",):
            yield Block("para", " ".join(element.tail.split()))


def _typed_lists(blocks: Iterator[Block]) -> Iterator[Block]:
    """Bullets and numbers typed into paragraphs ("• a sore throat", "1. Wet the hair") are
    list items, as in a Word file made without list styles."""
    for block in blocks:
        item = list_item(block.text) if block.kind == "para" else None
        if item:
            text, numbered = item
            lead = block.lead if block.lead and text.startswith(block.lead) else ""
            yield Block("item", text, int(numbered), lead)
        else:
            yield block


def fragment_blocks(html: str, chrome: bool = False, tables: bool = False) -> list[Block]:
    """Blocks of an HTML fragment that is all article (trafilatura's output, a Word file);
    ``chrome``: keep the lines that are page chrome too; ``tables``: read its tables."""
    if not html.strip():
        return []
    root = lxml.html.document_fromstring(html)
    body = root.find("body")
    return [b for b in _typed_lists(_blocks(body if body is not None else root, tables)) if chrome or not is_chrome(b.text)]


# -- metadata ------------------------------------------------------------------------------
def _json_ld(root: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def collect(value: Any) -> None:
        if isinstance(value, list):
            for v in value:
                collect(v)
        elif isinstance(value, dict):
            found.append(value)
            collect(value.get("@graph"))
            collect(value.get("mainEntity"))

    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() == "application/ld+json" and script.text:
            try:
                collect(json.loads(script.text))
            except (ValueError, RecursionError):
                continue
    return found


def _name(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("name", "")
    return " ".join(value.split()) if isinstance(value, str) else ""


def _first(value: Any) -> Any:
    """The first of a list (JSON-LD allows one value or several), else the value."""
    return (min(value, key=str) if all(isinstance(v, str) for v in value) else value[0]) if isinstance(value, list) and value else value


def _meta(root: Any, *names: str) -> str:
    for name in names:
        for el in root.iter("meta"):
            if (el.get("property") or el.get("name") or "").strip().lower() == name and (el.get("content") or "").strip():
                return " ".join(el.get("content").split())
    return ""


def _first_h1(root: Any) -> str:
    for h1 in root.iter("h1"):
        if any(isinstance(a.tag, str) and a.tag in ("nav", "footer", "aside") for a in h1.iterancestors()):
            continue
        text = _text(h1)
        if text:
            return text
    return ""


_LINE_TAGS = {"p", "div", "li", "dd", "dt", "td", "th", "span", "time", "small", "section", "footer", "header", "aside",
              "h1", "h2", "h3", "h4", "h5", "h6", "address", "figcaption", "article", "main"}


def _visible_lines(root: Any) -> list[str]:
    """The text of every element that holds no block of its own, in page order: where a
    page shows "Page last reviewed: ..." (even in its footer or header)."""
    body = root.find("body")
    lines: list[str] = []
    for el in (body if body is not None else root).iter():
        if not isinstance(el.tag, str) or el.tag not in _LINE_TAGS:
            continue
        if any(isinstance(a.tag, str) and a.tag in ("script", "style", "noscript", "template") for a in el.iterancestors()):
            continue
        if any(isinstance(c.tag, str) and c.tag in _LINE_TAGS and c.tag not in ("span", "time", "small") for c in el):
            continue
        text = " ".join(el.text_content().split())
        if text:
            lines.append(text)
    return lines


def page_metadata(root: Any, html: str) -> Metadata:
    title = publisher = url = ""
    published = reviewed = modified = None
    things = _json_ld(root)
    for thing in things:
        title = title or _name(thing.get("headline")) or (_name(thing.get("name")) if "MedicalCondition" not in str(thing.get("@type")) else "")
        publisher = publisher or _name(thing.get("publisher"))
        found_url = thing.get("url")
        url = url or (found_url if isinstance(found_url, str) else "")
        reviewed = reviewed or parse_iso(_first(thing.get("lastReviewed")))
        published = published or parse_iso(_first(thing.get("datePublished")))
        modified = modified or parse_iso(_first(thing.get("dateModified")))
    canonical = next((el.get("href") for el in root.iter("link") if "canonical" in (el.get("rel") or "").lower().split() and el.get("href")), "")
    language = language_tag(root.get("lang") or root.get("xml:lang") or "") or language_tag(_meta(root, "og:locale", "content-language", "language"))
    if not language:
        language = next((language_tag(str(_first(t.get("inLanguage")))) for t in things if t.get("inLanguage")), "")
    shown = shown_dates(_visible_lines(root), language)
    page_title = root.find(".//title")
    meta = Metadata(
        title=_first_h1(root) or title or _meta(root, "og:title") or (_text(page_title) if page_title is not None else ""),
        publisher=publisher or _meta(root, "og:site_name", "application-name", "publisher", "dc.publisher"),
        url=canonical or _meta(root, "og:url") or url,
        # what the page shows comes first: "Updated on March 5, 2026" is the version a reader sees
        published=(shown.published or published or parse_iso(_meta(root, "article:published_time", "date", "dc.date"))
                   or modified or parse_iso(_meta(root, "article:modified_time"))),
        reviewed=shown.reviewed or reviewed,
        language=language,
        notes=shown.notes,
    )
    if meta.published is None:
        meta = replace(meta, published=_htmldate(html))
    return meta


_LANGUAGE = re.compile(r"^([A-Za-z]{2,3})(?:[-_]([A-Za-z0-9]{2,8}))?$")


def language_tag(value: str) -> str:
    """A page's language as a BCP 47 tag: "en-gb", "en_GB" and "EN-GB" are "en-GB"; "" if it is none."""
    m = _LANGUAGE.match(value.strip())
    if not m:
        return ""
    primary, region = m.group(1).lower(), m.group(2) or ""
    return f"{primary}-{region.upper() if len(region) == 2 else region}" if region else primary


def _htmldate(html: str) -> Any:
    try:
        from htmldate import find_date
    except ImportError:  # pragma: no cover - a dependency of healthkit
        return None
    try:
        found = find_date(html, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
    except Exception:  # noqa: BLE001 - a date guesser must never stop an import
        return None
    return parse_iso(found) if found else None


# -- the body ------------------------------------------------------------------------------
def _trafilatura_body(html: str) -> str:
    import trafilatura

    out = trafilatura.extract(
        html, output_format="html", include_formatting=True, include_links=False, include_images=False,
        include_tables=False, include_comments=False, favor_precision=False, deduplicate=False, with_metadata=False,
    )
    return out or ""


def _drop_promotions(root: Any) -> None:
    for el in list(root.iter()):
        if isinstance(el.tag, str) and el.tag not in ("html", "body", "main", "article") and el.getparent() is not None:
            if _PROMO_CONTAINER.search(" ".join([el.get("class") or "", el.get("id") or ""])):
                el.drop_tree()


#: A form holding fewer words than this is a search box or a sign-up, not a page that an
#: older site wraps whole in one ``<form>``.
MAX_FORM_WORDS = 150


def _is_small_form(el: Any) -> bool:
    return bool(el.tag == "form" and len(el.text_content().split()) < MAX_FORM_WORDS)


def _open_accordions(root: Any) -> None:
    """Show a page's folded parts as text: a question on a button inside a heading (the usual
    accordion) becomes the heading's text, and a panel the page hides until that button is
    pressed (``hidden``, ``aria-hidden``) is shown."""
    controlled = {c for el in root.iter("button") for c in (el.get("aria-controls") or "").split()}
    for button in list(root.iter("button")):
        if any(isinstance(a.tag, str) and a.tag in _HEADINGS for a in button.iterancestors()) or button.get("aria-controls"):
            button.drop_tag()
    for el in root.iter():
        if isinstance(el.tag, str) and el.get("id") in controlled:
            el.attrib.pop("hidden", None)
            el.attrib.pop("aria-hidden", None)


def _own_body(root: Any) -> list[Block]:
    """The body without trafilatura: <main> or <article>, else the page less its chrome."""
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        marks = " ".join([el.get("class") or "", el.get("id") or "", el.get("role") or ""])
        if el.tag in _SKIP or _is_small_form(el) or (el.tag in ("div", "section", "ul", "ol", "span", "p") and _CHROME_CONTAINER.search(marks)):
            if el.getparent() is not None:
                el.drop_tree()
    scope = next((el for el in root.iter("main", "article") if isinstance(el.tag, str)), None)
    body = scope if scope is not None else root.find("body")
    return [b for b in _typed_lists(_blocks(body if body is not None else root)) if not is_chrome(b.text)]


#: An article body with fewer headings than this is compared with the page's own structure.
MIN_HEADINGS = 2


def _headings(blocks: list[Block]) -> int:
    return sum(b.kind == "heading" for b in blocks)


def read_page(html: str) -> Document:
    """A whole web page: its article body and what it says about itself."""
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.LxmlError, ValueError, RecursionError):
        return Document(())
    meta = page_metadata(root, html)
    _open_accordions(root)
    _drop_promotions(root)
    try:
        body = _trafilatura_body(lxml.html.tostring(root, encoding="unicode"))
        blocks = fragment_blocks(body) if body else []
    except (etree.LxmlError, ValueError, RecursionError):
        blocks = []
    how = "trafilatura"
    if sum(len(b.text.split()) for b in blocks) < 60 or _headings(blocks) < MIN_HEADINGS:
        own = _own_body(root)
        # trafilatura can drop a page's headings and lists (headings inside a styled div):
        # the page's own structure is read instead when it has more of them
        if _headings(own) > _headings(blocks) or sum(len(b.text.split()) for b in blocks) < 60:
            blocks, how = own, "page"
    return Document(tuple(blocks), meta, (("body found by " + how, 1),))


def html_blocks(html: str) -> list[Block]:
    """The blocks of raw HTML inside a Markdown file (``<details>``, ``<table>``, a promotion's
    ``<div class="cta">``): promotions taken out, folded parts opened, tables read."""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.LxmlError, ValueError, RecursionError):
        return []
    _open_accordions(root)
    _drop_promotions(root)
    return [b for b in _typed_lists(_blocks(root, tables=True)) if not is_chrome(b.text)]


def read_fragment(html: str) -> Document:
    """HTML that is all article (a Word file converted to HTML)."""
    every = fragment_blocks(html, chrome=True, tables=True)
    blocks = [b for b in every if not is_chrome(b.text)]
    return Document(tuple(blocks), shown_dates([b.text for b in every]))
