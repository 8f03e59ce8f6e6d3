"""The address healthkit's local servers (the preview, ``lite --serve``) listen on, and the
names a browser on this computer calls them by. A request naming any other host (a page
elsewhere whose DNS name is rebound to this address) is refused."""

from __future__ import annotations

#: The servers bind to this address only.
HOST = "127.0.0.1"


def own_hosts(port: int) -> frozenset[str]:
    """The ``Host`` headers this computer's browser sends to a server on ``port``."""
    return frozenset({f"{HOST}:{port}", f"localhost:{port}", f"[::1]:{port}"})
