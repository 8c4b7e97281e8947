"""Results, exports and the cross-table debrief, straight from the host (facilitator only).

The tables that have ended are the ones shown: a result file of a game still being played
would show its hidden values. The debrief is `game.workshop.debrief.compare` over their result
records, exactly as `goodhart debrief` compares result files, and its slides are the debrief
screen's own drawings (`game.ui.slides.debrief_slides`), so the projector shows the same
figures and words as the one-laptop debrief, with no files to collect.

- `GET /results`: a page with every download;
- `GET /results/table-<id>.json`: one table's result file (`game.workshop.result`);
- `GET /results/goodhart-results.zip`: every result file, the debrief CSVs
  (`game.workshop.export`) and the PNG slides;
- `GET /projector/debrief`: the debrief as JSON for the projector page (409 until every
  table has ended); `GET /projector/slides/<name>.png`: one slide.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from game.server.facilitator_routes import facilitator_only, render
from game.workshop.debrief import Debrief, compare
from game.workshop.result import ResultFile
from game.workshop.room_status import RoomStatus

__all__ = ["debrief_json", "ended_results", "export_routes", "slide_pngs", "zip_bytes"]

ZIP_NAME = "goodhart-results.zip"
NOT_YET = "The debrief opens when every table has ended."


async def ended_results(host: Any) -> list[ResultFile]:
    """The result records of the tables that have ended (in the room's order); in a worker
    thread, as a table's first result replays its game under the what-if regime."""
    await host.prepare_results()  # built outside the lock, not by `results` under it
    status: RoomStatus = await host.run("status")
    ended = {t.id for t in status.tables if t.ended}
    return [r for r in await host.run("results", now=False) if r.table.id in ended]


def room_debrief(results: list[ResultFile]) -> Debrief:
    """The tables compared side by side, as `goodhart debrief` would compare their files."""
    return compare([(Path(result_name(r)), r) for r in results])


def result_name(result: ResultFile) -> str:
    """`table-A.json`: the download name of a table's result file."""
    return f"table-{re.sub(r'[^A-Za-z0-9_-]', '-', result.table.id) or 'x'}.json"


def slide_pngs(debrief: Debrief) -> dict[str, bytes]:
    """The debrief's slides (1920×1080, as `goodhart debrief --export` draws them) as PNG
    bytes by file name."""
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")   # no banner in the host's log
    import pygame

    from game.ui.host_draw import PAINTING
    from game.ui.slides import debrief_slides
    with PAINTING:
        out = {}
        for name, surface in debrief_slides(debrief).items():
            buffer = io.BytesIO()
            pygame.image.save(surface, buffer, "png")
            out[name] = buffer.getvalue()
        return out


async def cached_slides(request: Request, results: list[ResultFile]) -> dict[str, bytes]:
    """The slides of these results, drawn once per set of ended games."""
    key = tuple((r.table.id, r.state_hash) for r in results)
    cache = getattr(request.app.state, "facilitator_slides", None)
    if cache is None or cache[0] != key:
        slides = await run_in_threadpool(slide_pngs, room_debrief(results))
        cache = request.app.state.facilitator_slides = (key, slides)
    return cache[1]


def zip_bytes(results: list[ResultFile], slides: dict[str, bytes]) -> bytes:
    """A zip of the result files, the debrief CSVs and the slides."""
    from game.workshop.export import export
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for r in results:
            archive.writestr(f"results/{result_name(r)}", r.model_dump_json(indent=1))
        with tempfile.TemporaryDirectory() as folder:
            for path in export(room_debrief(results), Path(folder)):
                archive.write(path, f"debrief/{path.name}")
        for name, png in slides.items():
            archive.writestr(f"debrief/{name}", png)
    return buffer.getvalue()


def debrief_json(debrief: Debrief, questions: list[str], slides: list[str]) -> dict[str, Any]:
    """The debrief's words and figures for the projector page: the conditions, each table's
    headline numbers, facts and lessons (and its slide's name), the discussion questions,
    the slide names."""
    from game.ui.slides import table_slug
    return {
        "title": debrief.scenario.title if debrief.scenario else "",
        "slides": slides, "questions": questions, "problems": debrief.problems,
        "conditions": [{"condition": c.condition, "tables": c.tables,
                        "proxy_end": round(c.mean_proxy_end, 1),
                        "health_end": round(c.mean_health_end, 1),
                        "health_change": round(c.mean_health_change, 1),
                        "gap_end": round(c.mean_gap_end, 1)} for c in debrief.conditions()],
        "tables": [{"label": s.label, "slide": f"{table_slug(s.label)}.png",
                    "condition": s.condition, "finished": s.finished,
                    "proxy_start": round(s.proxy_start, 1), "proxy_end": round(s.proxy_end, 1),
                    "health_start": round(s.health_start, 1),
                    "health_end": round(s.health_end, 1), "gap_end": round(s.gap_end, 1),
                    "leader": s.leader, "leader_contribution_rank": s.leader_contribution_rank,
                    "rank_agreement": round(s.rank_agreement, 2), "policies": s.policies,
                    "facts": s.facts, "lessons": s.lessons} for s in debrief.summaries]}


def _questions(host: Any) -> list[str]:
    room = getattr(host, "room", None)
    game = getattr(room, "game", None)
    return [str(q) for q in game.scenario.debrief.questions] if game is not None else []


async def _refused_before_the_end(request: Request) -> Response | None:
    """The answer to a debrief request before every table has ended (409: nothing is
    revealed early); None when it may be answered."""
    status: RoomStatus = await request.app.state.host.run("status")
    if not status.ended:
        return JSONResponse({"type": "error", "message": NOT_YET}, status_code=409)
    return None


@facilitator_only()
async def projector_debrief(request: Request) -> Response:
    """The debrief as JSON once every table has ended (409 before: nothing is revealed)."""
    refused = await _refused_before_the_end(request)
    if refused is not None:
        return refused
    host = request.app.state.host
    results = await ended_results(host)
    slides = list(await cached_slides(request, results)) if results else []
    return JSONResponse(debrief_json(room_debrief(results), _questions(host), slides))


@facilitator_only()
async def slide(request: Request) -> Response:
    """One debrief slide as a PNG (404 if there is no such slide; 409 before the end)."""
    refused = await _refused_before_the_end(request)
    if refused is not None:
        return refused
    host = request.app.state.host
    png = (await cached_slides(request, await ended_results(host))).get(
        request.path_params["name"])
    if png is None:
        return JSONResponse({"type": "error", "message": "no such slide"}, status_code=404)
    return Response(png, media_type="image/png")


@facilitator_only(json=False)
async def results_page(request: Request) -> Response:
    """The downloads: each ended table's result file, and everything in one zip."""
    results = await ended_results(request.app.state.host)
    status: RoomStatus = await request.app.state.host.run("status")
    return render("results.html", title=status.title, zip_name=ZIP_NAME,
                  files=[(result_name(r), r.label, r.finished) for r in results],
                  waiting=[t.name for t in status.tables if not t.ended])


@facilitator_only()
async def result_file(request: Request) -> Response:
    """One ended table's result file, as a download."""
    name = request.path_params["name"]
    found = [r for r in await ended_results(request.app.state.host) if result_name(r) == name]
    if not found:
        return JSONResponse({"type": "error", "message": "no ended table has this result "
                                                         "file"}, status_code=404)
    return Response(found[0].model_dump_json(indent=1), media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@facilitator_only()
async def results_zip(request: Request) -> Response:
    """Every ended table's result file, the debrief CSVs and slides, in one zip."""
    results = await ended_results(request.app.state.host)
    if not results:
        return JSONResponse({"type": "error", "message": "no table has ended yet"},
                            status_code=409)
    slides = await cached_slides(request, results)
    data = await run_in_threadpool(zip_bytes, results, slides)
    return Response(data, media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{ZIP_NAME}"'})


def export_routes() -> list[BaseRoute]:
    """The results, exports and debrief routes (each needs the token)."""
    return [Route("/results", results_page),
            Route(f"/results/{ZIP_NAME}", results_zip),
            Route("/results/{name:str}", result_file),
            Route("/projector/debrief", projector_debrief),
            Route("/projector/slides/{name:str}", slide)]
