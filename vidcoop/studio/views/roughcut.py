"""The Rohschnitt view: pick footage, keep words of its transcript, save them as the episode's segments.

The page, its JSON twin, a source's transcription (started by POST, polled by GET), the cut plan of
one source's kept words (the library's clean edges) and the save (based on a version; stale is 409).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from pydantic import Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from vidcoop.channel.cutsave import save_episode_cut
from vidcoop.errors import VidcoopError
from vidcoop.studio.captions import captions_version
from vidcoop.studio.i18n import translator
from vidcoop.studio.roughcut import (
    PieceEdit,
    SourceJob,
    Sources,
    cut_fps,
    cut_of,
    footage_files,
    footage_path,
    job_state,
    manifest_of,
    plan_pieces,
    week_speech,
)
from vidcoop.studio.state import Studio
from vidcoop.studio.views.base import Body, BodyError, body_of, info_or_404, page, studio_of
from vidcoop.studio.week import EpisodeInfo
from vidcoop.timeline.edit import manifest_lock

DEFAULT_PAUSE = Fraction(6, 10)


class SourceBody(Body):
    source: str = Field(min_length=1, max_length=1000)


class PlanBody(Body):
    source: str = Field(min_length=1, max_length=1000)
    ranges: list[tuple[int, int]] = Field(max_length=5000)
    accept: list[str] = Field(default_factory=list, max_length=5000)
    pause: float = Field(default=0.6, gt=0, le=60)


class PieceBody(Body):
    source: str = Field(min_length=1, max_length=1000)
    start_frame: int = Field(ge=0, le=24 * 3600 * 240)
    end_frame: int = Field(ge=0, le=24 * 3600 * 240)


class SaveBody(Body):
    version: str = Field(min_length=1, max_length=64)
    pieces: list[PieceBody] = Field(max_length=2000)
    corrections: dict[str, dict[int, str]] = Field(default_factory=dict)  # source -> word index -> text


async def roughcut_page(request: Request) -> Response:
    studio = studio_of(request)
    info = await run_in_threadpool(info_or_404, studio, request.path_params["name"], True)
    data = await run_in_threadpool(roughcut_data, studio, info)
    return page(request, "roughcut.html", info=info, data=data)


async def roughcut_json(request: Request) -> Response:
    studio = studio_of(request)
    info = await run_in_threadpool(info_or_404, studio, request.path_params["name"], True)
    return JSONResponse(await run_in_threadpool(roughcut_data, studio, info))


def roughcut_data(studio: Studio, info: EpisodeInfo) -> dict[str, Any]:
    """The page's data: the footage to pick from, the frame rate edges count in, the version a save names."""
    view = studio.week(fresh=False)
    footage = []
    for f in footage_files(view):
        job = studio.sources.get(f.path)
        footage.append({"source": f.ref, "name": f.path.name, "folder": str(Path(f.ref).parent), "size": f.size,
                        "state": job.state if job is not None else "new"})
    fps = cut_fps()
    manifest = manifest_of(view, info)
    segments = len(info.episode.segments) if info.episode is not None else 0
    return {"name": info.name, "editable": manifest is not None, "version": _version(manifest), "segments": segments,
            "fps": [fps.numerator, fps.denominator], "footage": footage}


async def transcribe_post(request: Request) -> Response:
    body = await body_of(request, SourceBody)
    studio = studio_of(request)
    path = await run_in_threadpool(_footage_or_404, studio, body.source)
    job = (await run_in_threadpool(_sources, studio)).start(path)
    return JSONResponse(job_state(job, DEFAULT_PAUSE))


async def source_get(request: Request) -> Response:
    studio = studio_of(request)
    path = await run_in_threadpool(_footage_or_404, studio, request.query_params.get("source", ""))
    job = studio.sources.get(path)
    if job is None:
        return JSONResponse({"state": "new"})
    pause = _pause(request.query_params.get("pause"))
    return JSONResponse(await run_in_threadpool(job_state, job, pause))


async def plan_post(request: Request) -> Response:
    body = await body_of(request, PlanBody)
    studio = studio_of(request)
    job = await run_in_threadpool(_done_job, studio, body.source)
    pause = Fraction(body.pause).limit_denominator(1000)
    pieces = await run_in_threadpool(plan_pieces, job, body.source, body.ranges, body.accept, pause, cut_fps())
    return JSONResponse({"pieces": pieces})


async def save_post(request: Request) -> Response:
    body = await body_of(request, SaveBody)
    studio = studio_of(request)
    return JSONResponse(await run_in_threadpool(save, studio, request.path_params["name"], body))


def save(studio: Studio, name: str, body: SaveBody) -> dict[str, Any]:
    """Write the page's cut as ``segments:`` and its words as the captions, if ``body.version`` is current.

    The version check and the writes happen under the manifest's file lock (as the caption save does):
    of two studios that loaded the same version, one saves and the other gets 409; nothing is overwritten.
    """
    t = translator(studio.lang)
    info = info_or_404(studio, name)
    manifest = manifest_of(studio.week(fresh=False), info)
    if manifest is None:
        raise BodyError(400, t("roughcut.not_editable"))
    if not body.pieces:
        raise BodyError(422, t("roughcut.empty"))
    jobs: dict[Path, SourceJob] = {}
    edits = []
    sources = _sources(studio)  # the week's channel read once for the whole save, not once per piece
    for piece in body.pieces:
        job = _done_job(studio, piece.source, sources)
        jobs[job.path] = job
        edits.append(PieceEdit(job.path, piece.start_frame, piece.end_frame))
    corrections = {_done_job(studio, ref, sources).path: texts for ref, texts in body.corrections.items()}
    with studio.lock, manifest_lock(manifest):
        if body.version != _version(manifest):
            raise BodyError(409, t("roughcut.stale"))
        try:
            cut = cut_of(jobs, edits, cut_fps(), corrections)
            saved = save_episode_cut(manifest, cut)
        except VidcoopError as exc:
            raise BodyError(422, str(exc)) from None
        fresh = studio.week().get(name) or info
    return {"saved": saved.captions.name, "version": _version(manifest), "status": fresh.status,
            "segments": len(cut.pieces), "duration": float(sum(p.duration for p in cut.pieces))}


def _version(manifest: Path | None) -> str:
    """What a save names: the manifest's and its caption file's bytes (the caption editor's version too)."""
    return captions_version(manifest) if manifest is not None else ""


def _footage_or_404(studio: Studio, ref: str) -> Path:
    path = footage_path(studio.week(fresh=False), ref)
    if path is None:
        raise BodyError(404, f"no such footage file: {ref}")
    return path


def _sources(studio: Studio) -> Sources:
    """The studio's transcriptions, in the language and with the glossary of the week's channel."""
    studio.sources.use(week_speech(studio.week(fresh=False)))
    return studio.sources


def _done_job(studio: Studio, ref: str, sources: Sources | None = None) -> SourceJob:
    """The finished transcription of footage ``ref`` (waited for: the page only sends sources it has seen)."""
    job = (sources or _sources(studio)).ready(_footage_or_404(studio, ref))
    if job.state != "done":
        raise BodyError(422, f"{ref}: {job.error}")
    return job


def _pause(raw: str | None) -> Fraction:
    try:
        pause = Fraction(raw).limit_denominator(1000) if raw else DEFAULT_PAUSE
    except (ValueError, ZeroDivisionError):
        raise BodyError(422, "pause: seconds, like 0.6") from None
    if not 0 < pause <= 60:
        raise BodyError(422, "pause: more than 0 and at most 60 seconds")
    return pause
