"""An article as every reader hands it on: metadata and a flat run of blocks.

Each input format (:mod:`.formats`) has a reader that turns its bytes into a
:class:`Document`: headings with their level, paragraphs, and list items, each with the
bold words it starts with, if any. :mod:`.outline` then reads the sections out of the
blocks, whatever the publisher.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Literal

BlockKind = Literal["heading", "para", "item"]

#: The level given to a heading that is only a short paragraph in bold (a Word file with no
#: heading styles, a web page's bold "question" line): below h1-h3, so it never outranks
#: a real heading.
BOLD_HEADING_LEVEL = 4


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str
    #: A heading's level (1 to 6); for a list item, whether its list is numbered (1) or not (0).
    level: int = 0
    #: The bold words the block starts with ("Chew gum" in "**Chew gum** – it makes saliva").
    lead: str = ""
    #: For a line that leads into a list of warning signs, the tier of help its table row
    #: names elsewhere (a "Signs / What to do" table); "" when the line says it itself.
    tier: str = ""


@dataclass(frozen=True)
class Metadata:
    """What a page says about itself, apart from its text."""

    title: str = ""
    publisher: str = ""
    url: str = ""
    published: dt.date | None = None
    reviewed: dt.date | None = None
    #: The page's language as a BCP 47 tag ("en-GB"), or "" when it does not say.
    language: str = ""
    #: Dates the page shows that could not be used (a month without a day), for the report.
    notes: tuple[str, ...] = ()

    def merged(self, other: Metadata) -> Metadata:
        """This metadata with the gaps filled from ``other``."""
        return replace(
            self,
            title=self.title or other.title,
            publisher=self.publisher or other.publisher,
            url=self.url or other.url,
            published=self.published or other.published,
            reviewed=self.reviewed or other.reviewed,
            language=self.language or other.language,
            notes=self.notes + tuple(n for n in other.notes if n not in self.notes),
        )


@dataclass(frozen=True)
class Document:
    blocks: tuple[Block, ...]
    meta: Metadata = field(default_factory=Metadata)
    #: What the reader left out, by kind, for the report ("page chrome": 12).
    dropped: tuple[tuple[str, int], ...] = ()
