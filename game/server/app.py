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
import logging
import unicodedata
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from game.server.player_socket import SEAT_COOKIE, player_socket
from game.server.room_host import RoomHost
from game.server.web_security import SecurityHeaders, same_origin

log = logging.getLogger("goodhart.server")

HERE = Path(__file__).resolve().parent
MAX_NAME = 40
MAX_BODY = 16 * 1024
COOKIE_DAYS = 2

pages = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "pages"), autoescape=True,
                           trim_blocks=True, lstrip_blocks=True)


def render(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The page template `name` rendered (every value escaped) as an HTML response."""
    return HTMLResponse(pages.get_template(name).render(**context), status_code=status)


def clean_name(raw: str) -> str:
    """A person's name as shown: control characters dropped, spaces collapsed."""
    kept = "".join(c for c in raw if unicodedata.category(c)[0] != "C")
    return " ".join(kept.split())


def name_problem(name: str) -> str | None:
    """Why a name cannot be used, in one line, or None."""
    if not name:
        return "Type your name (or a nickname) so the table knows who you are."
    if len(name) > MAX_NAME:
        return f"That name is too long: at most {MAX_NAME} characters."
    return None


def seat_of(request: Request) -> Any:
    """The Ticket of the seat this device holds (its cookie), or None."""
    secret = request.cookies.get(SEAT_COOKIE, "")
    if not 0 < len(secret) <= 200:
        return None
    return request.app.state.host.call("rejoin", secret)


async def join_page(request: Request) -> Response:
    """The join form; a device that already holds a seat is offered to go back to it."""
    ticket = seat_of(request)
    return render("join.html", seated=ticket is not None, code=request.query_params.get(
        "code", "")[:12], name="", error=None)


async def join(request: Request) -> Response:
    """Seat the person (or say in one line why not) and send them to their page."""
    if not same_origin(request.headers):
        return render("join.html", 403, seated=False, code="", name="",
                      error="This form must be sent from this server's own join page.")
    form = await request.form()
    name = clean_name(str(form.get("name", ""))[:400])
    code = str(form.get("code", "")).strip()[:40]
    problem = name_problem(name)
    ticket = None
    if problem is None:
        ticket, problem = join_room(request.app.state.host, name, code)
    if ticket is None:
        return render("join.html", 400, seated=False, code=code, name=name[:MAX_NAME],
                      error=problem)
    response = RedirectResponse("/play", status_code=303)
    response.set_cookie(SEAT_COOKIE, ticket.secret, max_age=COOKIE_DAYS * 86400,
                        httponly=True, samesite="strict", path="/")
    return response


def join_room(host: RoomHost, name: str, code: str) -> tuple[Any, str | None]:
    """(ticket, None) when the room seats `name` with `code`, else (None, the reason)."""
    from game.server.room import RoomError
    try:
        return host.call_now("join", name, code), None
    except RoomError as err:
        return None, str(err)


async def play_page(request: Request) -> Response:
    """The player's page; a device without a seat goes back to the join page."""
    if seat_of(request) is None:
        return RedirectResponse("/", status_code=303)
    return render("play.html")


async def not_found(request: Request, exc: Exception) -> Response:
    """One line for an unknown address, never a traceback."""
    return render("message.html", 404, title="Not here",
                  message="There is no page at this address. Start from the join page.")


async def server_error(request: Request, exc: Exception) -> Response:
    """One line for anything that went wrong on the host; the traceback stays in its log."""
    log.exception("a page failed", exc_info=exc)
    return render("message.html", 500, title="Something went wrong",
                  message="The host could not show this page. Reload it in a moment.")


def player_routes() -> list[BaseRoute]:
    """The player's pages, socket and static files."""
    return [Route("/", join_page), Route("/join", join, methods=["POST"]),
            Route("/play", play_page),
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
                    middleware=[Middleware(SecurityHeaders)], max_body_size=MAX_BODY,
                    exception_handlers={404: not_found, 500: server_error})
    app.state.host = host
    return app
