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
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop.captions.model import Cue
from vidcoop.errors import ManifestError
from vidcoop.files import RUN_FACT, cache_dir, stable_hash
from vidcoop.jobboard.board import BoardChannel, ChannelLike, Slot, board_channel
from vidcoop.jobboard.cache import CardFile, render_cards
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
from vidcoop.jobboard.stills import (
    bumper_segment,
    end_card_segment,
    kit_still,
    opener_segment,
    still_segment,
    text_card,
)
from vidcoop.jobboard.templates import safe_zoom
from vidcoop.jobboard.week import Week, parse_week
from vidcoop.shapes import DEFAULT_SHAPE
from vidcoop.timeline.model import SHAPE_STILLS, AudioSpec, Episode, MusicSpec, Reframe, Segment

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
    rendered_cards: int = field(default=0, metadata=RUN_FACT)
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


def card_shapes(board: BoardChannel, options: BoardOptions) -> tuple[str, ...]:
    """The picture shapes other than 9:16 the board's cards are drawn for: the channel's and the options'."""
    return tuple(s for s in dict.fromkeys((*board.shapes, *options.shapes)) if s != DEFAULT_SHAPE)


def _zoom(board: BoardChannel, options: BoardOptions) -> tuple[float, float] | None:
    """The cards' slow zoom, clamped so the board's card stays inside its safe zone (None: none)."""
    end = min(options.zoom[1], safe_zoom(board.template, board.safe_box))
    return (options.zoom[0], end) if end != options.zoom[0] else None


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
                                           "reason": note, "reasons": [],
                                           "file": str(report.source) if report.source is not None else None})
        if note not in entry["reason"].split("; "):
            entry["reason"] += f"; {note}"
    # Each reason also by its key and values, so the studio says it in the page's language.
    for job in report.expired:
        if job.row in rows:
            rows[job.row]["reasons"].append({"field": "expires", "key": "expired", "value": "",
                                             "params": {"date": f"{job.expires:%d.%m.%Y}"}})
    for issue in report.invalid:
        if issue.row in rows:
            rows[issue.row]["reasons"].append({"field": issue.field, "key": issue.key, "value": issue.value,
                                               "params": dict(issue.params), "message": issue.message})
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
    zoom = _zoom(board, opts)
    shapes = card_shapes(board, opts)
    # in another shape a card is its own still, laid out for that frame, with the zoom its safe zone allows
    shaped = tuple((s, Reframe(mode="fit-pad", color=board.template.background, zoom=_zoom(board.for_shape(s), opts)))
                   for s in shapes)
    episodes = []
    for index, group in enumerate(groups):
        cards = render_cards(group, board, folder, numbers)
        stills: dict[str, dict[str, str]] = {str(card.path): {} for card in cards}
        for shape in shapes:
            for card, own in zip(cards, render_cards(group, board, folder, numbers, shape=shape), strict=True):
                stills[str(card.path)][shape] = str(own.path)
        episode = _assemble(cards, board, wk, index, len(groups), opts, folder, zoom, left_out, shaped, stills)
        if shapes:  # each shape's own stills, and the shapes it was built for (vidcoop render's default)
            episode = replace(episode, extra={**episode.extra, SHAPE_STILLS: stills,
                                              "renditions": (DEFAULT_SHAPE, *shapes)})
        if board.channel is not None:  # checked as rendered, by the same function render() uses
            from vidcoop.channel.assemble import check_render

            check_render(episode, channel=board.channel, profile=opts.profile)
        episodes.append(episode)
    return episodes


def part_name(week: Week, index: int, parts: int) -> str:
    """The name of the week's part ``index`` (from 0) of ``parts``: its files' stem (``stellenboerse-2026-W48``)."""
    return f"stellenboerse-{week.label}" + (f"-teil{index + 1}" if parts > 1 else "")


def part_names(jobs: ValidationReport | list[Job] | tuple[Job, ...], channel: ChannelLike,
               week: str | Week | None = None, *, options: BoardOptions | None = None) -> list[str]:
    """The names :func:`build_episode` gives the week's parts, without drawing a card, so a caller can check
    every output before any work (none when no job is shown: build_episode says why)."""
    opts = options or BoardOptions()
    board = board_channel(channel)
    wk = parse_week(week)
    job_list = list(jobs.ok if isinstance(jobs, ValidationReport) else jobs)
    if not job_list:
        return []
    groups = split_parts(order_jobs(job_list, wk), board, opts)
    return [part_name(wk, index, len(groups)) for index in range(len(groups))]


def probed_length(segment: Segment) -> Fraction | None:
    """Probed length of a clip segment, for the policy check."""
    if segment.duration is not None or not isinstance(segment.source, Path):
        return segment.duration
    return media_seconds(segment.source)


def _assemble(cards: list[CardFile], board: BoardChannel, wk: Week, index: int, parts: int, opts: BoardOptions,
              folder: Path, zoom: tuple[float, float] | None, left_out: tuple[dict[str, Any], ...] = (),
              shaped: tuple[tuple[str, Reframe], ...] = (),
              stills: dict[str, dict[str, str]] | None = None) -> Episode:
    """The part's segments and cues; ``stills`` gets each shape's own file of the kit's cards (``SHAPE_STILLS``)."""
    shapes = tuple(shape for shape, _ in shaped)
    stills = {} if stills is None else stills
    part_label = f"Teil {index + 1}/{parts}" if parts > 1 else ""
    title_values = {"heading": TITLE, "subtitle": wk.date_range_de(), "part": part_label}
    key = stable_hash("title", title_values, board.template.key(), {r: str(p) for r, p in board.fonts.items()})
    if board.channel is not None:
        # The kit's own title card (logo, kit fonts and background), like every other episode's.
        from vidcoop.brand.cards import render_title_card

        kit = board.channel.kit()
        subtitle = f"{wk.date_range_de()}\n{part_label}" if part_label else wk.date_range_de()
        title_png = kit_still(folder / f"title-{stable_hash(key, str(kit.path))[:24]}.png",
                              lambda path, shape: render_title_card(kit, TITLE, subtitle, path, shape),
                              shapes, stills)
    else:
        title_png = text_card(folder, "title", title_values, board, shapes, stills)

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
            seg, secs = bumper_segment(partner, slot, board, folder, shapes, stills)
            timeline.append((seg, secs, [f"Stellen von {partner.name}"]))
            by_position[position].remove((pid, slot))

    if board.intro is not None:
        seg, secs = opener_segment(board.intro, "intro", board, folder, shapes, stills)
        timeline.append((seg, secs, [t for t in (board.intro.title, board.intro.subtitle) if t]))
        add_bumpers("after-intro")
    title_seg = still_segment(title_png, opts.title_seconds, "title", board, label=TITLE)
    timeline.append((title_seg, opts.title_seconds, [TITLE, " ".join(p for p in (wk.date_range_de(), part_label)
                                                                       if p)]))
    for n, card in enumerate(cards):
        if n > 0:  # a partner's between-items bumper introduces its first card of the part
            first = next(c for c in cards if c.job.partner == card.job.partner) is card
            if first:
                add_bumpers("between-items", only=card.job.partner)
        seconds = card_seconds(card.job, opts)
        seg = still_segment(card.path, seconds, "card", board, partner=card.job.partner, label=card.job.title,
                            zoom=zoom, where=f"rows.{card.job.row}", shapes=shaped)
        timeline.append((seg, seconds, card.job))
    add_bumpers("before-outro")
    if board.end_card is not None:
        seg, secs = end_card_segment(board.end_card, board, folder, shapes, stills)
        timeline.append((seg, secs, [" ".join(t for t in (board.end_card.title, board.end_card.subtitle) if t)]))
    if board.outro is not None:
        seg, secs = opener_segment(board.outro, "outro", board, folder, shapes, stills)
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
    name = part_name(wk, index, parts)
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
