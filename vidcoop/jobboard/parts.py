"""How the week's jobs become parts: the order of jobs and partners, each card's time, and where the
week is split so that every part fits its format's length and slots."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from vidcoop.errors import ManifestError
from vidcoop.jobboard.board import BoardChannel, Opener, PartnerInfo, Slot
from vidcoop.jobboard.model import Job
from vidcoop.jobboard.week import Week
from vidcoop.media.probing import probe


@dataclass(frozen=True)
class BoardOptions:
    """How a job-board episode is timed and dressed.

    Attributes:
        budget: Longest a part may run; None = the format's ``max_length``.
        crossfade: Crossfade between every two segments.
        card_base: Seconds every card shows before reading time is added.
        chars_per_second: Reading speed for the text on a card.
        card_min, card_max: Clamp for a card's time on screen.
        title_seconds: How long the title card shows.
        zoom: Gentle zoom over each card (clamped so the card stays in the safe zone).
        music: Background music (the renderer ducks it under any voice); stored as
            ``Episode.audio.music``, where render() reads it.
        profile: Output profile name for the episodes.
        cards_dir: Where cards are cached; None = ``vidcoop.files.cache_dir("cards")``.
        past_reports: Earlier audit reports; when given, bumper slots go to the
            least-exposed partners first (``vidcoop.channel.rotation``) instead of
            the plain weekly rotation.
        shapes: Picture shapes to lay the cards out for besides 9:16 and the ones the channel's platforms
            ask for (``renditions:``); each shape's cards are drawn for its frame (see ``SHAPE_STILLS``).
    """

    budget: Fraction | None = None
    crossfade: Fraction = Fraction(1, 2)
    card_base: Fraction = Fraction(5, 2)
    chars_per_second: int = 15
    card_min: Fraction = Fraction(4)
    card_max: Fraction = Fraction(10)
    title_seconds: Fraction = Fraction(3)
    zoom: tuple[float, float] = (1.0, 1.05)
    music: Path | None = None
    profile: str = "final"
    cards_dir: Path | None = field(default=None, compare=False)
    past_reports: tuple[Mapping[str, object], ...] = field(default=(), compare=False)
    shapes: tuple[str, ...] = ()


def card_seconds(job: Job, options: BoardOptions) -> Fraction:
    """Time on screen: base plus reading time of the card's text, clamped."""
    chars = sum(len(v) for v in (job.title, job.location, job.hours, job.start_text, job.description,
                                 job.apply.display))
    raw = options.card_base + Fraction(chars, options.chars_per_second)
    seconds = min(max(raw, options.card_min), options.card_max)
    return Fraction(round(seconds * 10), 10)  # tenths: tidy reports, exact frames later


def partner_order(partners: list[str], week: Week, part: int = 0) -> list[str]:
    """Partners sorted by id, rotated by ISO week number and part, so the last place moves round."""
    ids = sorted(set(partners))
    if not ids:
        return []
    shift = (week.number + part) % len(ids)
    return ids[shift:] + ids[:shift]


def order_jobs(jobs: list[Job], week: Week) -> list[Job]:
    """Interleave partners round-robin in this week's partner order; file order within a partner."""
    order = partner_order([j.partner for j in jobs], week)
    queues = {pid: [j for j in jobs if j.partner == pid] for pid in order}
    out: list[Job] = []
    while any(queues.values()):
        for pid in order:
            if queues[pid]:
                out.append(queues[pid].pop(0))
    return out


def media_seconds(path: Path) -> Fraction:
    info = probe(path)
    if info.duration is None:
        raise ManifestError("cannot tell how long this clip is", path=path)
    return Fraction(info.duration)


def opener_seconds(opener: Opener | None) -> Fraction:
    if opener is None:
        return Fraction(0)
    return media_seconds(opener.video) if opener.video else opener.duration


def bumper_seconds(partner: PartnerInfo, slot: Slot) -> Fraction:
    if partner.bumper_video is not None:
        return media_seconds(partner.bumper_video)
    return min(partner.bumper_duration, slot.max_length)


def usable_slots(board: BoardChannel) -> list[Slot]:
    """Slot positions that can exist in this episode shape (after-intro needs an intro)."""
    return [s for s in board.slots if s.position != "after-intro" or board.intro is not None]


def split_parts(jobs: list[Job], board: BoardChannel, options: BoardOptions) -> list[list[Job]]:
    """Split into as few parts as fit the budget (crossfades included), as even as the budget allows.

    The greedy split finds how many parts are needed; then an even split
    (so "Teil 2/2" is not a lone card) is used if every part of it fits.

    Raises:
        ManifestError: the budget cannot hold even one card with the fixed parts.
    """
    budget = options.budget or board.max_duration
    slots = usable_slots(board)
    longest_bumper = max(
        (bumper_seconds(p, s) for p in board.partners.values() for s in slots), default=Fraction(0)
    )
    fixed = [opener_seconds(board.intro), options.title_seconds, opener_seconds(board.end_card),
             opener_seconds(board.outro)]
    fixed = [f for f in fixed if f > 0] + [longest_bumper] * sum(s.count for s in slots)

    def length(cards: list[Fraction]) -> Fraction:
        items = fixed + cards
        return sum(items, Fraction(0)) - options.crossfade * (len(items) - 1)

    parts: list[list[Job]] = []
    current: list[Job] = []
    for job in jobs:
        seconds = [card_seconds(j, options) for j in [*current, job]]
        if length(seconds) <= budget:
            current.append(job)
            continue
        if not current:
            raise ManifestError(
                f"a {budget}s episode cannot hold even one card (row {job.row}) with intro, title, bumpers "
                "and outro", field="formats.stellenboerse.max_length",
            )
        parts.append(current)
        current = [job]
    if current:
        parts.append(current)
    k, n = len(parts), len(jobs)
    sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
    bounds = [sum(sizes[:i]) for i in range(k + 1)]
    even = [jobs[bounds[i] : bounds[i + 1]] for i in range(k)]
    if all(length([card_seconds(j, options) for j in part]) <= budget for part in even):
        return even
    return parts
