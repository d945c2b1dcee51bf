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
from vidcoop.studio.views.preview import preview_file, preview_get, preview_post
from vidcoop.studio.views.review import add_review
from vidcoop.studio.views.week import week_json, week_page


def routes() -> list[BaseRoute]:
    """The studio's address map."""
    return [
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
        Mount("/static", StaticFiles(directory=str(STUDIO_DIR / "static")), name="static"),
    ]
