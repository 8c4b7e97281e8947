"""The workshop server's web app (Starlette): the player's pages and socket.

`GET /` the join page (name and room code); `POST /join` seats the person and keeps the
seat's secret on the device in an HttpOnly, SameSite=Strict cookie (never in an address);
`GET /play` the player's page, which talks to `WS /ws` (see `game.server.player_socket`);
`/static` its one script and one style sheet. The facilitator's routes come in as
`extra_routes`. Every response carries the headers of `game.server.web_security`. A
background task lets the room play timed-out and bot seats (`RoomHost.tick_forever`).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
from urllib.parse import parse_qs
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import (FileResponse, HTMLResponse, JSONResponse, RedirectResponse,
                                 Response)
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from game.server.player_socket import SEAT_COOKIE, player_socket
from game.server.rate_limit import TokenBucket
from game.server.room_host import RoomHost
from game.server.web_security import SecurityHeaders, same_origin

log = logging.getLogger("goodhart.server")

HERE = Path(__file__).resolve().parent
MAX_NAME = 40
MAX_BODY = 16 * 1024
COOKIE_DAYS = 2
JOIN_BURST = 8
JOIN_EVERY = 6.0

pages = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "pages"), autoescape=True,
                           trim_blocks=True, lstrip_blocks=True)


def render(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The page `template` rendered (every value escaped) as an HTML response."""
    return HTMLResponse(pages.get_template(template).render(**context), status_code=status)


async def seat_of(request: Request) -> Any:
    """(table id, seat) of the seat this device holds (its cookie), or None."""
    secret = request.cookies.get(SEAT_COOKIE, "")
    if not 0 < len(secret) <= 200:
        return None
    return await request.app.state.host.run("seat_of", secret, now=False)


async def join_page(request: Request) -> Response:
    """The join form; a device that already holds a seat is offered to go back to it."""
    ticket = await seat_of(request)
    return render("join.html", seated=ticket is not None, code=request.query_params.get(
        "code", "")[:12], name="", error=None)


async def join(request: Request) -> Response:
    """Seat the person (or say in one line why not) and send them to their page."""
    if not same_origin(request.headers):
        return render("join.html", 403, seated=False, code="", name="",
                      error="This form must be sent from this server's own join page.")
    bucket = join_bucket(request)
    if bucket is not None and not bucket.ready(request.app.state.host.clock()):
        return render("join.html", 429, seated=False, code="", name="",
                      error="This device has joined too often: wait a minute, then try "
                            "again.")
    form = await small_form(request)
    if form is None:
        return render("join.html", 413, seated=False, code="", name="",
                      error="That form was too large; type your name and the room code.")
    name = form.get("name", "")[:400]
    code = form.get("code", "").strip()[:40]
    ticket, problem = await join_room(request.app.state.host, name, code)
    if ticket is None:
        return render("join.html", 400, seated=False, code=code, name=name[:MAX_NAME],
                      error=problem)
    if bucket is not None:
        bucket.take(request.app.state.host.clock())
    response = RedirectResponse("/play", status_code=303)
    response.set_cookie(SEAT_COOKIE, ticket.secret, max_age=COOKIE_DAYS * 86400,
                        httponly=True, samesite="strict", path="/")
    return response


def join_bucket(request: Request) -> TokenBucket | None:
    """The seats this address may still take: a few at once, then one every `JOIN_EVERY`
    seconds (someone scripting joins cannot take every seat of the room; a refused try
    costs nothing). None for the host's own computer (loopback), which is not limited: a
    rehearsal or a bench seats everyone from there."""
    buckets: dict[str, TokenBucket] = request.app.state.join_buckets
    if len(buckets) > 10_000:   # a flood of addresses: start counting afresh
        buckets.clear()
    ip = request.client.host if request.client else ""
    if is_loopback(ip):
        return None
    return buckets.setdefault(ip, TokenBucket(rate=1 / JOIN_EVERY, burst=JOIN_BURST))


def is_loopback(ip: str) -> bool:
    """Whether `ip` is this computer's own address (127.x, ::1)."""
    try:
        return ipaddress.ip_address(ip).is_loopback
    except ValueError:
        return False


async def small_form(request: Request) -> dict[str, str] | None:
    """The fields of a URL-encoded form post (the first value of each), or None when the body
    is larger than `MAX_BODY` bytes (it is not read further) or has more than 20 fields."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return None
    try:
        fields = parse_qs(body.decode("utf-8", "replace"), max_num_fields=20)
    except ValueError:  # too many fields
        return None
    return {key: values[0] for key, values in fields.items()}


async def join_room(host: RoomHost, name: str, code: str) -> tuple[Any, str | None]:
    """(ticket, None) when the room seats `name` with `code`, else (None, the reason)."""
    from game.server.room import RoomError
    try:
        return await host.run("join", name, code), None
    except RoomError as err:
        return None, sentence(str(err))


def sentence(line: str) -> str:
    """A room's one-line message as a sentence on a page: capital first, full stop last."""
    line = line.strip()
    return line[:1].upper() + line[1:] + ("" if line.endswith((".", "!", "?")) else ".")


async def play_page(request: Request) -> Response:
    """The player's page; a device without a seat goes back to the join page."""
    if await seat_of(request) is None:
        return RedirectResponse("/", status_code=303)
    return render("play.html")


async def not_found(request: Request, exc: Exception) -> Response:
    """One line for an unknown address, never a traceback."""
    return render("message.html", 404, title="Not here",
                  message="There is no page at this address. Start from the join page.")


REFUSED = {405: "This address does not take that kind of request. Start from the join page.",
           413: "That request was too large; nothing was done. Start from the join page."}


async def refused(request: Request, exc: Exception) -> Response:
    """The same one line as the other refusals for a request the web framework refuses
    itself (too large, wrong method): JSON for the facilitator's operations and status, a
    page for everything else."""
    status = exc.status_code if isinstance(exc, HTTPException) else 400
    line = REFUSED.get(status, "The host could not take that request; nothing was done.")
    if request.url.path.startswith("/facilitator/"):
        return JSONResponse({"type": "error", "message": line}, status_code=status)
    return render("message.html", status, title="Not done", message=line)


async def favicon(request: Request) -> Response:
    """The small icon browsers ask every page for."""
    return FileResponse(HERE / "static" / "favicon.svg", media_type="image/svg+xml",
                        headers={"Cache-Control": "max-age=86400"})


async def server_error(request: Request, exc: Exception) -> Response:
    """One line for anything that went wrong on the host; the traceback stays in its log."""
    log.exception("a page failed", exc_info=exc)
    return render("message.html", 500, title="Something went wrong",
                  message="The host could not show this page. Reload it in a moment.")


def player_routes() -> list[BaseRoute]:
    """The player's pages, socket and static files."""
    return [Route("/", join_page), Route("/join", join, methods=["POST"]),
            Route("/join", lambda request: RedirectResponse("/", status_code=303)),
            Route("/play", play_page), Route("/favicon.ico", favicon),
            WebSocketRoute("/ws", player_socket),
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static")]


def create_app(host: RoomHost, extra_routes: Sequence[BaseRoute] = (),
               tick_every: float | None = 0.25) -> Starlette:
    """The app around `host`; `tick_every` None leaves the ticking to the caller (tests)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        task = asyncio.create_task(host.tick_forever(tick_every)) if tick_every else None
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    app = Starlette(routes=[*player_routes(), *extra_routes], lifespan=lifespan,
                    middleware=[Middleware(SecurityHeaders)],
                    exception_handlers={404: not_found, 405: refused, 413: refused,
                                        500: server_error})
    app.state.host = host
    app.state.join_buckets = {}
    return app
