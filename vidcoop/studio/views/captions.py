"""Caption edits: rule checks while typing, and the save (based on a version; a stale one is 409)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from pydantic import Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from vidcoop.errors import CaptionError
from vidcoop.review import current_approvers
from vidcoop.studio.captions import CueEdit, edited_cues, save_captions
from vidcoop.studio.cues import broken_rules, cues_from_ms, current_cues, version_of
from vidcoop.studio.i18n import translator
from vidcoop.studio.state import Studio
from vidcoop.studio.views.base import Body, BodyError, body_of, info_or_404, studio_of
from vidcoop.studio.week import JOBBOARD
from vidcoop.timeline.edit import manifest_lock
from vidcoop.timeline.manifest import load_episode

_CUE_FIELD = re.compile(r"cues\.(\d+)(?:\.(\w+))?")


class CueBody(Body):
    start_ms: int = Field(ge=0, le=24 * 3600 * 1000)
    end_ms: int = Field(ge=0, le=24 * 3600 * 1000)
    text: str = Field(max_length=2000)
    # What GET gives per cue: accepted so a cue can be sent back as it came, and ignored (the server
    # keeps each kept word's correction from its own cues).
    corrections: list[dict[str, Any]] = Field(default_factory=list, max_length=200)
    unsure: list[dict[str, Any]] = Field(default_factory=list, max_length=200)
    flags: list[str] = Field(default_factory=list, max_length=20)
    # Unsure words the editor checked and kept as they are: saved as confirmed (no mark any more).
    checked: list[str] = Field(default_factory=list, max_length=200)


class CaptionsBody(Body):
    version: str = Field(min_length=1, max_length=64)
    cues: list[CueBody] = Field(max_length=5000)
    no_captions: bool = False  # the editor's explicit "this video has no captions" (with no cues)


class CheckBody(Body):
    cues: list[CueBody] = Field(max_length=5000)


async def check_cues(request: Request) -> Response:
    body = await body_of(request, CheckBody)
    studio = studio_of(request)
    info = await run_in_threadpool(info_or_404, studio, request.path_params["name"])
    lines = [(c.start_ms, c.end_ms, c.text) for c in body.cues]
    cues = None if info.episode is None else await run_in_threadpool(cues_from_ms, studio, info, lines)
    return JSONResponse({"rules": await run_in_threadpool(broken_rules, info, cues)})


async def save_cues(request: Request) -> Response:
    studio = studio_of(request)
    try:
        body = await body_of(request, CaptionsBody)
    except BodyError as exc:
        raise cue_error(exc.data.get("field"), exc.data.get("detail", exc.message), translator(studio.lang),
                        exc) from None
    return JSONResponse(await run_in_threadpool(save, studio, request.path_params["name"], body))


def cue_error(field: Any, detail: str, t: Callable[..., str], fallback: BodyError | None = None) -> BodyError:
    """A refused cue in the page's language, named as the page numbers it ("Untertitel 10", counting
    from 1), with ``cue`` (that number) for the page to mark it."""
    match = _CUE_FIELD.fullmatch(field) if isinstance(field, str) else None
    if match is None:
        return fallback or BodyError(422, detail)
    n, part = int(match.group(1)) + 1, match.group(2)
    if fallback is not None:  # the body's shape: a field out of range
        return BodyError(fallback.status, t("error.cue_invalid", n=n, detail=detail), cue=n)
    key = {"text": "error.cue_empty", "end": "error.cue_end"}.get(part or "")
    message = t(key, n=n) if key else t("error.cue_generic", n=n, detail=detail)
    return BodyError(422, message, cue=n)


def save(studio: Studio, name: str, body: CaptionsBody) -> dict[str, Any]:
    """Save the edited cues beside the manifest and point it at them, if ``body.version`` is current.

    The version check and the writes happen under the manifest's file lock, so of two studios
    (two processes, or two laptops on one shared folder) that loaded the same version, one saves
    and the other gets 409.
    """
    t = translator(studio.lang)
    if not body.cues and not body.no_captions:
        raise BodyError(422, t("error.no_captions"))
    if body.cues and body.no_captions:
        raise BodyError(422, "no_captions: send no cues with it")
    # The last loaded view is enough: the version is read from the files on disk, so a save
    # based on anything older is refused below.
    info = info_or_404(studio, name)
    if info.error is not None:
        raise BodyError(400, info.error)
    if info.kind == JOBBOARD or info.manifest is None or info.episode is None:
        raise BodyError(400, t("error.not_editable"))
    manifest = info.manifest
    with studio.lock, manifest_lock(manifest):
        if body.version != version_of(info):
            raise BodyError(409, t("error.stale"))
        # The manifest as it is on disk now (the version above was read from it too).
        info = replace(info, episode=replace(load_episode(manifest), name=info.name))
        cues = None
        if not body.no_captions:
            original = current_cues(studio, info)
            if original is None:
                raise BodyError(400, "this episode has no captions")
            edits = [CueEdit(c.start_ms, c.end_ms, c.text, tuple(c.checked)) for c in body.cues]
            try:
                cues = edited_cues(original, edits)
            except CaptionError as exc:  # "cues.9.text" is the page's "Untertitel 10"
                raise cue_error(exc.field, exc.message, t) from None
        path = save_captions(manifest, cues)
        info = studio.week().get(name) or info
        if cues is not None:
            studio.cue_cache[(info.name, version_of(info))] = cues
        # New captions are a new key: approvals of the old one no longer count, and the page says so.
        return {"saved": path.name if path else None, "version": version_of(info), "status": info.status,
                "key": info.key, "approvals": len(current_approvers(info.reviews, info.key))}
