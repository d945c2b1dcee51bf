"""The studio's pages and endpoints, one module per page (on :mod:`vidcoop.studio.views.base`).

Every page has a JSON twin under ``/api/``; the POST endpoints change files on disk.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from vidcoop.studio.views.base import STUDIO_DIR
from vidcoop.studio.views.captions import check_cues, save_cues
from vidcoop.studio.views.episode import captions_vtt, episode_json, episode_page
from vidcoop.studio.views.jobboard import card_file
from vidcoop.studio.views.media import media
from vidcoop.studio.views.partners import (
    board_frame,
    card_preview,
    listing_action,
    open_link,
    partner_home,
    partner_json,
    partner_static,
    save_listing,
    sign_off,
    sign_out,
)
from vidcoop.studio.views.preview import preview_file, preview_get, preview_post
from vidcoop.studio.views.queue import decide, queue_json, queue_page
from vidcoop.studio.views.review import add_review
from vidcoop.studio.views.roughcut import (
    plan_post,
    roughcut_json,
    roughcut_page,
    save_post,
    source_get,
    transcribe_post,
)
from vidcoop.studio.views.week import week_json, week_page


def routes() -> list[BaseRoute]:
    """The studio's address map."""
    return [
        Route("/", week_page),
        Route("/episodes/{name}", episode_page),
        Route("/episodes/{name}/captions.vtt", captions_vtt),
        Route("/episodes/{name}/roughcut", roughcut_page),
        Route("/episodes/{name}/preview.mp4", preview_file),
        Route("/episodes/{name}/cards/{index:int}.png", card_file),
        Route("/api/week", week_json),
        Route("/api/episodes/{name}", episode_json),
        Route("/api/episodes/{name}/preview", preview_get, methods=["GET"]),
        Route("/api/episodes/{name}/preview", preview_post, methods=["POST"]),
        Route("/api/episodes/{name}/check", check_cues, methods=["POST"]),
        Route("/api/episodes/{name}/captions", save_cues, methods=["POST"]),
        Route("/api/episodes/{name}/review", add_review, methods=["POST"]),
        Route("/api/episodes/{name}/roughcut", roughcut_json, methods=["GET"]),
        Route("/api/episodes/{name}/roughcut", save_post, methods=["POST"]),
        Route("/api/roughcut/transcribe", transcribe_post, methods=["POST"]),
        Route("/api/roughcut/source", source_get, methods=["GET"]),
        Route("/api/roughcut/plan", plan_post, methods=["POST"]),
        Route("/media/{path:path}", media),
        Route("/queue", queue_page),
        Route("/api/queue", queue_json),
        Route("/api/queue/{id:int}/{action:str}", decide, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(STUDIO_DIR / "static")), name="static"),
        # the partners' pages (vidcoop.studio.partner_access.is_partner_path): a session, no editor token
        Route("/p/{token:str}", open_link),
        Route("/partner", partner_home),
        Route("/partner/board/{index:int}.png", board_frame),
        Route("/partner/static/{name:str}", partner_static),
        Route("/api/partner", partner_json),
        Route("/api/partner/listings", save_listing, methods=["POST"]),
        Route("/api/partner/listings/{id:int}/{action:str}", listing_action, methods=["POST"]),
        Route("/api/partner/preview", card_preview, methods=["POST"]),
        Route("/api/partner/signoff", sign_off, methods=["POST"]),
        Route("/api/partner/logout", sign_out, methods=["POST"]),
    ]
