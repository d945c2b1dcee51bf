"""The week page and its JSON twin: every episode with duration, format, captions and review status."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from vidcoop.channel.config import ChannelCache
from vidcoop.studio.i18n import caption_source_text, translator, week_heading
from vidcoop.studio.state import Studio
from vidcoop.studio.views.base import page, studio_of
from vidcoop.studio.views.queue import signoff_rows
from vidcoop.studio.week import EpisodeInfo, WeekView, channel_words, duration_of, status_row


async def week_page(request: Request) -> Response:
    studio = studio_of(request)
    view = await run_in_threadpool(studio.week)
    rows = await run_in_threadpool(rows_of, studio, view)
    t = translator(studio.lang)
    heading = week_heading(view.week.name, t) if view.week is not None else ""
    partners_on = view.week is not None and view.week.jobboard is not None
    signoffs = await run_in_threadpool(signoff_rows, studio) if partners_on else []
    return page(request, "week.html", week=view.week, rows=rows, heading=heading, partners_on=partners_on,
                signoffs=signoffs)


async def week_json(request: Request) -> Response:
    studio = studio_of(request)
    view = await run_in_threadpool(studio.week)
    rows = await run_in_threadpool(rows_of, studio, view)
    partners_on = view.week is not None and view.week.jobboard is not None
    signoffs = await run_in_threadpool(signoff_rows, studio) if partners_on else []
    return JSONResponse({"week": view.week.name if view.week else "", "episodes": rows, "signoffs": signoffs})


def rows_of(studio: Studio, view: WeekView) -> list[dict[str, Any]]:
    """The status rows, with the words the page shows: title, the format's name, the caption source; a
    shape's preview this studio is rendering now is ``rendering``."""
    t = translator(studio.lang)
    channels = ChannelCache()
    rows = []
    for info in view.items:
        row = status_row(info, _duration(studio, info))
        for shape, files in zip(row["renditions"], info.renditions, strict=True):
            if studio.previews.rendering(info.name, files.shape, files.preview):
                shape["preview"] = "rendering"
        rows.append({**row, "title": info.title, "format_title": channel_words(info, channels)[0],
                     "captions_text": caption_source_text(info.caption_source, t)})
    return rows


def _duration(studio: Studio, info: EpisodeInfo) -> Fraction | None:
    """The planned length, once per preview key (planning probes every source)."""
    key = str(info.preview)
    if key not in studio.durations:
        studio.durations[key] = duration_of(info)
    return studio.durations[key]
