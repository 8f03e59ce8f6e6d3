"""The importer's errors: one line that says what was wrong and what to do."""

from __future__ import annotations

from ..errors import HealthkitError


class ArticleError(HealthkitError):
    """The input is not an article healthkit can read (or could not be read at all)."""


class FetchError(ArticleError):
    """An address could not be fetched as an article: the address, and what went wrong."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        return (type(self), (self.url, self.reason))
