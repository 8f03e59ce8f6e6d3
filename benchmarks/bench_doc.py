"""Update one section of docs/benchmarks.md, leaving the rest of the file as it is."""

from __future__ import annotations

from pathlib import Path


def replace_section(doc: Path, section: str) -> None:
    """Put ``section`` (which starts with its own ``## `` heading) in place of the section of
    that heading in ``doc``, up to the next ``## `` heading; append it if there is none."""
    heading = section.split("\n", 1)[0]
    assert heading.startswith("## "), heading
    text = doc.read_text() if doc.exists() else "# Benchmarks\n"
    if heading + "\n" in text:
        before, rest = text.split(heading + "\n", 1)
        after = rest.split("\n## ", 1)
        text = before + section.rstrip("\n") + "\n" + ("\n## " + after[1] if len(after) > 1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n"
    doc.write_text(text)
