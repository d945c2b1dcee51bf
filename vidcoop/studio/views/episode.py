"""The episode page, its JSON twin and its caption track (WebVTT)."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from vidcoop.channel.config import ChannelCache
from vidcoop.review import Review, current_approvers
from vidcoop.studio.cues import broken_rules, cue_dicts, current_cues, left_out_dicts, version_of
from vidcoop.studio.i18n import caption_source_text, local_time, open_points_text, translator
from vidcoop.studio.state import Studio
from vidcoop.studio.views.base import info_or_404, page, studio_of
from vidcoop.studio.views.jobboard import cards_of, left_out_of
from vidcoop.studio.week import JOBBOARD, EpisodeInfo, channel_words


async def episode_page(request: Request) -> Response:
    info = await run_in_threadpool(info_or_404, studio_of(request), request.path_params["name"], True)
    cards = cards_of(info) if info.kind == JOBBOARD else []
    partners = sorted({(c["partner"], c["partner_name"]) for c in cards}, key=lambda p: p[1])
    studio = studio_of(request)
    format_title, zone = channel_words(info, ChannelCache())
    left_out = left_out_of(info, studio.lang) if info.kind == JOBBOARD else []
    return page(request, "episode.html", info=info, cards=cards, partners=partners, approvals=approval_count(info),
                left_out=left_out,
                reviews=[review_dict(r, zone, studio.lang) for r in info.reviews], format_title=format_title,
                source_text=caption_source_text(info.caption_source, translator(studio.lang)))


async def episode_json(request: Request) -> Response:
    studio = studio_of(request)
    info = await run_in_threadpool(info_or_404, studio, request.path_params["name"])
    return JSONResponse(await run_in_threadpool(episode_data, studio, info))


async def captions_vtt(request: Request) -> Response:
    studio = studio_of(request)
    info = await run_in_threadpool(info_or_404, studio, request.path_params["name"])
    cues = await run_in_threadpool(current_cues, studio, info)
    text = cues.to_string("vtt") if cues is not None else "WEBVTT\n"
    return Response(text, media_type="text/vtt; charset=utf-8", headers={"Cache-Control": "no-store"})


def approval_count(info: EpisodeInfo) -> int:
    return len(current_approvers(info.reviews, info.key))


def review_dict(review: Review, zone: str, lang: str) -> dict[str, Any]:
    """A review as stored, plus what the page shows: the local time and, for an approval given
    although points were open, which ones ("trotz 3 Untertitel verletzen Regeln")."""
    t = translator(lang)
    anyway = (open_points_text(review.open_rules, review.open_words, t, speech=review.open_speech)
              if review.approved_anyway else "")
    return {
        **review.__dict__,
        "when": local_time(review.at, zone, lang) if review.at else "",
        "anyway": t("review.approved_anyway", points=anyway) if anyway else "",
    }


def review_data(info: EpisodeInfo, lang: str) -> dict[str, Any]:
    """The review part of an episode's data (also what a review POST answers)."""
    zone = channel_words(info, ChannelCache())[1]
    return {
        "status": info.status,
        "approvals": approval_count(info),
        "required": info.approvals,
        "reviews": [review_dict(r, zone, lang) for r in info.reviews],
    }


def episode_data(studio: Studio, info: EpisodeInfo) -> dict[str, Any]:
    cues = current_cues(studio, info)
    return {
        "name": info.name,
        "kind": info.kind,
        "key": info.key,
        "editable": info.kind != JOBBOARD and info.error is None and info.manifest is not None and cues is not None,
        "version": version_of(info),
        "cues": cue_dicts(cues),
        "left_out": left_out_dicts(cues),
        "rules": broken_rules(info, cues),
        "preview": studio.previews.state(info),
        **review_data(info, studio.lang),
    }
