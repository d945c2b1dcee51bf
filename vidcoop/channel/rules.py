"""The channel's rules, in the order :func:`vidcoop.channel.policy.check_episode` runs them; each passes or
raises :class:`~vidcoop.errors.PolicyError` with its stable rule id (listed in :mod:`vidcoop.channel.policy`)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop.brand.geometry import overlay_box
from vidcoop.brand.safezone import check_boxes
from vidcoop.channel.bumpers import logo_legibility
from vidcoop.channel.checks import (
    CLOSING_KINDS,
    ITEM_KINDS,
    PARTNER_SEGMENT_KINDS,
    Check,
    ov_field,
    read_image_size,
    secs,
    seg_field,
)
from vidcoop.channel.names import PartnerMention, mentions, partner_terms
from vidcoop.channel.partner_media import partner_media
from vidcoop.channel.schema import SLOT_POSITIONS
from vidcoop.channel.spans import UnknownLength, episode_length, segment_length, segment_spans
from vidcoop.channel.texts import post_texts, screen_texts
from vidcoop.errors import PolicyError, VidcoopError
from vidcoop.shapes import DEFAULT_SHAPE, SHAPES
from vidcoop.timeline.model import SHAPE_STILLS, ClipSource, Overlay, Segment, episode_shapes
from vidcoop.timing import merge_spans

# ---- the rules, in the order they run -------------------------------------------------------


def rule_known_partners(c: Check) -> None:
    known = c.channel.partners
    listing = ", ".join(sorted(known)) or "none"
    for i, seg in enumerate(c.episode.segments):
        if seg.partner is not None and seg.partner not in known:
            where = seg_field(i, seg)
            raise c.fail("unknown-partner", f"unknown partner {seg.partner!r} (known: {listing})", where)
    for j, ov in enumerate(c.episode.overlays):
        if ov.partner is not None and ov.partner not in known:
            where = ov_field(j, ov)
            raise c.fail("unknown-partner", f"unknown partner {ov.partner!r} (known: {listing})", where)
    c.passed.append("partners-known")


def rule_partner_slots(c: Check) -> None:
    if c.fmt.partner_slots:
        c.passed.append("partner-slots")
        return
    label = f"format {c.fmt.name!r}" if c.fmt.name else "an episode without a format"
    for i, seg in enumerate(c.episode.segments):
        where = seg_field(i, seg)
        if seg.kind == "bumper":
            who = f" of {seg.partner!r}" if seg.partner else ""
            raise c.fail("no-partner-slots", f"partner bumper{who} in {label}, which has no partner slots", where)
        if seg.partner is not None:
            raise c.fail("no-partner-slots",
                         f"partner {seg.partner!r} shown in {label}, which has no partner slots", where)
    for j, ov in enumerate(c.episode.overlays):
        if ov.partner is not None:
            where = ov_field(j, ov)
            raise c.fail("no-partner-slots",
                         f"{ov.kind} of partner {ov.partner!r} shown in {label}, which has no partner slots", where)
    c.passed.append("partner-slots")


def _named(text: str, terms: Any) -> PartnerMention | None:
    hits = mentions(text, terms)
    return hits[0] if hits else None


def rule_partner_texts(c: Check, kit: Any) -> None:
    """Text follows the partner rule as pictures do: no partner named where no slot is."""
    if c.fmt.partner_slots or not c.channel.partners:
        c.passed.append("partner-texts")
        return
    label = f"format {c.fmt.name!r}" if c.fmt.name else "an episode without a format"
    terms = partner_terms(c.channel)
    for where, what, text in screen_texts(c.episode, c.fmt, kit):
        hit = _named(text, terms)
        if hit is not None:
            hint = ("a speaker's organisation may stand in a lower third when the format sets "
                    "allow_partner_names: [lower_thirds]" if where.startswith("lower_thirds") else None)
            raise c.fail("partner-in-text", f"the {what} {text!r} names partner {hit.name!r}, but {label} has "
                                            "no partner slots", where, hint=hint)
    for where, what, text in post_texts(c.episode, c.channel, c.fmt):
        hit = _named(text, terms)
        if hit is not None:
            raise PolicyError(f"the {what} names partner {hit.name!r}, but {label} has no partner slots",
                              episode=c.name, format=c.fmt.name or None, rule="partner-in-post-text",
                              path=c.channel.path, field=where)
    c.passed.append("partner-texts")


def rule_partner_logos(c: Check) -> None:
    """Every partner logo the episode shows is legible (WCAG non-text contrast) where it is placed."""
    shown = dict.fromkeys([s.partner for s in c.episode.segments if s.partner is not None]
                          + [o.partner for o in c.episode.overlays if o.partner is not None])
    clean = True
    for pid in shown:
        try:
            measured = logo_legibility(c.channel, pid)
        except OSError as exc:
            c.warn("partner-logo-contrast", f"cannot read the logo of partner {pid!r}: {exc}",
                   f"partners.{pid}.logo")
            clean = False
            continue
        for item in measured:
            if not item.ok:
                clean = False
                c.warn("partner-logo-contrast", f"logo of partner {pid!r} {item.describe()}", f"partners.{pid}.logo")
            elif item.plate is not None:
                c.notes.append(f"logo of partner {pid!r} {item.describe()}")
    if clean:
        c.passed.append("partner-logo-contrast")


def still_scale(size: tuple[int, int], shape: str) -> float:
    """How large a still drawn for 9:16 (``size`` pixels) is shown in ``shape`` when fitted into its frame,
    relative to its size in 9:16 (a 1080x1920 still: 0.56 in 1:1 and 16:9, 0.70 in 4:5)."""
    w, h = size
    frame, tall = SHAPES[shape], SHAPES[DEFAULT_SHAPE]
    return min(frame.width / w, frame.height / h) / min(tall.width / w, tall.height / h)


def rule_bumper_shapes(c: Check) -> None:
    """A partner's own still bumper has its own still for every picture shape the episode is rendered in;
    without one, its 9:16 still is fitted into the frame and its logo shown smaller than the generated
    bumpers' logos of other partners (a warning: the fix is ``bumper.images`` in channel.yaml)."""
    shapes = [s for s in dict.fromkeys((*c.channel.publish.shapes, *episode_shapes(c.episode)))
              if s != DEFAULT_SHAPE and s in SHAPES]
    stills = c.episode.extra.get(SHAPE_STILLS)
    drawn = stills if isinstance(stills, dict) else {}
    missing: dict[str, list[str]] = {}
    for seg in c.episode.segments:
        if seg.kind != "bumper" or seg.partner is None or seg.partner not in c.channel.partners:
            continue
        bumper = c.channel.partners[seg.partner].bumper
        if bumper.kind != "image":
            continue
        own = drawn.get(str(seg.source), {}) if isinstance(seg.source, Path) else {}
        lacking = [s for s in shapes if bumper.image_for(s) is None and s not in own]
        if lacking:
            missing.setdefault(seg.partner, [])
            missing[seg.partner] += [s for s in lacking if s not in missing[seg.partner]]
    for pid, lacking in missing.items():
        image = c.channel.partners[pid].bumper.image
        assert image is not None  # an own still bumper
        try:
            size = read_image_size(image)
        except VidcoopError:
            size = (SHAPES[DEFAULT_SHAPE].width, SHAPES[DEFAULT_SHAPE].height)
        scales = ", ".join(f"{s} {still_scale(size, s):.2f}x" for s in lacking)
        example = ", ".join(f'"{s}": ...' for s in lacking)
        c.warn("partner-bumper-shape",
               f"partner {pid!r} has no bumper still of its own for {', '.join(lacking)}: its 9:16 still is "
               f"fitted into {'that frame' if len(lacking) == 1 else 'those frames'}, so its logo is shown smaller "
               f"there ({scales}) than the other partners' "
               f"logos; add bumper.images: {{{example}}} in the channel file", f"partners.{pid}.bumper.images")
    if not missing:
        c.passed.append("partner-bumper-shape")


def _media_used(c: Check) -> list[tuple[str, str, Any, Any]]:
    """``(field, what, label, source)`` for every picture the episode shows, in every picture shape: a
    segment's still for another shape (``images:``) is a picture it shows as much as its 9:16 still."""
    stills = c.episode.extra.get(SHAPE_STILLS)
    drawn = stills if isinstance(stills, dict) else {}
    used: list[tuple[str, str, Any, Any]] = []
    for i, seg in enumerate(c.episode.segments):
        what = seg.source.name if isinstance(seg.source, ClipSource) else Path(seg.source).name
        used.append((seg_field(i, seg), what, seg.partner, seg))
        own = drawn.get(str(seg.source), {}) if isinstance(seg.source, Path) else {}
        for shape, still in own.items():
            used.append((f"{seg_field(i, seg)}.images.{shape}", Path(still).name, seg.partner, Path(still)))
    for j, ov in enumerate(c.episode.overlays):
        used.append((ov_field(j, ov), ov.image.name, ov.partner, ov))
    return used


def _match(media: Any, item: Any) -> Any:
    if isinstance(item, Path):  # a segment's still for another picture shape
        return media.match_file(item)
    if isinstance(item, Overlay):
        return media.match_file(item.image)
    if isinstance(item.source, ClipSource):
        return media.match_clip(item.source.clip)
    return media.match_file(item.source)  # frames across the whole file, fingerprinted once per file


def rule_partner_media(c: Check) -> None:
    """Partner pictures are known by content: a label cannot be forgotten or left off on purpose."""
    if not c.channel.partners:
        return
    media = c.media
    if media is None:
        media = partner_media(c.channel)
    label = f"format {c.fmt.name!r}" if c.fmt.name else "an episode without a format"
    for where, what, partner, item in _media_used(c):
        found = _match(media, item)
        if found is None or (c.fmt.partner_slots and partner == found.partner):
            continue
        if not c.fmt.partner_slots:
            problem = f"{label} has no partner slots"
        elif partner is None:
            problem = f"it must carry partner: {found.partner}"
        else:
            problem = f"it is labelled partner {partner!r}"
        raise c.fail("unlabelled-partner-media", f"{what} {found.describe()}; {problem}", where,
                     hint="partners appear only in their own bumpers and cards of a partner-slot format")
    c.passed.append("partner-media")


def rule_segment_kinds(c: Check) -> None:
    for i, seg in enumerate(c.episode.segments):
        where = seg_field(i, seg)
        if seg.kind == "bumper" and seg.partner is None:
            raise c.fail("bumper-without-partner", "bumper names no partner", where)
        if seg.partner is not None and seg.kind not in PARTNER_SEGMENT_KINDS:
            raise c.fail(
                "partner-segment-kind",
                f"partner {seg.partner!r} on a {seg.kind} segment; "
                "partners appear only in bumper or card segments",
                where,
            )
    c.passed.append("partner-segment-kinds")


def _bumpers(c: Check) -> list[int]:
    return [i for i, seg in enumerate(c.episode.segments) if seg.kind == "bumper"]


def rule_bumper_count(c: Check) -> None:
    n = len(_bumpers(c))
    capacity = c.fmt.slot_capacity
    if n > capacity:
        raise c.fail("too-many-bumpers",
                     f"episode has {n} partner bumpers, but format {c.fmt.name!r} has {capacity} slot(s)")
    c.passed.append("bumper-count")


def slot_position(segments: tuple[Segment, ...], index: int) -> tuple[str | None, str]:
    """Which slot position the bumper at ``index`` occupies, and a description.

    Neighbouring bumpers are skipped (several bumpers may share one slot).
    Returns ``(position or None, "between X and Y")``.
    """
    prev = next((s.kind for s in reversed(segments[:index]) if s.kind != "bumper"), None)
    nxt = next((s.kind for s in segments[index + 1 :] if s.kind != "bumper"), None)
    where = f"between {prev or 'the start'} and {nxt or 'the end'}"
    if prev == "intro":
        return "after-intro", where
    if prev in ITEM_KINDS and (nxt in CLOSING_KINDS or nxt is None):
        return "before-outro", where
    if prev in ITEM_KINDS and nxt in ITEM_KINDS:
        return "between-items", where
    return None, where


def rule_slot_positions(c: Check) -> dict[int, str]:
    segs = c.episode.segments
    allowed = [p for p in SLOT_POSITIONS if c.fmt.slots_at(p)]
    placed: dict[int, str] = {}
    for i in _bumpers(c):
        position, where_desc = slot_position(segs, i)
        where = seg_field(i, segs[i])
        if position is None or position not in allowed:
            raise c.fail(
                "slot-position",
                f"bumper of {segs[i].partner!r} sits {where_desc}, where format {c.fmt.name!r} "
                f"has no partner slot (slots: {', '.join(allowed)})",
                where,
            )
        placed[i] = position
    c.passed.append("slot-position")
    for position in allowed:
        takes = sum(s.count for s in c.fmt.slots_at(position))
        used = sum(1 for p in placed.values() if p == position)
        if used > takes:
            raise c.fail("slot-full",
                         f"format {c.fmt.name!r} takes {takes} bumper(s) {position}, but the episode has {used} there")
    c.passed.append("slot-count")
    return placed


def rule_bumper_length(c: Check, placed: dict[int, str]) -> None:
    segs = c.episode.segments
    for i, position in placed.items():
        seg = segs[i]
        where = seg_field(i, seg)
        length = segment_length(seg, c.durations)
        if length is None:
            raise c.fail("unknown-length",
                         f"the length of the bumper of {seg.partner!r} is unknown", where,
                         hint="give it in/out points or a duration, or pass durations= with the probed length")
        longest = max(s.max_bumper_length for s in c.fmt.slots_at(position))
        if length > longest:
            raise c.fail(
                "bumper-too-long",
                f"bumper of {seg.partner!r} runs {secs(length)}, but the {position} slot of "
                f"format {c.fmt.name!r} allows at most {secs(longest)}",
                where,
            )
    c.passed.append("bumper-length")


def _overlay_range(ov: Overlay, total: Fraction) -> tuple[Fraction, Fraction]:
    return ov.start, ov.end if ov.end is not None else total


def rule_partner_overlays(c: Check) -> None:
    partner_overlays = [(j, ov) for j, ov in enumerate(c.episode.overlays) if ov.partner is not None]
    if partner_overlays:
        spans = c.spans()
        total = episode_length(spans)
        for j, ov in partner_overlays:
            start, end = _overlay_range(ov, total)
            runs = merge_spans([(s.start, s.end) for s in spans
                            if s.partner == ov.partner and s.kind in PARTNER_SEGMENT_KINDS])
            if not any(run_start <= start and end <= run_end for run_start, run_end in runs):
                raise c.fail(
                    "partner-logo-outside-slot",
                    f"{ov.kind} of partner {ov.partner!r} shows from {secs(start)} to {secs(end)}, "
                    "outside that partner's bumpers and cards",
                    ov_field(j, ov),
                )
    c.passed.append("partner-logo-in-slot")


def _image_size(c: Check, path: Path) -> tuple[int, int] | None:
    sizes = c.image_sizes
    if sizes is None:
        try:
            return read_image_size(path)
        except (OSError, ValueError):
            return None
    if callable(sizes):
        return sizes(path)
    return sizes.get(path)


def overlay_boxes(c: Check) -> list[tuple[int, Overlay, Any]]:
    """Each overlay with its box in design pixels (None when its image cannot be read)."""
    boxes = []
    for j, ov in enumerate(c.episode.overlays):
        size = _image_size(c, ov.image)
        box = None if size is None else overlay_box(size, anchor=ov.anchor, margin=ov.margin, width=ov.width,
                                                    x=ov.x, y=ov.y)
        boxes.append((j, ov, box))
    return boxes


def rule_safe_zone(c: Check, zone: Any, boxes: list[tuple[int, Overlay, Any]]) -> None:
    clean = True
    for j, ov, box in boxes:
        where = ov_field(j, ov)
        if box is None:
            c.warn("safe-zone", f"cannot read {ov.image.name} to check it against the safe zone", where)
            clean = False
            continue
        for issue in check_boxes([(f"{ov.kind} overlay", box)], zone):
            if c.strict:
                raise c.fail("safe-zone", issue.message, where)
            c.warn("safe-zone", issue.message, where)
            clean = False
    if clean:
        c.passed.append("safe-zone")


def rule_caption_area(c: Check, kit: Any, boxes: list[tuple[int, Overlay, Any]]) -> None:
    """Captions are the product: an overlay over the caption area is worth a warning."""
    if c.episode.captions.mode == "off":
        return
    style = c.episode.captions.style or (c.fmt.caption_style if c.fmt.name else "subtitle")
    area = kit.caption_area(style)
    clean = True
    for j, ov, box in boxes:
        if box is not None and box.intersects(area):
            clean = False
            c.warn("caption-area",
                   f"{ov.kind} overlay (y {box.y}..{box.bottom}) covers the {style} caption area "
                   f"(y {area.y}..{area.bottom})", ov_field(j, ov))
    if clean:
        c.passed.append("caption-area")


def rule_max_length(c: Check) -> None:
    try:
        spans = segment_spans(c.episode, c.durations)
    except UnknownLength:
        c.warn("too-long", "episode length unknown before probing; format maximum not checked")
        return
    total = episode_length(spans)
    if total > c.fmt.max_length:
        raise c.fail("too-long",
                     f"episode runs {secs(total)}, but format {c.fmt.name!r} allows at most {secs(c.fmt.max_length)}")
    c.passed.append("max-length")


def rule_structure(c: Check) -> None:
    if not c.fmt.name:
        return  # no format, no structure to compare with
    kinds = [s.kind for s in c.episode.segments]
    wanted = c.fmt.structure
    ok = True
    for part, kind in (("intro", "intro"), ("outro", "outro"), ("end_card", "endcard")):
        has = kind in kinds
        if getattr(wanted, part) and not has:
            c.warn("structure", f"format {c.fmt.name!r} has an {kind}, but the episode has none")
            ok = False
        elif has and not getattr(wanted, part):
            c.warn("structure", f"format {c.fmt.name!r} has no {kind}, but the episode has one")
            ok = False
    if ok:
        c.passed.append("structure")


