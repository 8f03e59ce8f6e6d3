"""Import magazine condition articles (text, Markdown, HTML) as draft condition files."""

from .article import ArticleError, ImportReport, read_article
from .draft import import_article, render_draft

__all__ = ["ArticleError", "ImportReport", "import_article", "read_article", "render_draft"]
