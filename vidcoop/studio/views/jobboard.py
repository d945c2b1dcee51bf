"""The job board's cards: listed on its episode page (by partner), each served as PNG."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response

from vidcoop.channel import load_channel
from vidcoop.jobboard.episode import board_part
from vidcoop.jobboard.reasons import row_reasons
from vidcoop.studio.views.base import info_or_404, studio_of
from vidcoop.studio.week import EpisodeInfo


async def card_file(request: Request) -> Response:
    info = await run_in_threadpool(info_or_404, studio_of(request), request.path_params["name"])
    cards = cards_of(info)
    index = request.path_params["index"]
    if not 0 <= index < len(cards):
        return PlainTextResponse("no such card", status_code=404)
    return FileResponse(cards[index]["path"], media_type="image/png")


def cards_of(info: EpisodeInfo) -> list[dict[str, Any]]:
    """The episode's job cards with their jobs-file row, title and partner."""
    if info.episode is None:
        return []
    board = board_part(info.episode)
    partners = {}
    if info.episode.channel is not None:
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
        for i, card in enumerate(board.cards if board is not None else ())
    ]


def left_out_of(info: EpisodeInfo, lang: str = "de") -> list[dict[str, Any]]:
    """The rows of the job list the board does not show, each with its partner's name and why (``why``,
    in the page's language)."""
    board = board_part(info.episode) if info.episode is not None else None
    if board is None or not board.left_out:
        return []
    partners: dict[str, str] = {}
    if info.episode is not None and info.episode.channel is not None:
        partners = {pid: p.name for pid, p in load_channel(info.episode.channel).partners.items()}
    return [{**row, "partner_name": partners.get(str(row.get("partner")), str(row.get("partner") or "")),
             "why": row_reasons(row, lang)}
            for row in board.left_out]
