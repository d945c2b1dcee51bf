"""What a partner signs off: its cards on the week's board, and whether its sign-off still matches them.

A partner approves what it saw: each of its cards (the card's content key, which covers the text, the
number, the partner's name and logo, the template and the fonts), its name as the post texts and the
link page credit it. :func:`partner_content_hash` is the hash of exactly that; the partner page passes
it to :meth:`~vidcoop.partners.PartnerStore.sign_off`, and ``vidcoop status`` and ``batch --final``
compute it again from the board as it is now. A board rendered again with other content for that
partner (an edited job, a changed logo, another number) makes its sign-off stale; a change to another
partner's cards does not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vidcoop.channel.config import Channel
from vidcoop.jobboard.cache import CardFile
from vidcoop.jobboard.episode import board_part
from vidcoop.partners.audit import content_hash
from vidcoop.partners.db import db_path
from vidcoop.partners.model import APPROVED, SignOff
from vidcoop.partners.store import PartnerStore
from vidcoop.timeline.model import Episode

#: What ``vidcoop status`` says about a partner's sign-off. A partner without access (never invited, its
#: link revoked or expired) cannot sign off, so its sign-off is not required (:func:`missing_signoffs`).
SIGNED, CHANGES, STALE, MISSING = "approved", "changes requested", "changed since sign-off", "not signed off"
NO_ACCESS = "no partner access"


def board_cards(episodes: Iterable[Episode]) -> dict[str, list[CardFile]]:
    """The cards of the week's job board (all its parts) by partner, in the board's order."""
    out: dict[str, list[CardFile]] = {}
    for episode in episodes:
        part = board_part(episode)
        for card in part.cards if part is not None else ():
            out.setdefault(card.job.partner, []).append(card)
    return out


def board_week(episodes: Iterable[Episode]) -> str | None:
    """The ISO week of the job board among ``episodes``, or None when there is none."""
    return next((part.week for part in map(board_part, episodes) if part is not None), None)


def partner_content(episodes: Sequence[Episode], partner_id: str, channel: Channel) -> dict[str, Any]:
    """What ``partner_id`` sees of the week's board: its cards (key, number, text) and its credited name."""
    partner = channel.partners.get(partner_id)
    return {
        "week": board_week(episodes),
        "partner": partner_id,
        "credit": partner.name if partner is not None else partner_id,
        "cards": [{"number": card.number, "key": card.key, "fields": card.job.fields(card.number)}
                  for card in board_cards(episodes).get(partner_id, [])],
    }


def partner_content_hash(episodes: Sequence[Episode], partner_id: str, channel: Channel) -> str:
    """SHA-256 of :func:`partner_content`: what a sign-off names."""
    return content_hash(partner_content(episodes, partner_id, channel))


@dataclass(frozen=True)
class PartnerSignoff:
    """One partner on the week's board and where its sign-off stands.

    Attributes:
        partner_id: The partner.
        state: ``approved``, ``changes requested``, ``changed since sign-off`` or ``not signed off``.
        current: Whether it counts: approved for exactly the content the board shows now.
        signoff: The latest sign-off, if any.
    """

    partner_id: str
    state: str
    current: bool
    signoff: SignOff | None = None


def board_signoffs(episodes: Sequence[Episode], channel_yaml: Path) -> list[PartnerSignoff]:
    """Each partner with cards on the board, and its sign-off for the board as it is now (by partner id).

    Reads the partner database beside ``channel_yaml`` without creating it (no database: nobody signed).
    """
    week = board_week(episodes)
    partners = sorted(board_cards(episodes))
    if week is None or not partners:
        return []
    store = PartnerStore.open(channel_yaml, recover=False) if db_path(channel_yaml).exists() else None
    found = store.sign_offs(week) if store is not None else {}
    channel = store.channel if store is not None else None
    access = {i.partner_id for i in store.invitations() if i.active(store.clock())} if store is not None else set()
    out = []
    for pid in partners:
        signoff = found.get(pid)
        if signoff is None or channel is None:
            out.append(PartnerSignoff(pid, MISSING if pid in access else NO_ACCESS, False))
            continue
        current = signoff.current_for(partner_content_hash(episodes, pid, channel))
        state = CHANGES if signoff.state != APPROVED else SIGNED if current else STALE
        out.append(PartnerSignoff(pid, state, current, signoff))
    return out


def missing_signoffs(episodes: Sequence[Episode], channel_yaml: Path) -> list[str]:
    """The partners on the board whose current approval is still missing, by id (empty: everyone signed off).

    Only partners with access are asked: one that was never invited, or whose link was revoked or has
    expired, cannot sign off, so it does not hold the board back (``vidcoop status`` says so).
    """
    return [s.partner_id for s in board_signoffs(episodes, channel_yaml) if not s.current and s.state != NO_ACCESS]
