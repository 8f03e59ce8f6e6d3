"""Word files (.docx) to HTML, read by mammoth, which maps heading styles to ``<h1>``-``<h6>``
and Word's lists to ``<ul>``/``<ol>``. Headings typed as bold paragraphs and bullets typed as
"•" are handled by the readers after it, as in any other article."""

from __future__ import annotations

import io
import zipfile

from .errors import ArticleError

#: The first bytes of every zip file, a .docx among them.
ZIP_MAGIC = b"PK\x03\x04"
#: Word's own title styles, which mammoth leaves as paragraphs: the document's title is its
#: ``<h1>`` (headings below it keep their levels); its subtitle ("A guide for students") is left out.
STYLE_MAP = "p[style-name='Title'] => h1.doc-title:fresh\np[style-name='Subtitle'] => !"
#: A Word file whose parts unpack to more than this is refused before it is read.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024


def is_docx(raw: bytes) -> bool:
    if not raw.startswith(ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def docx_html(raw: bytes, source: str) -> str:
    """The document's HTML; an unreadable file is an :class:`ArticleError`."""
    import mammoth

    if not is_docx(raw):
        raise ArticleError(f"{source} is not a Word document (.docx) that can be read; save it again as .docx, or as HTML or text")
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise ArticleError(f"{source} unpacks to more than {MAX_UNPACKED_BYTES:,} bytes, too large for an article")
    try:
        result = mammoth.convert_to_html(io.BytesIO(raw), style_map=STYLE_MAP)
    except Exception as exc:  # noqa: BLE001 - mammoth raises many kinds on a damaged file
        raise ArticleError(f"{source} could not be read as a Word document ({type(exc).__name__}); save it again as .docx, or as HTML or text") from None
    return str(result.value)
