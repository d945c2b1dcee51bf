"""The episode's preview render: start it, poll its progress, fetch the file; one per picture shape (``?shape=``)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response

from vidcoop.shapes import DEFAULT_SHAPE, SHAPES
from vidcoop.studio.views.base import BodyError, info_or_404, read_json, studio_of
from vidcoop.studio.week import EpisodeInfo


def shape_of(request: Request, info: EpisodeInfo) -> str:
    """The ``shape`` the request names (9:16 without one): a known shape the episode is posted in, else a 400."""
    shape = request.query_params.get("shape", DEFAULT_SHAPE)
    if shape not in SHAPES:
        raise BodyError(400, f"shape: unknown picture shape {shape!r} (known: {', '.join(SHAPES)})", field="shape")
    if shape not in info.shapes:
        raise BodyError(400, f"shape: episode {info.name!r} is not posted in {shape} "
                             f"(its shapes: {', '.join(info.shapes)})", field="shape")
    return shape


async def preview_get(request: Request) -> Response:
    studio = studio_of(request)
    info = await run_in_threadpool(info_or_404, studio, request.path_params["name"])
    return JSONResponse(studio.previews.state(info, shape_of(request, info)))


async def preview_post(request: Request) -> Response:
    await read_json(request, None)
    studio = studio_of(request)
    info = await run_in_threadpool(info_or_404, studio, request.path_params["name"], True)
    shape = shape_of(request, info)
    studio.previews.start(info, shape)
    return JSONResponse(studio.previews.state(info, shape))


async def preview_file(request: Request) -> Response:
    info = await run_in_threadpool(info_or_404, studio_of(request), request.path_params["name"])
    preview = info.preview_of(shape_of(request, info))
    if preview is None or not preview.is_file():
        return PlainTextResponse("no preview yet", status_code=404)
    return FileResponse(preview, media_type="video/mp4")
