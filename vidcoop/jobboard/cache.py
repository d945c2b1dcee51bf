"""Job cards cached by content, so a re-run renders only what changed.

A card's key hashes everything that changes its pixels: the job's field
values, the partner's logo bytes and name, the template, the font files and
the vidcoop version (plus :data:`CARD_RENDERER`, bumped when drawing code
changes). Cards land as ``card-<key>.png`` in the cache folder and are
written atomically, so an interrupted run never leaves a half card.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vidcoop._version import __version__
from vidcoop.files import RUN_FACT, atomic_save_image, cache_dir, remembered_sha256, stable_hash
from vidcoop.jobboard.board import BoardChannel, PartnerInfo
from vidcoop.jobboard.card import draw_card
from vidcoop.jobboard.model import Job
from vidcoop.shapes import DEFAULT_SHAPE

CARD_RENDERER = 3


@dataclass(frozen=True)
class CardFile:
    """A job card on disk.

    Attributes:
        job: The job it shows.
        path: The PNG.
        key: Its content hash.
        rendered: True when this run drew it, False when it came from the cache.
    """

    job: Job
    path: Path
    key: str
    rendered: bool = field(metadata=RUN_FACT)
    number: int | None = None


def _hash_of(path: Path | None) -> str | None:
    return None if path is None else remembered_sha256(path)


def card_key(job: Job, partner: PartnerInfo, channel: BoardChannel, number: int | None = None) -> str:
    """Content hash of everything that decides how the card looks."""
    values = job.fields(number)
    shape = channel.template.shape
    return stable_hash(
        "jobcard", CARD_RENDERER, __version__, *([shape] if shape != DEFAULT_SHAPE else []), values,
        {"name": partner.name, "logo": _hash_of(partner.logo)},
        channel.template.key(),
        {role: _hash_of(path) for role, path in sorted(channel.fonts.items())},
    )


def render_cards(
    jobs: list[Job] | tuple[Job, ...], channel: BoardChannel, folder: Path | None = None,
    numbers: dict[int, int] | None = None, shape: str = DEFAULT_SHAPE,
) -> list[CardFile]:
    """Draw each job's card unless a card with the same key already exists.

    Args:
        jobs: Validated jobs.
        channel: Partners, fonts and template.
        folder: Where cards live; default ``vidcoop.files.cache_dir("cards")``.
        numbers: The job's number on the week's board by row ("Nr. 3"); default: its place in ``jobs``.
        shape: The picture shape the cards are laid out for (:meth:`BoardChannel.for_shape`); its own key.
    """
    channel = channel.for_shape(shape)
    out = folder or cache_dir("cards")
    out.mkdir(parents=True, exist_ok=True)
    files: list[CardFile] = []
    for place, job in enumerate(jobs, start=1):
        number = numbers.get(job.row, place) if numbers is not None else place
        partner = channel.partners[job.partner]
        key = card_key(job, partner, channel, number)

        def draw(job: Job = job, partner: PartnerInfo = partner, number: int = number) -> Any:
            return draw_card(job.fields(number), partner, channel).image

        path, rendered = cached_png(out, "card", key, draw)
        files.append(CardFile(job, path, key, rendered, number))
    return files


def cached_png(folder: Path, prefix: str, key: str, draw: Callable[[], Any]) -> tuple[Path, bool]:
    """``folder/<prefix>-<key>.png``, drawn by ``draw()`` only when missing; returns (path, drawn)."""
    path = folder / f"{prefix}-{key[:24]}.png"
    if path.is_file():
        return path, False
    atomic_save_image(draw(), path, "PNG", compress_level=1)  # decoded once per render: size matters little
    return path, True
