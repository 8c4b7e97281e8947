"""Security headers on every HTTP response, and the same-origin check of posts and sockets.

The pages load only their own script and style (a Content-Security-Policy with no inline
script), cannot be framed, and send no referrer to other sites (with `no-referrer` browsers
send `Origin: null` on form posts, which the same-origin check must refuse); pages are not
cached (they carry a seat's state). A form post or a socket opened from another site is
refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def content_policy(host: str) -> str:
    """The Content-Security-Policy for pages served as `host` (the socket's address allowed)."""
    sockets = f" ws://{host} wss://{host}" if host else ""
    return ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"connect-src 'self'{sockets}; form-action 'self'; base-uri 'none'; "
            "frame-ancestors 'none'")


def clean_host(value: str) -> str:
    """The Host header if it is a plain host[:port], else "" (it is written into a header)."""
    ok = value and len(value) <= 255 and all(c.isalnum() or c in ".-:[]" for c in value)
    return value if ok else ""


class SecurityHeaders:
    """ASGI middleware adding the headers above to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = clean_host(dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = content_policy(host)
                headers["X-Frame-Options"] = "DENY"
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "same-origin"
                headers["Cross-Origin-Opener-Policy"] = "same-origin"
                headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def same_origin(headers: Mapping[str, str]) -> bool:
    """Whether a request comes from a page of this server: no Origin header (not a browser,
    or a same-origin GET), or an Origin whose host:port is the Host the request was sent to."""
    origin = headers.get("origin")
    if origin is None:
        return True
    try:
        netloc = urlsplit(origin).netloc
    except ValueError:
        return False
    return bool(netloc) and netloc.lower() == headers.get("host", "").lower()
