"""Import health articles (web pages, addresses, Markdown, text, Word files) as draft condition files."""

from .article import ImportReport, read_article
from .draft import import_article, imports_article, render_draft
from .errors import ArticleError, FetchError
from .fetch import MAX_ARTICLE_BYTES
from .formats import FORMATS

__all__ = [
    "FORMATS", "MAX_ARTICLE_BYTES", "ArticleError", "FetchError", "ImportReport", "import_article", "imports_article",
    "read_article", "render_draft",
]
