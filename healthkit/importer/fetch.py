"""Fetching an article from an ``http(s)://`` address.

Only ``http`` and ``https`` are fetched, and a redirect to any other scheme is refused. The
whole fetch has a deadline, a page over :data:`MAX_ARTICLE_BYTES` is refused (by its
Content-Length, or as soon as more arrives), and only web pages, text and Word files are
taken. Every failure is one :class:`FetchError` line: the address and what went wrong.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message
from typing import IO, Any

from .errors import FetchError

#: Articles larger than this are refused before they are read (a saved web page with its
#: scripts and inline images is rarely over 2 MB).
MAX_ARTICLE_BYTES = 10 * 1024 * 1024
#: Seconds the whole fetch may take, redirects and all.
TIMEOUT = 30.0
SCHEMES = ("http", "https")
USER_AGENT = "healthkit-import (+article importer; one page, on request)"
#: Media types an article may come as, and the input format each is read as.
MEDIA_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}
_CHUNK = 64 * 1024


def is_address(text: str) -> bool:
    """Whether a command-line argument is a web address rather than a file name."""
    return "://" in text and urllib.parse.urlsplit(text).scheme.lower() in (*SCHEMES, "file", "ftp", "data", "javascript")


@dataclass(frozen=True)
class Fetched:
    data: bytes
    url: str
    media_type: str
    charset: str | None


class _Redirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        scheme = urllib.parse.urlsplit(newurl).scheme.lower()
        if scheme not in SCHEMES:
            raise FetchError(req.full_url, f"redirected to a {scheme or 'schemeless'}: address ({newurl}); only http and https are followed")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener() -> urllib.request.OpenerDirector:
    # No proxy handler from the environment is needed to reach a page, and no file: or ftp:
    # handler is installed, so nothing but http(s) can ever be opened.
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.HTTPHandler(), urllib.request.HTTPSHandler(),
                    urllib.request.HTTPDefaultErrorHandler(), _Redirects(), urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def _reason(exc: BaseException, timeout: float) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        if 300 <= exc.code < 400 and exc.headers.get("Location"):
            return f"redirected to {exc.headers.get('Location')}, which is not an http or https address; only http and https are followed"
        return f"the server answered {exc.code} {exc.reason}"
    if isinstance(exc, urllib.error.URLError):
        exc = exc.reason if isinstance(exc.reason, BaseException) else exc
        if isinstance(exc, urllib.error.URLError):
            return f"could not be fetched: {exc.reason}"
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return f"no answer within {timeout:g} seconds"
    if isinstance(exc, socket.gaierror):
        return "the host name could not be found (check the address and your connection)"
    if isinstance(exc, ConnectionRefusedError):
        return "the connection was refused"
    if isinstance(exc, ssl.SSLError):
        return f"a secure connection could not be made ({exc.reason or exc})"
    if isinstance(exc, (http.client.HTTPException, ConnectionError)):
        return "the connection broke before the page arrived"
    return f"could not be fetched ({type(exc).__name__}: {exc})"


def _read(response: IO[bytes], url: str, deadline: float, timeout: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise FetchError(url, f"the page did not arrive within {timeout:g} seconds")
        chunk = response.read(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_ARTICLE_BYTES:
            raise FetchError(url, f"the page is over the {MAX_ARTICLE_BYTES:,}-byte limit for an article")
        chunks.append(chunk)


def _media_type(headers: Message, url: str) -> tuple[str, str | None]:
    media = (headers.get_content_type() or "").lower() if headers.get("Content-Type") else ""
    path = urllib.parse.urlsplit(url).path.lower()
    if media in ("", "application/octet-stream", "binary/octet-stream") and path.endswith(".docx"):
        media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    elif media == "" and path.endswith((".md", ".markdown")):
        media = "text/markdown"
    elif media == "":
        media = "text/html"
    if media == "text/plain" and path.endswith((".md", ".markdown")):
        media = "text/markdown"
    if media not in MEDIA_TYPES:
        raise FetchError(url, f"the address gives {media}, not a web page, text or a Word file")
    return media, headers.get_content_charset()


def fetch(url: str, timeout: float = TIMEOUT) -> Fetched:
    """The article at ``url``; :class:`FetchError` for anything but a page that arrived whole."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        raise FetchError(url, f"only http:// and https:// addresses are fetched, not {parts.scheme or 'this'}:")
    if not parts.hostname:
        raise FetchError(url, "the address names no host")
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": ", ".join(MEDIA_TYPES) + ";q=0.9, */*;q=0.1"})
    try:
        with _opener().open(request, timeout=timeout) as response:
            final = response.geturl()
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > MAX_ARTICLE_BYTES:
                raise FetchError(url, f"the page is {int(length):,} bytes, over the {MAX_ARTICLE_BYTES:,}-byte limit for an article")
            media, charset = _media_type(response.headers, final)
            data = _read(response, url, deadline, timeout)
    except FetchError:
        raise
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise FetchError(url, _reason(exc, timeout)) from None
    if not data.strip():
        raise FetchError(url, "the page is empty")
    return Fetched(data, final, media, charset)
