"""The studio's ASGI app (Starlette): pages, their JSON twins, media, and the guarded POST endpoints.

Safety, in the order a request meets it:

1. **Access token** (only when the server listens beyond this machine): the
   ``?token=`` the command printed, then a cookie; anything else is 401. Without a
   token (127.0.0.1), only requests for ``127.0.0.1``/``localhost`` are answered, so a
   web page cannot reach the studio through DNS rebinding.
2. **POST**: the page's CSRF token in ``X-CSRF-Token``, a JSON body of at most
   1 MiB, validated by pydantic. A caption save names the version it was based
   on; a stale one gets 409 and nothing is written.
3. **Media** comes only from the week's folder tree and its output folder:
   ``..``, absolute paths and symlinks leading out are refused (404).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import secrets
import threading
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Receive, Scope, Send

from vidcoop.errors import VidcoopError
from vidcoop.studio import review as rv
from vidcoop.studio.i18n import LANGUAGES, js_strings, translator
from vidcoop.studio.week import (
    JOBBOARD,
    EpisodeInfo,
    WeekView,
    duration_of,
    preview_episode,
    preview_profile,
    status_row,
)

HERE = Path(__file__).parent
MAX_BODY = 1 << 20
TOKEN_COOKIE = "vidcoop_studio"
CSRF_HEADER = "x-csrf-token"


# --- request bodies ------------------------------------------------------------------------------


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CueBody(_Body):
    start_ms: int = Field(ge=0, le=24 * 3600 * 1000)
    end_ms: int = Field(ge=0, le=24 * 3600 * 1000)
    text: str = Field(max_length=2000)
    # What GET gives per cue: accepted so a cue can be sent back as it came, and ignored (the server
    # keeps each kept word's correction from its own cues).
    corrections: list[dict[str, Any]] = Field(default_factory=list, max_length=200)
    unsure: list[dict[str, Any]] = Field(default_factory=list, max_length=200)
    # Unsure words the editor checked and kept as they are: saved as confirmed (no mark any more).
    checked: list[str] = Field(default_factory=list, max_length=200)


class CaptionsBody(_Body):
    version: str = Field(min_length=1, max_length=64)
    cues: list[CueBody] = Field(max_length=5000)


class CheckBody(_Body):
    cues: list[CueBody] = Field(max_length=5000)


class ReviewBody(_Body):
    reviewer: str = Field(min_length=1, max_length=200)
    organisation: str = Field("", max_length=200)
    comment: str = Field("", max_length=5000)
    decision: str = Field(pattern="^(approve|changes)$")
    row: int | None = Field(None, ge=0, le=10_000_000)


class BodyError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# --- state ---------------------------------------------------------------------------------------


@dataclass
class PreviewJob:
    state: str = "idle"  # idle, running, done, error
    fraction: float = 0.0
    error: str = ""
    path: Path | None = None


@dataclass
class Studio:
    """What the app keeps between requests (one week)."""

    week_path: Path
    lang: str = "de"
    token: str | None = None
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    lock: threading.RLock = field(default_factory=threading.RLock)
    previews: dict[str, PreviewJob] = field(default_factory=dict)
    durations: dict[str, Fraction | None] = field(default_factory=dict)
    cue_cache: dict[tuple[str, str], Any] = field(default_factory=dict)
    pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="preview"))
    view: WeekView | None = None

    stopping: threading.Event = field(default_factory=threading.Event)

    def week(self, fresh: bool = True) -> WeekView:
        """The week as it is on disk now (hashes reused while files are unchanged).

        ``fresh=False`` returns the last loaded view: for requests a page makes right after
        loading (its JSON, the track, progress polls), so they do not re-read every file.
        """
        with self.lock:
            if self.view is None:
                self.view = WeekView(self.week_path)
            elif not fresh and self.view.week is not None:
                return self.view
            return self.view.refresh()

    def roots(self) -> list[Path]:
        view = self.view or self.week()
        assert view.week is not None
        return [view.week.path.parent.resolve(), view.week.output.resolve()]


def create_app(week: str | Path, *, lang: str = "de", token: str | None = None) -> Starlette:
    """The studio for one week manifest.

    Args:
        week: The week manifest.
        lang: ``de`` (default) or ``en``.
        token: Required access token (when serving beyond 127.0.0.1); None = no token.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}")
    studio = Studio(Path(week).absolute(), lang, token)
    studio.week()  # a broken week manifest fails here, before the server starts
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    t = translator(lang)

    def page(request: Request, name: str, **context: Any) -> Response:
        return templates.TemplateResponse(
            request,
            name,
            {"t": t, "lang": lang, "csrf": studio.csrf, "strings": json.dumps(js_strings(lang)), **context},
        )

    def info_or_404(name: str, fresh: bool = False) -> EpisodeInfo:
        info = studio.week(fresh).get(name)
        if info is None:
            raise BodyError(404, "no such episode")
        return info

    # --- pages ---

    async def week_page(request: Request) -> Response:
        view = await run_in_threadpool(studio.week)
        rows = await run_in_threadpool(_rows, studio, view)
        return page(request, "week.html", week=view.week, rows=rows)

    async def episode_page(request: Request) -> Response:
        info = await run_in_threadpool(info_or_404, request.path_params["name"], True)
        cards = _cards(info) if info.kind == JOBBOARD else []
        partners = sorted({(c["partner"], c["partner_name"]) for c in cards}, key=lambda p: p[1])
        return page(request, "episode.html", info=info, cards=cards, partners=partners, approvals=_approval_count(info))

    # --- JSON twins ---

    async def week_json(request: Request) -> Response:
        view = await run_in_threadpool(studio.week)
        return JSONResponse(
            {"week": view.week.name if view.week else "", "episodes": await run_in_threadpool(_rows, studio, view)}
        )

    async def episode_json(request: Request) -> Response:
        info = await run_in_threadpool(info_or_404, request.path_params["name"])
        data = await run_in_threadpool(_episode_data, studio, info)
        return JSONResponse(data)

    async def captions_vtt(request: Request) -> Response:
        info = await run_in_threadpool(info_or_404, request.path_params["name"])
        cues = await run_in_threadpool(_cues, studio, info)
        text = cues.to_string("vtt") if cues is not None else "WEBVTT\n"
        return Response(text, media_type="text/vtt; charset=utf-8", headers={"Cache-Control": "no-store"})

    async def preview_get(request: Request) -> Response:
        info = await run_in_threadpool(info_or_404, request.path_params["name"])
        return JSONResponse(_preview_state(studio, info))

    async def preview_post(request: Request) -> Response:
        await read_json(request, None)
        info = await run_in_threadpool(info_or_404, request.path_params["name"], True)
        _start_preview(studio, info)
        return JSONResponse(_preview_state(studio, info))

    async def preview_file(request: Request) -> Response:
        info = await run_in_threadpool(info_or_404, request.path_params["name"])
        if info.preview is None or not info.preview.is_file():
            return PlainTextResponse("no preview yet", status_code=404)
        return FileResponse(info.preview, media_type="video/mp4")

    async def card_file(request: Request) -> Response:
        info = await run_in_threadpool(info_or_404, request.path_params["name"])
        cards = _cards(info)
        index = request.path_params["index"]
        if not 0 <= index < len(cards):
            return PlainTextResponse("no such card", status_code=404)
        return FileResponse(cards[index]["path"], media_type="image/png")

    async def media(request: Request) -> Response:
        path = safe_media_path(request.path_params["path"], studio.roots())
        if path is None:
            return PlainTextResponse("not found", status_code=404)
        return FileResponse(path)

    # --- POST ---

    async def check_cues(request: Request) -> Response:
        body = await read_json(request, CheckBody)
        info = await run_in_threadpool(info_or_404, request.path_params["name"])
        return JSONResponse({"rules": await run_in_threadpool(_rules, studio, info, body.cues)})

    async def save_cues(request: Request) -> Response:
        body = await read_json(request, CaptionsBody)
        name = request.path_params["name"]
        result = await run_in_threadpool(_save, studio, name, body)
        return JSONResponse(result)

    async def add_review(request: Request) -> Response:
        body = await read_json(request, ReviewBody)
        result = await run_in_threadpool(_review, studio, request.path_params["name"], body)
        return JSONResponse(result)

    async def on_error(request: Request, exc: Exception) -> Response:
        if isinstance(exc, BodyError):
            return JSONResponse({"error": exc.message}, status_code=exc.status)
        if isinstance(exc, VidcoopError):
            return JSONResponse({"error": str(exc).splitlines()[0]}, status_code=422)
        raise exc

    routes = [
        Route("/", week_page),
        Route("/episodes/{name}", episode_page),
        Route("/episodes/{name}/captions.vtt", captions_vtt),
        Route("/episodes/{name}/preview.mp4", preview_file),
        Route("/episodes/{name}/cards/{index:int}.png", card_file),
        Route("/api/week", week_json),
        Route("/api/episodes/{name}", episode_json),
        Route("/api/episodes/{name}/preview", preview_get, methods=["GET"]),
        Route("/api/episodes/{name}/preview", preview_post, methods=["POST"]),
        Route("/api/episodes/{name}/check", check_cues, methods=["POST"]),
        Route("/api/episodes/{name}/captions", save_cues, methods=["POST"]),
        Route("/api/episodes/{name}/review", add_review, methods=["POST"]),
        Route("/media/{path:path}", media),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        studio.stopping.set()  # a running preview render stops (ffmpeg terminated, no file left)
        studio.pool.shutdown(wait=True, cancel_futures=True)

    app = Starlette(routes=routes, exception_handlers={BodyError: on_error, VidcoopError: on_error}, lifespan=lifespan)
    app.state.studio = studio
    return Guard(app, studio)  # type: ignore[return-value]


class Guard:
    """ASGI middleware: the access token (when required) and the CSRF token on every POST."""

    def __init__(self, app: ASGIApp, studio: Studio) -> None:
        self.app = app
        self.studio = studio
        self.state = getattr(app, "state", None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        token = self.studio.token
        if token is None and not is_loopback(_host_name(request.headers.get("host", ""))):
            # Served on this machine only: a page elsewhere that points its own domain name at
            # 127.0.0.1 (DNS rebinding) must not read the week, nor fetch the CSRF token.
            await PlainTextResponse("421: this studio answers to 127.0.0.1 and localhost only", status_code=421)(
                scope, receive, send
            )
            return
        if token is not None and not _same(request.cookies.get(TOKEN_COOKIE), token):
            if _same(request.query_params.get("token"), token):
                target = request.url.path  # drop the token from the address bar and history
                response: Response = RedirectResponse(target, status_code=303)
                response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
            else:
                response = PlainTextResponse(
                    "401: open the address with the token that `vidcoop studio` printed", status_code=401
                )
            await response(scope, receive, send)
            return
        if request.method not in ("GET", "HEAD") and not _same(request.headers.get(CSRF_HEADER), self.studio.csrf):
            await PlainTextResponse("403: missing or wrong CSRF token", status_code=403)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1): only this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host_name(host: str) -> str:
    """``example.org:8765`` -> ``example.org``; ``[::1]:8765`` -> ``::1``."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _same(given: str | None, expected: str) -> bool:
    return given is not None and secrets.compare_digest(given.encode(), expected.encode())


async def read_json(request: Request, model: type[BaseModel] | None) -> Any:
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
        raise BodyError(422, f"{where}: {first['msg']}") from None


def safe_media_path(raw: str, roots: list[Path]) -> Path | None:
    """The file ``raw`` names inside one of ``roots``, or None (traversal, absolute, symlink out, missing)."""
    if not raw or "\\" in raw or "\x00" in raw or raw.startswith("/"):
        return None
    parts = PurePosixPath(raw).parts
    if any(p in ("..", ".", "") for p in parts) or "%" in raw:
        return None
    for root in roots:
        candidate = root.joinpath(*parts)
        try:
            resolved = candidate.resolve(strict=True)
        except (OSError, RuntimeError):
            continue
        if resolved.is_relative_to(root) and resolved.is_file():
            return resolved
    return None


# --- what the pages show -------------------------------------------------------------------------


def _rows(studio: Studio, view: WeekView) -> list[dict[str, Any]]:
    return [status_row(info, _duration(studio, info)) for info in view.items]


def _duration(studio: Studio, info: EpisodeInfo) -> Fraction | None:
    key = str(info.preview)
    if key not in studio.durations:
        studio.durations[key] = duration_of(info)
    return studio.durations[key]


def _approval_count(info: EpisodeInfo) -> int:
    return len(rv.current_approvers(info.reviews, info.key))


def _cards(info: EpisodeInfo) -> list[dict[str, Any]]:
    if info.episode is None:
        return []
    board = info.episode.extra.get("jobboard") or {}
    partners = {}
    if info.episode.channel is not None:
        from vidcoop.channel import load_channel

        partners = {pid: p.name for pid, p in load_channel(info.episode.channel).partners.items()}
    return [
        {
            "index": i,
            "path": card.path,
            "row": card.job.row,
            "title": card.job.title,
            "partner": card.job.partner,
            "partner_name": partners.get(card.job.partner, card.job.partner),
        }
        for i, card in enumerate(board.get("cards", ()))
    ]


def _cues(studio: Studio, info: EpisodeInfo) -> Any:
    """The episode's current cues (the edited file, the auto transcript, or the job board's text)."""
    from vidcoop.captions.formats import Cues

    if info.episode is None:
        return None
    if info.kind == JOBBOARD:
        board = info.episode.extra.get("jobboard") or {}
        return Cues(tuple(board.get("cues", ())), style="social")
    version = _version(info)
    hit = studio.cue_cache.get((info.name, version))
    if hit is None:
        from vidcoop.channel.assemble import caption_style_name, episode_channel
        from vidcoop.pipeline import episode_cues

        spec = info.episode.captions
        if spec.mode == "file" and spec.path is not None:  # an edited file's times are the rendered timeline's
            style = caption_style_name(info.episode, episode_channel(info.episode))
            hit = Cues.load(spec.path, style=style)
        else:  # transcribed (cached by audio content) and cut into cues exactly as render() does
            hit = episode_cues(info.episode, profile=preview_profile())
        studio.cue_cache[(info.name, version)] = hit
    return hit


def _version(info: EpisodeInfo) -> str:
    from vidcoop.studio.captions import captions_version

    return captions_version(info.manifest) if info.manifest is not None else info.key[:16]


def _cue_dicts(cues: Any) -> list[dict[str, Any]]:
    def ms(t: Fraction) -> int:
        return int((t * 1000 + Fraction(1, 2)) // 1)

    def corrections(cue: Any) -> list[dict[str, Any]]:
        """The cue's words that correction changed: what the page marks (``text`` as shown now).

        Neighbours from one correction (a glued word split in two) are one entry: "Wer Arbeit".
        """
        out: list[dict[str, Any]] = []
        previous = None
        for w in cue.words:
            if w.correction is not None and w.correction == previous and out:
                out[-1]["text"] += f" {w.text}"
            elif w.correction is not None:
                out.append({"text": w.text, **w.correction.as_dict()})
            previous = w.correction
        return out

    def unsure(cue: Any) -> list[dict[str, Any]]:
        """The cue's words the recogniser was unsure of (what the page asks the editor to check)."""
        return [{"text": w.text, "probability": round(w.probability, 2)} for w in cue.words if w.unsure]

    return [
        {"start_ms": ms(c.start), "end_ms": ms(c.end), "text": c.text, "corrections": corrections(c),
         "unsure": unsure(c)}
        for c in cues or ()
    ]


def _episode_data(studio: Studio, info: EpisodeInfo) -> dict[str, Any]:
    cues = _cues(studio, info)
    return {
        "name": info.name,
        "kind": info.kind,
        "status": info.status,
        "key": info.key,
        "editable": info.kind != JOBBOARD and info.manifest is not None and cues is not None,
        "version": _version(info),
        "cues": _cue_dicts(cues),
        "rules": _rules(studio, info, None, cues),
        "preview": _preview_state(studio, info),
        "approvals": _approval_count(info),
        "required": info.approvals,
        "reviews": [r.__dict__ for r in info.reviews],
    }


def _edits(cues: list[CueBody]) -> list[Any]:
    from vidcoop.studio.captions import CueEdit

    return [CueEdit(c.start_ms, c.end_ms, c.text, tuple(c.checked)) for c in cues]


def _rules(studio: Studio, info: EpisodeInfo, body: list[CueBody] | None, cues: Any = None) -> list[list[str]]:
    """Per cue, the subtitle rules it breaks (the caption module's own checker, one cue at a time)."""
    from vidcoop import captions
    from vidcoop.captions.formats import cues_from_lines

    if info.episode is None:
        return []
    if body is not None:
        current = _cues(studio, info)
        style = current.style if current is not None else "subtitle"
        cues = cues_from_lines(
            [(Fraction(c.start_ms, 1000), Fraction(c.end_ms, 1000), c.text) for c in body], style=style
        )
    if cues is None or info.kind == JOBBOARD:
        return [[] for _ in cues or ()]
    style_name = getattr(cues, "style", "subtitle")
    style = _caption_style(info, style_name)
    # Social cues (1-3 words, timed to speech) are not held for 1 s or limited in reading speed.
    skip = {"cues", "violating"} | ({"duration", "reading_speed"} if style_name == "social" else set())
    items = list(cues)
    out = []
    for i, cue in enumerate(items):
        report = captions.check_subtitle_rules([cue], style).as_dict()
        broken = [rule for rule, n in report.items() if n and rule not in skip]
        if i and captions.check_subtitle_rules(items[i - 1 : i + 1], style).overlaps:
            broken.append("overlaps")
        out.append(broken)
    return out


def _caption_style(info: EpisodeInfo, style_name: str) -> Any:
    """The kit's caption style (its font and width decide the pixel-width rule)."""
    from vidcoop.channel.assemble import default_kit, episode_channel

    assert info.episode is not None
    channel = episode_channel(info.episode)
    kit = channel.kit() if channel is not None else default_kit()
    return kit.caption_style(style_name)


def _save(studio: Studio, name: str, body: CaptionsBody) -> dict[str, Any]:
    from vidcoop.studio.captions import edited_cues, save_captions

    with studio.lock:  # one save at a time, so the version check and the write cannot interleave
        # The last loaded view is enough: the version is read from the files on disk, so a save
        # based on anything older is refused below.
        info = studio.week(fresh=False).get(name)
        if info is None:
            raise BodyError(404, "no such episode")
        if info.kind == JOBBOARD or info.manifest is None or info.episode is None:
            raise BodyError(400, "this episode's captions are not edited here")
        current = _version(info)
        if body.version != current:
            raise BodyError(409, "changed elsewhere, reload")
        from dataclasses import replace

        from vidcoop.timeline.manifest import load_episode

        # The manifest as it is on disk now (the version above was read from it too).
        manifest = info.manifest
        info = replace(info, episode=replace(load_episode(manifest), name=info.name))
        original = _cues(studio, info)
        if original is None:
            raise BodyError(400, "this episode has no captions")
        cues = edited_cues(original, _edits(body.cues))
        path = save_captions(manifest, cues)
        info = studio.week().get(name) or info
        studio.cue_cache[(info.name, _version(info))] = cues
        return {"saved": path.name, "version": _version(info), "status": info.status}


def _review(studio: Studio, name: str, body: ReviewBody) -> dict[str, Any]:
    with studio.lock:
        view = studio.week()
        info = view.get(name)
        if info is None:
            raise BodyError(404, "no such episode")
        if info.error is not None:
            raise BodyError(400, "this episode does not load; fix it first")
        rv.ReviewBook.load(view.reviews_file).add(
            rv.Review(
                episode=name,
                reviewer=body.reviewer.strip(),
                decision=body.decision,
                key=info.key,
                organisation=body.organisation.strip(),
                comment=body.comment,
                row=body.row,
            )
        )
        info = studio.week().get(name) or info
        return {
            "status": info.status,
            "approvals": _approval_count(info),
            "required": info.approvals,
            "reviews": [r.__dict__ for r in info.reviews],
        }


# --- preview renders -----------------------------------------------------------------------------


def _preview_state(studio: Studio, info: EpisodeInfo) -> dict[str, Any]:
    job = studio.previews.get(info.name)
    ready = info.preview is not None and info.preview.is_file()
    if ready and (job is None or job.path == info.preview):
        return {"state": "done", "fraction": 1.0, "url": f"/episodes/{info.name}/preview.mp4?v={info.key[:12]}"}
    if job is None or job.path != info.preview:
        return {"state": "idle", "fraction": 0.0}
    return {"state": job.state, "fraction": round(job.fraction, 3), "error": job.error}


def _start_preview(studio: Studio, info: EpisodeInfo) -> None:
    if info.episode is None or info.preview is None or info.preview.is_file():
        return
    with studio.lock:
        job = studio.previews.get(info.name)
        if job is not None and job.path == info.preview and job.state == "running":
            return
        job = PreviewJob("running", 0.0, "", info.preview)
        studio.previews[info.name] = job
    studio.pool.submit(_render_preview, job, info.episode, info.preview, studio.stopping)


class PreviewCancelled(Exception):
    """The server is stopping; raised from the progress callback, which makes ffmpeg stop."""


def _render_preview(job: PreviewJob, episode: Any, out: Path, stopping: threading.Event) -> None:
    from vidcoop.engine.api import RenderOptions
    from vidcoop.pipeline import render

    def progress(p: Any) -> None:
        if stopping.is_set():
            raise PreviewCancelled
        job.fraction = float(p.fraction or 0.0)

    options = RenderOptions(profile=preview_profile(), captions=False, loudness=False, sidecars=False, report=False)
    try:
        render(preview_episode(episode), out, progress=progress, options=options)
        job.state, job.fraction = "done", 1.0
    except Exception as exc:  # shown on the page; the server keeps running
        job.state, job.error = "error", str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def run_server(app: Any, host: str, port: int, sock: Any = None) -> None:
    """Serve until Ctrl-C (uvicorn), on ``sock`` when given (bound by the caller, who then knows the
    real address before it prints it); saved files are already complete, so stopping loses nothing."""
    import uvicorn

    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    asyncio.run(server.serve(sockets=[sock] if sock is not None else None))
