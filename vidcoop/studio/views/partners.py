"""The partner's pages: the link that opens a session, its listings, its card preview, its sign-off.

Every endpoint here finds the partner from the session cookie and nothing else; a listing,
card or sign-off is looked up *within* that partner (the store's ``NotYours`` is one answer
for "someone else's" and "missing"), so no id in an address or a body reaches another
partner's data. The guard (:mod:`vidcoop.studio.security`) has already checked a POST's
origin and its session's CSRF token.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from pydantic import Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response

from vidcoop.jobboard.board import BoardChannel
from vidcoop.jobboard.week import parse_week
from vidcoop.partners import ListingInvalid, ListingState, NotYours, OtherWeek, PartnerStore, StaleListing
from vidcoop.studio.i18n import js_strings, translator
from vidcoop.studio.partner_access import SESSION_COOKIE, csrf_of, is_https
from vidcoop.studio.partner_board import PartnerBoard, card_frame, partner_board
from vidcoop.studio.partner_cards import FORM_FIELDS, listing_fields, preview
from vidcoop.studio.state import Studio
from vidcoop.studio.views.base import STUDIO_DIR, Body, BodyError, body_of, studio_of, templates

PARTNER_STATIC = ("partner.js", "api.js", "studio.css")  # what partner pages load; none of the editor's scripts
WEEKS_AHEAD = 4  # the board's week and the three after it
MAX_FIELD = 5000  # characters per field the server reads at all (the job board's limits are lower)


class ListingBody(Body):
    week: str = Field(pattern=r"^\d{4}-W\d{2}$")
    fields: dict[str, str] = Field(max_length=len(FORM_FIELDS) + 1)
    id: int | None = Field(None, ge=1)
    version: int | None = Field(None, ge=0)


class PreviewBody(Body):
    week: str = Field(pattern=r"^\d{4}-W\d{2}$")
    fields: dict[str, str] = Field(max_length=len(FORM_FIELDS) + 1)


class SignOffBody(Body):
    approved: bool
    by: str = Field(min_length=1, max_length=200)
    comment: str = Field("", max_length=5000)
    hash: str = Field(min_length=1, max_length=128)


# --- the store and the channel of the studio's week -------------------------------------------------


def store_of(studio: Studio) -> PartnerStore:
    """The partner store beside the channel of the week's job board (opened once per studio)."""
    with studio.lock:
        store = studio.partner_cache.get("store")
        if store is None:
            channel = channel_of(studio)
            store = studio.partner_cache["store"] = PartnerStore.open(channel)
        return store  # type: ignore[no-any-return]


def channel_of(studio: Studio) -> Any:
    view = studio.week(fresh=False)
    if view.week is None or view.week.jobboard is None:
        raise BodyError(404, translator(studio.lang)("partner.no_board"))
    return view.week.jobboard.channel


def board_of(studio: Studio) -> BoardChannel:
    """The job board's channel (partners, fonts, template) the store validates against."""
    return store_of(studio).board()


def board_week(studio: Studio) -> str:
    view = studio.week(fresh=False)
    spec = view.week.jobboard if view.week is not None else None
    return parse_week(spec.week if spec is not None else None, today=store_of(studio).today()).label


def weeks_of(studio: Studio) -> list[str]:
    """The weeks a partner may enter listings for: this week (or the board's, when later) and the coming ones."""
    monday = max(parse_week(board_week(studio)).monday, parse_week(store_of(studio).today()).monday)
    return [parse_week(monday + timedelta(weeks=i)).label for i in range(WEEKS_AHEAD)]


def session_of(request: Request) -> tuple[Studio, PartnerStore, str, str]:
    """(studio, store, partner id, session id) of the request's session, or 401."""
    studio = studio_of(request)
    store = store_of(studio)
    sid = request.cookies.get(SESSION_COOKIE)
    pid = store.session_partner(sid) if sid else None
    if pid is None or sid is None:
        raise BodyError(401, translator(studio.lang)("partner.signed_out"))
    return studio, store, pid, sid


def partner_name(studio: Studio, pid: str) -> str:
    partner = board_of(studio).partners.get(pid)
    return partner.name if partner is not None else pid


def partner_page(request: Request, name: str, *, csrf: str = "", status_code: int = 200, **context: Any) -> Response:
    """A partner template: the partner's own CSRF token (never the editor's), no link to the editor's pages."""
    lang = studio_of(request).lang
    strings = {k: v for k, v in js_strings(lang).items() if k.startswith("partner.")}
    return templates().TemplateResponse(
        request, name,
        {"t": translator(lang), "lang": lang, "csrf": csrf, "strings": json.dumps(strings), **context},
        status_code=status_code,
    )


def client_of(request: Request) -> str:
    return request.client.host if request.client is not None else "?"


async def partner_static(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in PARTNER_STATIC:
        return Response("not found", status_code=404, media_type="text/plain")
    return FileResponse(STUDIO_DIR / "static" / name)


# --- the link ------------------------------------------------------------------------------------


async def open_link(request: Request) -> Response:
    """``/p/<token>``: swap a valid token for a new session, then leave the token's address."""
    studio = studio_of(request)
    t = translator(studio.lang)
    client = client_of(request)
    if studio.token_failures.blocked(client):
        return partner_page(request, "partner_denied.html", message=t("partner.too_many"), status_code=429)
    store = await run_in_threadpool(store_of, studio)
    pid = await run_in_threadpool(store.redeem, request.path_params["token"])
    if pid is None:
        studio.token_failures.fail(client)
        return partner_page(request, "partner_denied.html", message=t("partner.bad_link"), status_code=403)
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        await run_in_threadpool(store.end_session, old)  # a cookie from before the login is never adopted
    sid = await run_in_threadpool(store.start_session, pid)
    response = RedirectResponse("/partner", status_code=303)
    response.set_cookie(SESSION_COOKIE, sid, httponly=True, samesite="strict", secure=is_https(request.scope),
                        path="/")
    return response


async def sign_out(request: Request) -> Response:
    _studio, store, _pid, sid = await run_in_threadpool(session_of, request)
    await run_in_threadpool(store.end_session, sid)
    response = JSONResponse({"ok": True})
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response


# --- the page and its JSON twin -------------------------------------------------------------------


def listing_data(listing: Any) -> dict[str, Any]:
    return {"id": listing.id, "week": listing.week, "fields": dict(listing.fields), "status": listing.status,
            "comment": listing.comment, "updated": listing.updated.isoformat(), "version": listing.version}


def page_data(studio: Studio, store: PartnerStore, pid: str) -> dict[str, Any]:
    """Everything the partner page shows, for this partner only."""
    weeks = weeks_of(studio)
    listings = [listing_data(x) for x in store.listings(pid, weeks=weeks)]
    board = current_board(studio, pid)
    signoff = None
    if board is not None:
        own = store.sign_offs(board.week).get(pid)
        if own is not None:
            signoff = {"state": own.state, "comment": own.comment, "by": own.by, "when": own.when.isoformat(),
                       "current": own.content_hash == board.content_hash()}
    return {"partner": {"id": pid, "name": partner_name(studio, pid)}, "weeks": weeks, "listings": listings,
            "week_names": {x["week"]: week_name(x["week"]) for x in [*listings, *({"week": w} for w in weeks)]},
            "board": board.public() if board is not None else None, "board_week": board_week(studio),
            "signoff": signoff}


def week_name(label: str) -> str:
    """``2026-W49`` as German readers write it, with its days: ``KW 49/2026 (30.11.-6.12.)`` with an en dash."""
    week = parse_week(label)
    return f"{week.label_de} ({week.monday:%d.%m.}\u2013{week.sunday:%d.%m.})"


def current_board(studio: Studio, pid: str) -> PartnerBoard | None:
    return partner_board(studio.week(), pid, store_of(studio).channel)


async def partner_home(request: Request) -> Response:
    studio = studio_of(request)
    try:
        studio, store, pid, sid = await run_in_threadpool(session_of, request)
    except BodyError:
        t = translator(studio.lang)
        return partner_page(request, "partner_denied.html", message=t("partner.signed_out"), status_code=401)
    data = await run_in_threadpool(page_data, studio, store, pid)
    return partner_page(request, "partner.html", csrf=csrf_of(studio.partner_key, sid), data=data,
                        data_json=json.dumps(data), fields=FORM_FIELDS)


async def partner_json(request: Request) -> Response:
    studio, store, pid, _sid = await run_in_threadpool(session_of, request)
    return JSONResponse(await run_in_threadpool(page_data, studio, store, pid))


# --- listings -------------------------------------------------------------------------------------


def _check_fields(studio: Studio, week: str, fields: dict[str, str]) -> None:
    t = translator(studio.lang)
    if week not in weeks_of(studio):
        raise BodyError(422, t("partner.week_closed"), problems={"Woche": t("partner.week_closed")})
    unknown = [k for k in fields if k not in FORM_FIELDS and k != "Partner"]
    too_long = [k for k, v in fields.items() if len(v) > MAX_FIELD]
    if unknown or too_long:
        raise BodyError(422, t("partner.bad_fields"))


def _store_call(studio: Studio, call: Any, *args: Any, **kwargs: Any) -> Any:
    """A store call with its refusals as answers: 404 (not yours), 409 (stale, wrong state), 422 (invalid)."""
    t = translator(studio.lang)
    try:
        return call(*args, **kwargs)
    except NotYours:
        raise BodyError(404, t("partner.not_found")) from None
    except StaleListing:
        raise BodyError(409, t("partner.stale")) from None
    except OtherWeek as exc:  # the job board would show it in the wrong week
        raise BodyError(409, t("queue.other_week", week=week_name(exc.week), board=week_name(exc.board))) from None
    except ListingState as exc:
        raise BodyError(409, t("partner.state", message=str(exc))) from None
    except ListingInvalid as exc:
        problems = exc.problems_en if studio.lang == "en" and exc.problems_en else exc.problems
        raise BodyError(422, t("partner.invalid"), problems=problems) from None


async def save_listing(request: Request) -> Response:
    body = await body_of(request, ListingBody)
    studio, store, pid, _sid = await run_in_threadpool(session_of, request)

    def save() -> dict[str, Any]:
        _check_fields(studio, body.week, body.fields)
        listing = _store_call(studio, store.save_listing, pid, body.week, listing_fields(pid, body.fields),
                              listing_id=body.id, expected_version=body.version)
        return listing_data(listing)

    return JSONResponse(await run_in_threadpool(save))


async def listing_action(request: Request) -> Response:
    """``submit`` or ``withdraw`` one of the partner's listings."""
    await body_of(request, Body)
    studio, store, pid, _sid = await run_in_threadpool(session_of, request)
    action = {"submit": store.submit, "withdraw": store.withdraw}.get(request.path_params["action"])
    if action is None:
        raise BodyError(404, translator(studio.lang)("partner.not_found"))
    listing = await run_in_threadpool(_store_call, studio, action, pid, request.path_params["id"])
    return JSONResponse(listing_data(listing) if listing is not None else {"ok": True})


async def card_preview(request: Request) -> Response:
    """The partner's card, drawn as the board will draw it, or the problems at their fields (422)."""
    body = await body_of(request, PreviewBody)
    studio, store, pid, _sid = await run_in_threadpool(session_of, request)

    def draw() -> Response:
        _check_fields(studio, body.week, body.fields)
        shown = preview(store.board(), pid, body.week, body.fields, studio.lang, today=store.today())
        if shown.png is None:
            return JSONResponse({"error": translator(studio.lang)("partner.invalid"), "problems": shown.problems},
                                status_code=422)
        return Response(shown.png, media_type="image/png")

    return await run_in_threadpool(draw)


# --- the rendered board: frames and the sign-off --------------------------------------------------


async def board_frame(request: Request) -> Response:
    studio, _store, pid, _sid = await run_in_threadpool(session_of, request)
    board = await run_in_threadpool(current_board, studio, pid)
    index = request.path_params["index"]
    if board is None or not 0 <= index < len(board.cards):
        raise BodyError(404, translator(studio.lang)("partner.not_found"))
    card = board.cards[index]
    stat = card.video.stat()
    key = ("frame", str(card.video), stat.st_size, stat.st_mtime_ns, str(card.at))
    frames: dict[Any, bytes] = studio.partner_cache.setdefault("frames", {})
    if key not in frames:
        if len(frames) > 200:  # a few weeks of every partner's cards; older renders drop out
            frames.clear()
        frames[key] = await run_in_threadpool(card_frame, card)
    return Response(frames[key], media_type="image/png")


async def sign_off(request: Request) -> Response:
    body = await body_of(request, SignOffBody)
    studio, store, pid, _sid = await run_in_threadpool(session_of, request)
    t = translator(studio.lang)

    def record() -> dict[str, Any]:
        board = current_board(studio, pid)
        if board is None or not board.cards:
            raise BodyError(404, t("partner.no_cards"))
        if body.hash != board.content_hash():
            raise BodyError(409, t("partner.board_changed"))
        if not body.approved and not body.comment.strip():
            raise BodyError(422, t("partner.comment_needed"), problems={"comment": t("partner.comment_needed")})
        store.sign_off(pid, board.week, approved=body.approved, comment=body.comment, by=body.by.strip(),
                       content_hash=body.hash)
        return page_data(studio, store, pid)

    return JSONResponse(await run_in_threadpool(record))
