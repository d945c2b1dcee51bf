"""The episode's preview render: start it, poll its progress, fetch the file."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response

from vidcoop.studio.views.base import info_or_404, read_json, studio_of


async def preview_get(request: Request) -> Response:
    studio = studio_of(request)
    info = await run_in_threadpool(info_or_404, studio, request.path_params["name"])
    return JSONResponse(studio.previews.state(info))


async def preview_post(request: Request) -> Response:
    await read_json(request, None)
    studio = studio_of(request)
    info = await run_in_threadpool(info_or_404, studio, request.path_params["name"], True)
    studio.previews.start(info)
    return JSONResponse(studio.previews.state(info))


async def preview_file(request: Request) -> Response:
    info = await run_in_threadpool(info_or_404, studio_of(request), request.path_params["name"])
    if info.preview is None or not info.preview.is_file():
        return PlainTextResponse("no preview yet", status_code=404)
    return FileResponse(info.preview, media_type="video/mp4")
