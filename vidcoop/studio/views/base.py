"""What every page and endpoint shares: the studio of the request, templates, JSON bodies, errors."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.templating import Jinja2Templates

from vidcoop.errors import VidcoopError
from vidcoop.studio.i18n import js_strings, translator
from vidcoop.studio.state import Studio
from vidcoop.studio.week import EpisodeInfo

STUDIO_DIR = Path(__file__).resolve().parent.parent
MAX_BODY = 1 << 20

BodyT = TypeVar("BodyT", bound=BaseModel)


class Body(BaseModel):
    """A POST body: unknown keys are refused."""

    model_config = ConfigDict(extra="forbid")


class BodyError(Exception):
    """A request the studio refuses: answered as ``{"error": message}`` with ``status``."""

    def __init__(self, status: int, message: str, **data: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.data = data  # more for the page (which cue is at fault, the open points), answered beside "error"


def studio_of(request: Request) -> Studio:
    studio: Studio = request.app.state.studio
    return studio


@functools.cache
def templates() -> Jinja2Templates:
    return Jinja2Templates(directory=str(STUDIO_DIR / "templates"))


def page(request: Request, name: str, *, status_code: int = 200, **context: Any) -> Response:
    """The template ``name`` with the translator, the language, the CSRF token and the page's JS strings."""
    studio = studio_of(request)
    lang = studio.lang
    return templates().TemplateResponse(
        request,
        name,
        {"t": translator(lang), "lang": lang, "csrf": studio.csrf, "strings": json.dumps(js_strings(lang)), **context},
        status_code=status_code,
    )


def info_or_404(studio: Studio, name: str, fresh: bool = False) -> EpisodeInfo:
    """The episode ``name`` of the week (re-read from disk with ``fresh``), or a 404."""
    info = studio.week(fresh).get(name)
    if info is None:
        raise BodyError(404, "no such episode")
    return info


async def read_json(request: Request, model: type[BodyT] | None) -> BodyT | None:
    """The request's JSON body, at most 1 MiB, validated by ``model``."""
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
        raise BodyError(413, "request body larger than 1 MiB")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise BodyError(413, "request body larger than 1 MiB")
        chunks.append(chunk)
    if model is None:
        return None
    if "application/json" not in request.headers.get("content-type", ""):
        raise BodyError(415, "send JSON")
    try:
        return model.model_validate_json(b"".join(chunks))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise BodyError(422, f"{where}: {first['msg']}", field=where, detail=first["msg"]) from None


async def body_of(request: Request, model: type[BodyT]) -> BodyT:
    """``read_json`` for endpoints that need a body."""
    body = await read_json(request, model)
    assert body is not None
    return body


async def on_error(request: Request, exc: Exception) -> Response:
    """A refused request or a bad file: one line as JSON, or a readable page for a page (never a traceback)."""
    if isinstance(exc, BodyError):
        return JSONResponse({**exc.data, "error": exc.message}, status_code=exc.status)
    if not isinstance(exc, VidcoopError):
        raise exc
    if request.method == "GET" and not request.url.path.startswith("/api/"):
        # A file of the week is broken (a reviews file edited by hand): say which, on a page.
        return page(request, "error.html", message=str(exc), status_code=422)
    return JSONResponse({"error": str(exc)}, status_code=422)  # vidcoop's errors are one line
