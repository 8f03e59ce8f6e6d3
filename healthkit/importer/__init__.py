"""Import magazine condition articles (text, Markdown, HTML) as draft condition files."""

from .article import ArticleError, ImportReport, read_article
from .draft import MAX_ARTICLE_BYTES, import_article, render_draft

__all__ = ["MAX_ARTICLE_BYTES", "ArticleError", "ImportReport", "import_article", "read_article", "render_draft"]
