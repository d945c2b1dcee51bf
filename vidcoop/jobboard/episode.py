"""Job-board episodes: intro, title card, job cards, partner bumpers, outro.

Each card shows for a time that grows with its text (a base plus reading
time, clamped). When the jobs do not fit the format's time budget they are
split into parts ("Teil 1/2"). Partners take turns: the partner order is
rotated by ISO week number (and by part), so no partner always lands last
and the bumper slots go round. Cards come from the content cache, so a
re-run redraws only changed cards.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop.captions.model import Cue
from vidcoop.errors import ManifestError
from vidcoop.files import cache_dir, stable_hash
from vidcoop.jobboard.board import BoardChannel, ChannelLike, Opener, PartnerInfo, Slot, board_channel
from vidcoop.jobboard.cache import CARD_RENDERER, CardFile, cached_png, render_cards
from vidcoop.jobboard.card import draw_bumper, draw_text_card
from vidcoop.jobboard.cues import card_cues, timed_cues
from vidcoop.jobboard.model import Job, ValidationReport
from vidcoop.jobboard.parts import (
    BoardOptions,
    card_seconds,
    media_seconds,
    order_jobs,
    partner_order,
    split_parts,
    usable_slots,
)
from vidcoop.jobboard.templates import safe_zoom
from vidcoop.jobboard.week import Week, parse_week
from vidcoop.timeline.model import AudioSpec, Episode, MusicSpec, Reframe, Segment

TITLE = "Stellenbörse der Woche"


BOARD_KEY = "jobboard"  # where a job-board episode keeps its BoardPart in Episode.extra


@dataclass(frozen=True)
class BoardPart:
    """What a job-board episode carries beside its segments: its week, part, cards and the cards' text.

    Attributes:
        week: ISO week label (``2026-W48``).
        part, parts: This episode's number and how many parts the week's board has.
        cards: The job cards shown, in order.
        cues: What the cards say, timed to the episode (for SRT/VTT sidecars, not burned in).
        rendered_cards: How many cards were drawn now (the rest came from the cache).
        left_out: The job rows this board does not show, each with its partner and why (:func:`left_out_rows`).
    """

    week: str
    part: int
    parts: int
    cards: tuple[CardFile, ...]
    cues: tuple[Cue, ...]
    rendered_cards: int = 0
    left_out: tuple[dict[str, Any], ...] = ()

    def report(self) -> dict[str, object]:
        """What the audit report keeps of the board: its week and part, and the rows it does not show."""
        return {"week": self.week, "part": self.part, "parts": self.parts,
                "left_out": [dict(row) for row in self.left_out]}

    def input_files(self) -> tuple[Path, ...]:
        """The job lists the cards were drawn from."""
        return tuple(dict.fromkeys(Path(card.job.source) for card in self.cards if card.job.source is not None))


def board_part(episode: Episode) -> BoardPart | None:
    """The job board's part data of ``episode``, or None for an episode that is no job board."""
    part = episode.extra.get(BOARD_KEY)
    return part if isinstance(part, BoardPart) else None


def _still(path: Path, seconds: Fraction, kind: str, board: BoardChannel, *, partner: str | None = None,
           label: str | None = None, zoom: tuple[float, float] | None = None, where: str | None = None) -> Segment:
    return Segment(source=path, duration=seconds, kind=kind, partner=partner, label=label, field=where,
                   reframe=Reframe(mode="fit-pad", color=board.template.background, zoom=zoom))


def _opener_segment(opener: Opener, kind: str, board: BoardChannel, folder: Path) -> tuple[Segment, Fraction]:
    if opener.video is not None:
        return Segment(source=opener.video, kind=kind), media_seconds(opener.video)
    if board.channel is not None:  # the brand package draws the kit's own title card
        from vidcoop.brand.cards import render_title_card

        kit = board.channel.kit()
        key = stable_hash(kind, 1, opener.title, opener.subtitle, str(kit.path), board.template.key())
        target = folder / f"{kind}-{key[:24]}.png"
        if not target.is_file():
            render_title_card(kit, opener.title, opener.subtitle or None, target)
        return _still(target, opener.duration, kind, board, label=opener.title), opener.duration
    values = {"heading": opener.title, "subtitle": opener.subtitle}
    key = stable_hash(kind, values, board.template.key(), {r: str(p) for r, p in board.fonts.items()})
    path, _ = cached_png(folder, kind, key, lambda: draw_text_card(values, board))
    return _still(path, opener.duration, kind, board, label=opener.title), opener.duration


def _end_card_segment(card: Opener, board: BoardChannel, folder: Path) -> tuple[Segment, Fraction]:
    """The closing card (``endcard``): the link page's address, else the kit's call to action."""
    if board.channel is not None:  # the brand package draws the kit's own end card
        from vidcoop.brand.cards import render_end_card

        kit = board.channel.kit()
        key = stable_hash("endcard", 1, card.title, card.subtitle, str(kit.path), board.template.key())
        target = folder / f"endcard-{key[:24]}.png"
        if not target.is_file():
            render_end_card(kit, card.title, target, subline=card.subtitle or None)
        return _still(target, card.duration, "endcard", board, label=card.title), card.duration
    values = {"heading": card.title, "subtitle": card.subtitle}
    key = stable_hash("endcard", values, board.template.key(), {r: str(p) for r, p in board.fonts.items()})
    path, _ = cached_png(folder, "endcard", key, lambda: draw_text_card(values, board))
    return _still(path, card.duration, "endcard", board, label=card.title), card.duration


def _bumper_segment(partner: PartnerInfo, slot: Slot, board: BoardChannel, folder: Path) -> tuple[Segment, Fraction]:
    if partner.bumper_video is not None:
        seconds = media_seconds(partner.bumper_video)
        return Segment(source=partner.bumper_video, kind="bumper", partner=partner.id, label=partner.name), seconds
    seconds = min(partner.bumper_duration, slot.max_length)
    if board.channel is not None:  # the channel package draws (and caches) generated bumpers
        from vidcoop.channel.bumpers import partner_bumper

        media = partner_bumper(board.channel, partner.id, folder)
        return _still(media.source, seconds, "bumper", board, partner=partner.id, label=partner.name), seconds
    if partner.bumper_image is not None:
        return _still(partner.bumper_image, seconds, "bumper", board, partner=partner.id, label=partner.name), seconds
    key = stable_hash("bumper", CARD_RENDERER, partner.id, partner.name, str(partner.logo), board.template.key())
    path, _ = cached_png(folder, "bumper", key, lambda: draw_bumper(partner, board))
    return _still(path, seconds, "bumper", board, partner=partner.id, label=partner.name), seconds


def assign_bumpers(
    cards: list[CardFile], slots: list[Slot], week: Week, part: int, past_reports: tuple[Mapping[str, object], ...] = ()
) -> list[tuple[str, Slot]]:
    """Fill the slots with partners of this part, in the week's rotated order, each at most once.

    A ``between-items`` bumper introduces its partner's first card, so it
    goes only to a partner whose first card is not the part's first card.
    """
    present = [c.job.partner for c in cards]
    if past_reports:
        from vidcoop.channel.rotation import rotation

        ranked = rotation(present, past_reports, len(set(present)))
        order = list(dict.fromkeys(ranked))
    else:
        order = partner_order(present, week, part)
    first_card = cards[0].job.partner if cards else None
    used: set[str] = set()
    out: list[tuple[str, Slot]] = []
    for slot in slots:
        for _ in range(slot.count):
            pick = next(
                (p for p in order if p not in used and not (slot.position == "between-items" and p == first_card)),
                None,
            )
            if pick is None:
                break
            used.add(pick)
            out.append((pick, slot))
    return out


def left_out_rows(report: ValidationReport) -> tuple[dict[str, Any], ...]:
    """Every row of the file that the board does not show, with its partner and why (JSON-ready).

    ``status`` is ``invalid`` or ``expired``; a row with several problems gets one entry, its
    reasons joined. Batch output, ``batch-report.json``, the audit report and ``vidcoop report``
    list these, so no partner's job disappears unnoticed.
    """
    rows: dict[int, dict[str, Any]] = {}
    for row, status, partner, title, note in report.rows():
        if status == "ok":
            continue
        entry = rows.setdefault(int(row), {"row": int(row), "partner": partner, "title": title, "status": status,
                                           "reason": note,
                                           "file": str(report.source) if report.source is not None else None})
        if note not in entry["reason"].split("; "):
            entry["reason"] += f"; {note}"
    return tuple(rows[r] for r in sorted(rows))


def build_episode(
    jobs: ValidationReport | list[Job] | tuple[Job, ...],
    channel: ChannelLike,
    week: str | Week | None = None,
    *,
    options: BoardOptions | None = None,
) -> list[Episode]:
    """Build the week's job-board episode(s) from validated jobs.

    Args:
        jobs: A :class:`ValidationReport` (its ``ok`` jobs are used) or jobs.
        channel: A :class:`BoardChannel`, a channel object or a ``channel.yaml`` path.
        week: ISO week (``2026-W48``) or None for the current week.
        options: Timing, zoom, music, cache folder.

    Returns:
        One episode per part. Each carries its :class:`BoardPart` (:func:`board_part`: part, parts,
        week, the cards, the caption cues and ``left_out``: the rows not shown, see :func:`left_out_rows`)
        and, if given, ``audio.music``.

    Raises:
        ManifestError: no jobs, an unknown partner, or a budget too small for one card.
    """
    opts = options or BoardOptions()
    board = board_channel(channel)
    wk = parse_week(week)
    job_list = list(jobs.ok if isinstance(jobs, ValidationReport) else jobs)
    left_out = left_out_rows(jobs) if isinstance(jobs, ValidationReport) else ()
    if not job_list:
        # Every row left out: say which and why, so no partner's job vanishes unnoticed here either.
        why = "; ".join(f"row {r['row']} ({r['partner'] or 'no partner'}): {r['status']}" for r in left_out)
        raise ManifestError("no valid, unexpired jobs for this week" + (f" ({why})" if why else ""), field="jobs",
                            path=jobs.source if isinstance(jobs, ValidationReport) else None,
                            hint="'vidcoop jobboard JOBS --check' lists every row with the reason")
    for job in job_list:
        if job.partner not in board.partners:
            raise ManifestError(f"unknown partner {job.partner!r}", path=job.source, field=f"rows.{job.row}.partner")
    folder = opts.cards_dir or cache_dir("cards")
    ordered = order_jobs(job_list, wk)
    numbers = {job.row: n for n, job in enumerate(ordered, start=1)}  # "Nr. 3" on the card and the link page
    groups = split_parts(ordered, board, opts)
    zoom_end = min(opts.zoom[1], safe_zoom(board.template, board.safe_box))
    zoom = (opts.zoom[0], zoom_end) if zoom_end != opts.zoom[0] else None
    episodes = []
    for index, group in enumerate(groups):
        cards = render_cards(group, board, folder, numbers)
        episode = _assemble(cards, board, wk, index, len(groups), opts, folder, zoom, left_out)
        if board.channel is not None:  # checked as rendered, by the same function render() uses
            from vidcoop.channel.assemble import check_render

            check_render(episode, channel=board.channel, profile=opts.profile)
        episodes.append(episode)
    return episodes


def probed_length(segment: Segment) -> Fraction | None:
    """Probed length of a clip segment, for the policy check."""
    if segment.duration is not None or not isinstance(segment.source, Path):
        return segment.duration
    return media_seconds(segment.source)


def _assemble(cards: list[CardFile], board: BoardChannel, wk: Week, index: int, parts: int, opts: BoardOptions,
              folder: Path, zoom: tuple[float, float] | None, left_out: tuple[dict[str, Any], ...] = ()) -> Episode:
    part_label = f"Teil {index + 1}/{parts}" if parts > 1 else ""
    title_values = {"heading": TITLE, "subtitle": wk.date_range_de(), "part": part_label}
    key = stable_hash("title", title_values, board.template.key(), {r: str(p) for r, p in board.fonts.items()})
    if board.channel is not None:
        # The kit's own title card (logo, kit fonts and background), like every other episode's.
        from vidcoop.brand.cards import render_title_card

        kit = board.channel.kit()
        subtitle = f"{wk.date_range_de()}\n{part_label}" if part_label else wk.date_range_de()
        title_png = folder / f"title-{stable_hash(key, str(kit.path))[:24]}.png"
        if not title_png.is_file():
            render_title_card(kit, TITLE, subtitle, title_png)
    else:
        title_png, _ = cached_png(folder, "title", key, lambda: draw_text_card(title_values, board))

    slots = usable_slots(board)
    by_position: dict[str, list[tuple[str, Slot]]] = {}
    for pid, slot in assign_bumpers(cards, slots, wk, index, opts.past_reports):
        by_position.setdefault(slot.position, []).append((pid, slot))

    # (segment, seconds, cue texts or a job)
    timeline: list[tuple[Segment, Fraction, list[str] | Job]] = []

    def add_bumpers(position: str, only: str | None = None) -> None:
        for pid, slot in list(by_position.get(position, [])):
            if only is not None and pid != only:
                continue
            partner = board.partners[pid]
            seg, secs = _bumper_segment(partner, slot, board, folder)
            timeline.append((seg, secs, [f"Stellen von {partner.name}"]))
            by_position[position].remove((pid, slot))

    if board.intro is not None:
        seg, secs = _opener_segment(board.intro, "intro", board, folder)
        timeline.append((seg, secs, [t for t in (board.intro.title, board.intro.subtitle) if t]))
        add_bumpers("after-intro")
    title_seg = _still(title_png, opts.title_seconds, "title", board, label=TITLE)
    timeline.append((title_seg, opts.title_seconds, [TITLE, " ".join(p for p in (wk.date_range_de(), part_label)
                                                                       if p)]))
    for n, card in enumerate(cards):
        if n > 0:  # a partner's between-items bumper introduces its first card of the part
            first = next(c for c in cards if c.job.partner == card.job.partner) is card
            if first:
                add_bumpers("between-items", only=card.job.partner)
        seconds = card_seconds(card.job, opts)
        seg = _still(card.path, seconds, "card", board, partner=card.job.partner, label=card.job.title,
                     zoom=zoom, where=f"rows.{card.job.row}")
        timeline.append((seg, seconds, card.job))
    add_bumpers("before-outro")
    if board.end_card is not None:
        seg, secs = _end_card_segment(board.end_card, board, folder)
        timeline.append((seg, secs, [" ".join(t for t in (board.end_card.title, board.end_card.subtitle) if t)]))
    if board.outro is not None:
        seg, secs = _opener_segment(board.outro, "outro", board, folder)
        timeline.append((seg, secs, [t for t in (board.outro.title, board.outro.subtitle) if t]))

    cues = []
    t = Fraction(0)
    for _seg, secs, content in timeline:
        end = t + secs
        # Cues of neighbours must not overlap: each owns its span up to the next crossfade.
        cue_end = end - opts.crossfade if end - opts.crossfade > t else end
        if isinstance(content, Job):
            cues.extend(card_cues(content, t, cue_end))
        elif content:
            cues.extend(timed_cues(content, t, cue_end))
        t = end - opts.crossfade
    name = f"stellenboerse-{wk.label}" + (f"-teil{index + 1}" if parts > 1 else "")
    extra: dict[str, object] = {
        BOARD_KEY: BoardPart(week=wk.label, part=index + 1, parts=parts, cards=tuple(cards), cues=tuple(cues),
                             rendered_cards=sum(1 for c in cards if c.rendered), left_out=left_out),
    }
    audio = AudioSpec(music=MusicSpec(Path(opts.music).absolute())) if opts.music is not None else AudioSpec()
    return Episode(
        segments=tuple(seg for seg, _, _ in timeline),
        title=f"{TITLE} {wk.date_range_de()}" + (f" ({part_label})" if part_label else ""),
        # a format exists only in a channel: a board built by hand (no channel file) renders as a plain episode
        crossfade=opts.crossfade, profile=opts.profile, format=board.format if board.path is not None else None,
        channel=board.path,
        name=name, extra=extra, audio=audio,
    )


def episode_manifest(episode: Episode) -> dict[str, Any]:
    """The episode as a version-1 manifest (``vidcoop render`` reads it back).

    Cards are stills (``image:``), clips are ``source:``; captions are off in
    the picture because the cards already show the text, and the same text
    is written as sidecar SRT/VTT.
    """
    stills = {".png", ".jpg", ".jpeg", ".webp"}
    segments = []
    for seg in episode.segments:
        assert isinstance(seg.source, Path)
        item: dict[str, Any] = {("image" if seg.source.suffix.lower() in stills else "source"): str(seg.source)}
        if seg.duration is not None:
            item["duration"] = float(seg.duration)
        item["kind"] = seg.kind
        if seg.partner:
            item["partner"] = seg.partner
        if seg.label:
            item["label"] = seg.label
        rf: dict[str, Any] = {"mode": seg.reframe.mode, "color": seg.reframe.color}
        if seg.reframe.zoom:
            rf["zoom"] = list(seg.reframe.zoom)
        item["reframe"] = rf
        segments.append(item)
    data: dict[str, Any] = {
        "version": 1, "title": episode.title, "name": episode.name, "profile": episode.profile,
        "format": episode.format, "crossfade": float(episode.crossfade), "segments": segments,
        "captions": {"mode": "off"},
    }
    if episode.channel is not None:
        data["channel"] = str(episode.channel)
    if episode.audio.music is not None:
        data["audio"] = {"music": str(episode.audio.music.file)}
    return data
