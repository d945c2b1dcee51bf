"""A partner's part of the rendered job board: its cards in the video, its credits, its link-page entries.

What a partner signs off is named by :func:`vidcoop.partners.signoff.partner_content_hash`
(its cards' content keys, numbers and texts, and its credited name), the same hash
``vidcoop status`` and ``batch --final`` compute from the board as it is now; a board
rendered again with other content for this partner makes the sign-off stale.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop.channel.config import Channel
from vidcoop.cover.frames import decode_frames
from vidcoop.jobboard.episode import board_part, probed_length
from vidcoop.partners.signoff import partner_content_hash
from vidcoop.studio.week import JOBBOARD, WeekView


@dataclass(frozen=True)
class BoardCard:
    """One of the partner's cards in a rendered part of the board.

    Attributes:
        video: The final video the frame comes from.
        at: The card's middle, in seconds of that video.
        number: Its number on the board ("Nr. 3").
        title: The job title as the card shows it.
        key: The card's content key.
    """

    video: Path
    at: Fraction
    number: int
    title: str
    key: str


@dataclass(frozen=True)
class PartnerBoard:
    """The partner's part of the week's rendered board (empty ``cards``: it has none on it)."""

    partner: str
    week: str
    cards: tuple[BoardCard, ...]
    credits: tuple[str, ...]  # lines of the post texts that name the partner or one of its jobs
    links: tuple[dict[str, str], ...]  # the link page's entries of its jobs: number, title, apply
    hash: str  # what a sign-off of this names (partner_content_hash)

    def content_hash(self) -> str:
        return self.hash

    def public(self) -> dict[str, Any]:
        """For the page: no paths on this machine."""
        return {
            "cards": [{"index": i, "number": c.number, "title": c.title, "at": round(float(c.at), 2)}
                      for i, c in enumerate(self.cards)],
            "credits": list(self.credits),
            "links": [dict(x) for x in self.links],
            "hash": self.content_hash(),
        }


def card_times(episode: Any) -> list[Fraction]:
    """The middle of every ``card`` segment on the episode's timeline (crossfades overlap neighbours)."""
    out: list[Fraction] = []
    t = Fraction(0)
    for seg in episode.segments:
        seconds = probed_length(seg) or Fraction(0)
        if seg.kind == "card":
            out.append(t + seconds / 2)
        t += seconds - episode.crossfade
    return out


def partner_board(view: WeekView, partner_id: str, channel: Channel) -> PartnerBoard | None:
    """The partner's part of the board once the week's final board video exists, else None."""
    partner = channel.partners.get(partner_id)
    partner_name = partner.name if partner is not None else partner_id
    wk = view.week
    if wk is None or wk.jobboard is None:
        return None
    boards = [info for info in view.items if info.kind == JOBBOARD and info.episode is not None]
    if not boards or any(info.final is None or not info.final.is_file() for info in boards):
        return None
    cards: list[BoardCard] = []
    credits: list[str] = []
    links: list[dict[str, str]] = []
    titles: set[str] = set()
    for info in boards:
        assert info.episode is not None and info.final is not None
        part = board_part(info.episode)
        if part is None:
            continue
        times = card_times(info.episode)
        for card, at in zip(part.cards, times, strict=False):
            if card.job.partner != partner_id:
                continue
            number = card.number or 0
            cards.append(BoardCard(info.final, at, number, card.job.title, card.key))
            links.append({"number": str(number), "title": card.job.title, "apply": card.job.apply.display})
            titles.add(card.job.title)
        credits.extend(_credits(info.final.with_suffix(".post.json"), partner_name, titles))
    episodes = [info.episode for info in boards if info.episode is not None]
    week = next((p.week for p in map(board_part, episodes) if p is not None), wk.jobboard.week or "")
    return PartnerBoard(partner_id, week, tuple(cards), tuple(dict.fromkeys(credits)), tuple(links),
                        partner_content_hash(episodes, partner_id, channel))


def _credits(post_json: Path, name: str, titles: set[str]) -> list[str]:
    """Lines of every platform's post text that name the partner or one of its jobs."""
    if not post_json.is_file():
        return []
    data = json.loads(post_json.read_text(encoding="utf-8"))
    where: dict[str, list[str]] = {}
    for platform, post in sorted((data.get("platforms") or {}).items()):
        for line in str(post.get("description", "")).splitlines():
            if name in line or any(title and title in line for title in titles):
                where.setdefault(line, []).append(platform)
    return [f"{line} ({', '.join(platforms)})" for line, platforms in where.items()]


def card_frame(card: BoardCard) -> bytes:
    """The frame of the final video in the middle of the card, as PNG (half size; callers cache it)."""
    frame = decode_frames(card.video, [card.at])[0].image
    small = frame.resize((frame.width // 2, frame.height // 2))
    buffer = io.BytesIO()
    small.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()
