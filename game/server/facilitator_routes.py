"""The facilitator's web pages: the dashboard, the projector, the operations, the results.

`routes()` is what the app mounts. Every route needs the facilitator token: given once in the
address `goodhart host` prints (`/facilitator?token=...`), then kept in an HttpOnly,
SameSite=Strict cookie (the page drops the token from the address bar at once); a script may
send it as `Authorization: Bearer <token>` instead. Without it, every route answers 403 with
one line and nothing else.

- `GET /facilitator`: the dashboard page; it polls `GET /facilitator/status` (the room's
  `RoomStatus`, public by construction) every second and posts operations as JSON to
  `POST /facilitator/op` (the protocol's `FacilitatorOp`; a late-arrival code comes back).
- `GET /projector`: the projector page; it polls `GET /projector/status` (`ProjectorStatus`:
  the countdown and each table's progress, no names, no news, no metrics) and, once every
  table has ended, shows the cross-table debrief (see `game.server.facilitator_exports`).
- `GET /results` and the downloads under it (see `game.server.facilitator_exports`).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import jinja2
from pydantic import BaseModel
from starlette.requests import HTTPConnection, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from game.errors import GoodhartError
from game.server.protocol import GiveToPersonOp, PauseOp, ResumeOp, parse_facilitator
from game.workshop.room_status import RoomStatus, TableStatus

__all__ = ["FACILITATOR_COOKIE", "ProjectorStatus", "ProjectorTable", "authorised",
           "facilitator_only", "facilitator_routes", "projector_status", "routes"]

FACILITATOR_COOKIE = "goodhart_facilitator"
MAX_OP_BYTES = 4096
COOKIE_HOURS = 12
HERE = Path(__file__).resolve().parent
DENIED = ("This page is for the facilitator. Open the facilitator address that "
          "goodhart host printed in its terminal (it carries the token).")

pages = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "pages"), autoescape=True,
                           trim_blocks=True, lstrip_blocks=True)


def render(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The template `name` rendered, every value escaped."""
    return HTMLResponse(pages.get_template(name).render(**context), status_code=status)


# --- the token ---------------------------------------------------------------------------

def _check(conn: HTTPConnection, token: str) -> bool:
    if not 0 < len(token) <= 200:
        return False
    # without the room's lock: the check reads one stored hash, and a request must not wait
    # behind a bot that is planning its move
    return bool(conn.app.state.host.room.check_facilitator(token))


def offered_token(conn: HTTPConnection) -> str:
    """The token this request carries: the cookie, else a Bearer header ('' if neither)."""
    bearer = conn.headers.get("authorization", "")
    if bearer[:7].lower() == "bearer ":
        return bearer[7:].strip()
    return conn.cookies.get(FACILITATOR_COOKIE, "")


def authorised(conn: HTTPConnection) -> bool:
    """Whether the request carries the facilitator's token (cookie or Bearer header)."""
    return _check(conn, offered_token(conn))


def denied(json: bool) -> Response:
    """The one answer a request without the token gets."""
    if json:
        return JSONResponse({"type": "error", "message": DENIED}, status_code=403)
    return render("facilitator_message.html", 403, title="Facilitator only", message=DENIED)


Endpoint = Callable[[Request], Awaitable[Response]]


def facilitator_only(json: bool = True) -> Callable[[Endpoint], Endpoint]:
    """A route for the facilitator alone: a request without the token gets `denied(json)`
    and the route never runs (every facilitator route but the pages, which `_page` guards,
    as it also takes the token from the address)."""
    def guard(endpoint: Endpoint) -> Endpoint:
        @functools.wraps(endpoint)
        async def guarded(request: Request) -> Response:
            if not authorised(request):
                return denied(json=json)
            return await endpoint(request)
        return guarded
    return guard


async def _page(request: Request, template: str) -> Response:
    """A facilitator page: with `?token=` (right), set the cookie and show the page (its
    script drops the token from the address bar); with the cookie, the page; else 403."""
    token = request.query_params.get("token")
    if token is not None:
        if not _check(request, token):
            return denied(json=False)
        response = render(template, **await _page_context(request))
        response.set_cookie(FACILITATOR_COOKIE, token, max_age=COOKIE_HOURS * 3600,
                            httponly=True, samesite="strict", path="/")
        return response
    if not authorised(request):
        return denied(json=False)
    return render(template, **await _page_context(request))


async def _page_context(request: Request) -> dict[str, Any]:
    status: RoomStatus = await request.app.state.host.run("status")
    join = join_url(request)
    return {"title": status.title, "code": status.code, "join_url": join,
            "qr": qr_uri(f"{join}?code={status.code}")}     # the join page, code filled in


def qr_uri(text: str) -> str:
    """A QR code of `text` as an SVG data URI (for an <img>): dark on white with its quiet
    zone, which every phone's camera reads."""
    import segno
    return segno.make(text, error="m").svg_data_uri(scale=8, border=4, dark="#000", light="#fff")


def join_url(conn: HTTPConnection) -> str:
    """The address people join at: the one `goodhart host` announced (`app.state.join_url`),
    else this server's own base address."""
    announced = getattr(conn.app.state, "join_url", None)
    return str(announced) if announced else str(conn.base_url).rstrip("/") + "/"


# --- the dashboard -----------------------------------------------------------------------

async def facilitator_page(request: Request) -> Response:
    return await _page(request, "facilitator.html")


@facilitator_only()
async def facilitator_status(request: Request) -> Response:
    """The room's status as JSON (facilitator only)."""
    status: RoomStatus = await request.app.state.host.run("status")
    return JSONResponse({**status.model_dump(mode="json"), "join_url": join_url(request)})


@facilitator_only()
async def facilitator_op(request: Request) -> Response:
    """Carry out one operation (JSON body, the protocol's `FacilitatorOp`); answers
    `{"type": "done", "message": ..., "code": ...}` or an error with one line."""
    from game.server.web_security import same_origin
    if not same_origin(request.headers):
        return _error("operations must come from this server's own facilitator page", 403)
    body = await _bounded_body(request)
    if body is None:
        return _error(f"operation too long (at most {MAX_OP_BYTES} bytes)", 413)
    host = request.app.state.host
    try:
        op = parse_facilitator(body)
        code = await host.run("apply_op", op)
    except GoodhartError as err:
        return _error(err.message, 400)
    status: RoomStatus = await host.run("status")
    changed = [t.id for t in status.tables] if getattr(op, "table", None) is None \
        else [op.table]
    await _push(host, changed)
    return JSONResponse({"type": "done", "message": done_message(op, status, code),
                         "code": code})


async def _bounded_body(request: Request) -> bytes | None:
    """The request's body, or None once it grows past `MAX_OP_BYTES`."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_OP_BYTES:
            return None
    return body


async def _push(host: Any, table_ids: list[str]) -> None:
    """Tell the players' pages at these tables (and the room's listeners) what changed."""
    changed = getattr(host, "changed", None)
    if changed is not None:
        await changed(table_ids)


def _error(message: str, status: int) -> JSONResponse:
    return JSONResponse({"type": "error", "message": message}, status_code=status)


def done_message(op: BaseModel, status: RoomStatus, code: str | None) -> str:
    """What the operation did, in one line for the facilitator."""
    table = status.table(getattr(op, "table", None) or "")
    name = table.name if table else "Every table"
    words = {"pause": "is paused: its timer stands still", "resume": "runs again",
             "extend": f"has {getattr(op, 'seconds', 0)} seconds more for this phase",
             "inject": "has the event in this turn's news",
             "give_to_bot": "has a bot in that seat from now on",
             "end_table": "has ended; its result is in the debrief"}
    if isinstance(op, GiveToPersonOp) and table is not None:
        seat = table.seats[op.seat].seat_name if op.seat < len(table.seats) else "the seat"
        return f"Late-arrival code for {seat} at {name}: {code}. They type it as the room code."
    if isinstance(op, (PauseOp, ResumeOp)) and table is None:
        return "Every table is paused." if isinstance(op, PauseOp) else "Every table runs again."
    return f"{name} {words.get(op.type, 'is done')}."


# --- the projector -----------------------------------------------------------------------

class ProjectorTable(BaseModel):
    """A table's progress as the whole room may see it: no names, no news, no numbers."""

    name: str
    condition: str
    turn: int
    turns: int
    turn_name: str
    phase: str
    paused: bool
    ended: bool
    seconds_left: float | None
    chosen: int
    choosing: int


class ProjectorStatus(BaseModel):
    """What the projector page shows until the debrief: the room code and countdown, each
    table's progress; `ended` opens the debrief."""

    code: str
    title: str
    join_url: str
    paused: bool
    ended: bool
    seconds_left: float | None
    tables: list[ProjectorTable]


def projector_table(table: TableStatus) -> ProjectorTable:
    """A table's public progress."""
    acting = [s for s in table.seats if s.must_act or s.submitted]
    return ProjectorTable(name=table.name, condition=table.condition, turn=table.turn,
                          turns=table.turns, turn_name=table.turn_name, phase=table.phase,
                          paused=table.paused, ended=table.ended,
                          seconds_left=table.seconds_left,
                          chosen=sum(1 for s in acting if s.submitted),
                          choosing=sum(1 for s in acting if not s.submitted))


def projector_status(status: RoomStatus, join: str) -> ProjectorStatus:
    """The room as the projector shows it."""
    return ProjectorStatus(code=status.code, title=status.title, join_url=join,
                           paused=status.paused, ended=status.ended,
                           seconds_left=status.seconds_left,
                           tables=[projector_table(t) for t in status.tables])


async def projector_page(request: Request) -> Response:
    return await _page(request, "projector.html")


@facilitator_only()
async def projector_status_json(request: Request) -> Response:
    status: RoomStatus = await request.app.state.host.run("status")
    return JSONResponse(projector_status(status, join_url(request)).model_dump(mode="json"))


def facilitator_routes() -> list[BaseRoute]:
    """Every facilitator route, for the app to mount (each needs the token)."""
    from game.server.facilitator_exports import export_routes
    return [Route("/facilitator", facilitator_page),
            Route("/facilitator/status", facilitator_status),
            Route("/facilitator/op", facilitator_op, methods=["POST"]),
            Route("/projector", projector_page),
            Route("/projector/status", projector_status_json),
            *export_routes()]



routes = facilitator_routes
"""The name the app's `extra_routes` take the facilitator's routes by."""
