"""The partner-slot rule, checked before anything is rendered.

The channel is neutral: a partner organisation may appear only in a format
with partner slots, only as often, as long and where those slots allow, and
a partner's logo only while that partner's own bumper or job card is on
screen. Partner pictures are recognised by content, not only by their labels
(:mod:`vidcoop.channel.partner_media`). :func:`check_episode` starts no
ffmpeg and probes nothing (it reads pictures to fingerprint them): the caller
passes probed source lengths as ``durations`` when a bumper is a video
without in/out points. It raises :class:`~vidcoop.errors.PolicyError` with a
stable ``rule`` id at the first broken rule, or returns a
:class:`PolicyReport` listing the checks that passed and the warnings.

Rules (ids as in ``PolicyError.rule``):

==========================  =====================================================
``unknown-format``          the episode names a format the channel lacks
``unknown-partner``         a segment or overlay names a partner not in the registry
``unlabelled-partner-media`` a picture shows a partner's logo or bumper (found by content,
                            :mod:`vidcoop.channel.partner_media`) outside a slot format, or
                            in a slot format without that partner's label
``no-partner-slots``        partner content in a format without partner slots
``partner-in-text``         a text on screen (title, lower third, overlay or segment label, kit
                            card) names a partner in a format without partner slots
                            (:mod:`vidcoop.channel.names`; ``allow_partner_names: [lower_thirds]``
                            lets a format name a speaker's organisation in lower thirds)
``partner-in-post-text``    the format's post texts (templates filled with the title, hashtags)
                            name a partner in a format without partner slots
``bumper-without-partner``  a bumper segment names no partner
``partner-segment-kind``    a partner on a segment that is not a bumper or card
``too-many-bumpers``        more bumpers than the format has slots
``slot-position``           a bumper where the format has no slot
``slot-full``               more bumpers at one slot position than it takes
``bumper-too-long``         a bumper longer than its slot allows
``partner-logo-outside-slot`` a partner overlay outside that partner's bumper/card
``safe-zone``               an overlay leaves the safe zone (error only when strict)
``caption-area``            an overlay covers the caption area (a warning only)
``too-long``                the episode runs longer than the format allows
``partner-logo-contrast``   a partner logo the episode shows stays below WCAG's 3:1 non-text
                            contrast on a background it is placed on, even on its plate (a
                            warning; below 3:1 on the bumper the kit's plate goes behind it, noted)
``unknown-length``          a needed length is unknown (pass ``durations``)
==========================  =====================================================
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop.brand.safezone import SafeZone
from vidcoop.channel.bumpers import logo_legibility
from vidcoop.channel.config import Channel, Format, FormatStructure
from vidcoop.channel.names import PartnerMention, mentions, partner_terms
from vidcoop.channel.partner_media import PartnerMedia, partner_media
from vidcoop.channel.schema import SLOT_POSITIONS
from vidcoop.channel.spans import Durations, Span, UnknownLength, episode_length, segment_length, segment_spans
from vidcoop.channel.texts import post_texts, screen_texts
from vidcoop.errors import PolicyError
from vidcoop.timeline.model import ClipSource, Episode, Overlay, Segment

#: Image pixel sizes: ``{path: (w, h)}`` or ``path -> (w, h)``.
ImageSizes = Mapping[Path, tuple[int, int]] | Callable[[Path], tuple[int, int]]

ITEM_KINDS = ("body", "title", "card")
PARTNER_SEGMENT_KINDS = ("bumper", "card")
CLOSING_KINDS = ("endcard", "outro")


@dataclass(frozen=True)
class PolicyWarning:
    """Something a person should look at; it does not stop the render."""

    rule: str
    message: str
    field: str | None = None


@dataclass(frozen=True)
class PolicyReport:
    """The outcome of a passed policy check, for the audit report.

    Attributes:
        episode: The episode's name or manifest path.
        format: The format it was checked against.
        passed: Ids of the rules that were checked and held.
        warnings: Things that held only loosely (safe zone when not strict, ...).
        notes: What vidcoop did so a rule holds (a plate behind a partner logo, ...).
    """

    episode: str | None
    format: str | None
    strict: bool
    passed: tuple[str, ...]
    warnings: tuple[PolicyWarning, ...] = ()
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "episode": self.episode,
            "format": self.format,
            "strict": self.strict,
            "passed": list(self.passed),
            "warnings": [{"rule": w.rule, "message": w.message, "field": w.field} for w in self.warnings],
            "notes": list(self.notes),
        }


def _secs(t: Fraction) -> str:
    return f"{float(t):g} s"


def read_image_size(path: Path) -> tuple[int, int]:
    """Pixel size of an image file (reads only its header)."""
    from vidcoop.media.image import image_size

    return image_size(path)


@dataclass
class _Check:
    """One run of the check: the inputs and what has passed so far."""

    episode: Episode
    channel: Channel
    fmt: Format
    strict: bool
    durations: Durations | None
    image_sizes: ImageSizes | None
    media: PartnerMedia | None = None
    passed: list[str] = field(default_factory=list)
    warnings: list[PolicyWarning] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    _spans: tuple[Span, ...] | None = None

    @property
    def name(self) -> str | None:
        ep = self.episode
        return ep.name or (str(ep.manifest) if ep.manifest else None)

    def fail(self, rule: str, message: str, field_path: str | None = None, hint: str | None = None) -> PolicyError:
        return PolicyError(message, episode=self.name, format=self.fmt.name or None, rule=rule,
                           path=self.episode.manifest, field=field_path, hint=hint)

    def warn(self, rule: str, message: str, field_path: str | None = None) -> None:
        self.warnings.append(PolicyWarning(rule, message, field_path))

    def spans(self) -> tuple[Span, ...]:
        if self._spans is None:
            try:
                self._spans = segment_spans(self.episode, self.durations)
            except UnknownLength as exc:
                where = _seg_field(exc.index, exc.segment)
                raise self.fail(
                    "unknown-length",
                    f"the length of {Path(str(exc.segment.source)).name} is unknown",
                    where, hint="pass durations= with the probed source lengths",
                ) from None
        return self._spans


def _seg_field(index: int, seg: Segment) -> str:
    return seg.field or f"segments.{index}"


def _ov_field(index: int, ov: Overlay) -> str:
    return ov.field or f"overlays.{index}"


# ---- the rules, in the order they run -------------------------------------------------------


def _rule_known_partners(c: _Check) -> None:
    known = c.channel.partners
    listing = ", ".join(sorted(known)) or "none"
    for i, seg in enumerate(c.episode.segments):
        if seg.partner is not None and seg.partner not in known:
            where = _seg_field(i, seg)
            raise c.fail("unknown-partner", f"unknown partner {seg.partner!r} (known: {listing})", where)
    for j, ov in enumerate(c.episode.overlays):
        if ov.partner is not None and ov.partner not in known:
            where = _ov_field(j, ov)
            raise c.fail("unknown-partner", f"unknown partner {ov.partner!r} (known: {listing})", where)
    c.passed.append("partners-known")


def _rule_partner_slots(c: _Check) -> None:
    if c.fmt.partner_slots:
        c.passed.append("partner-slots")
        return
    label = f"format {c.fmt.name!r}" if c.fmt.name else "an episode without a format"
    for i, seg in enumerate(c.episode.segments):
        where = _seg_field(i, seg)
        if seg.kind == "bumper":
            who = f" of {seg.partner!r}" if seg.partner else ""
            raise c.fail("no-partner-slots", f"partner bumper{who} in {label}, which has no partner slots", where)
        if seg.partner is not None:
            raise c.fail("no-partner-slots",
                         f"partner {seg.partner!r} shown in {label}, which has no partner slots", where)
    for j, ov in enumerate(c.episode.overlays):
        if ov.partner is not None:
            where = _ov_field(j, ov)
            raise c.fail("no-partner-slots",
                         f"{ov.kind} of partner {ov.partner!r} shown in {label}, which has no partner slots", where)
    c.passed.append("partner-slots")


def _named(text: str, terms: Any) -> PartnerMention | None:
    hits = mentions(text, terms)
    return hits[0] if hits else None


def _rule_partner_texts(c: _Check, kit: Any) -> None:
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


def _rule_partner_logos(c: _Check) -> None:
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


def _media_used(c: _Check) -> list[tuple[str, str, Any, Any]]:
    """``(field, what, label, source)`` for every picture the episode shows."""
    used: list[tuple[str, str, Any, Any]] = []
    for i, seg in enumerate(c.episode.segments):
        what = seg.source.name if isinstance(seg.source, ClipSource) else Path(seg.source).name
        used.append((_seg_field(i, seg), what, seg.partner, seg))
    for j, ov in enumerate(c.episode.overlays):
        used.append((_ov_field(j, ov), ov.image.name, ov.partner, ov))
    return used


def _match(media: Any, item: Any) -> Any:
    if isinstance(item, Overlay):
        return media.match_file(item.image)
    if isinstance(item.source, ClipSource):
        return media.match_clip(item.source.clip)
    return media.match_file(item.source)  # frames across the whole file, fingerprinted once per file


def _rule_partner_media(c: _Check) -> None:
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


def _rule_segment_kinds(c: _Check) -> None:
    for i, seg in enumerate(c.episode.segments):
        where = _seg_field(i, seg)
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


def _bumpers(c: _Check) -> list[int]:
    return [i for i, seg in enumerate(c.episode.segments) if seg.kind == "bumper"]


def _rule_bumper_count(c: _Check) -> None:
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


def _rule_slot_positions(c: _Check) -> dict[int, str]:
    segs = c.episode.segments
    allowed = [p for p in SLOT_POSITIONS if c.fmt.slots_at(p)]
    placed: dict[int, str] = {}
    for i in _bumpers(c):
        position, where_desc = slot_position(segs, i)
        where = _seg_field(i, segs[i])
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


def _rule_bumper_length(c: _Check, placed: dict[int, str]) -> None:
    segs = c.episode.segments
    for i, position in placed.items():
        seg = segs[i]
        where = _seg_field(i, seg)
        length = segment_length(seg, c.durations)
        if length is None:
            raise c.fail("unknown-length",
                         f"the length of the bumper of {seg.partner!r} is unknown", where,
                         hint="give it in/out points or a duration, or pass durations= with the probed length")
        longest = max(s.max_bumper_length for s in c.fmt.slots_at(position))
        if length > longest:
            raise c.fail(
                "bumper-too-long",
                f"bumper of {seg.partner!r} runs {_secs(length)}, but the {position} slot of "
                f"format {c.fmt.name!r} allows at most {_secs(longest)}",
                where,
            )
    c.passed.append("bumper-length")


def _overlay_range(ov: Overlay, total: Fraction) -> tuple[Fraction, Fraction]:
    return ov.start, ov.end if ov.end is not None else total


def _merged(intervals: list[tuple[Fraction, Fraction]]) -> list[tuple[Fraction, Fraction]]:
    """Join touching or overlapping intervals (a bumper followed by the same partner's card)."""
    runs: list[tuple[Fraction, Fraction]] = []
    for start, end in sorted(intervals):
        if runs and start <= runs[-1][1]:
            runs[-1] = (runs[-1][0], max(runs[-1][1], end))
        else:
            runs.append((start, end))
    return runs


def _rule_partner_overlays(c: _Check) -> None:
    partner_overlays = [(j, ov) for j, ov in enumerate(c.episode.overlays) if ov.partner is not None]
    if partner_overlays:
        spans = c.spans()
        total = episode_length(spans)
        for j, ov in partner_overlays:
            start, end = _overlay_range(ov, total)
            runs = _merged([(s.start, s.end) for s in spans
                            if s.partner == ov.partner and s.kind in PARTNER_SEGMENT_KINDS])
            if not any(run_start <= start and end <= run_end for run_start, run_end in runs):
                raise c.fail(
                    "partner-logo-outside-slot",
                    f"{ov.kind} of partner {ov.partner!r} shows from {_secs(start)} to {_secs(end)}, "
                    "outside that partner's bumpers and cards",
                    _ov_field(j, ov),
                )
    c.passed.append("partner-logo-in-slot")


def _image_size(c: _Check, path: Path) -> tuple[int, int] | None:
    sizes = c.image_sizes
    if sizes is None:
        try:
            return read_image_size(path)
        except (OSError, ValueError):
            return None
    if callable(sizes):
        return sizes(path)
    return sizes.get(path)


def _overlay_boxes(c: _Check) -> list[tuple[int, Overlay, Any]]:
    """Each overlay with its box in design pixels (None when its image cannot be read)."""
    from vidcoop.brand.geometry import overlay_box

    boxes = []
    for j, ov in enumerate(c.episode.overlays):
        size = _image_size(c, ov.image)
        box = None if size is None else overlay_box(size, anchor=ov.anchor, margin=ov.margin, width=ov.width,
                                                    x=ov.x, y=ov.y)
        boxes.append((j, ov, box))
    return boxes


def _rule_safe_zone(c: _Check, zone: Any, boxes: list[tuple[int, Overlay, Any]]) -> None:
    from vidcoop.brand.safezone import check_boxes

    clean = True
    for j, ov, box in boxes:
        where = _ov_field(j, ov)
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


def _rule_caption_area(c: _Check, kit: Any, boxes: list[tuple[int, Overlay, Any]]) -> None:
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
                   f"(y {area.y}..{area.bottom})", _ov_field(j, ov))
    if clean:
        c.passed.append("caption-area")


def _rule_max_length(c: _Check) -> None:
    try:
        spans = segment_spans(c.episode, c.durations)
    except UnknownLength:
        c.warn("too-long", "episode length unknown before probing; format maximum not checked")
        return
    total = episode_length(spans)
    if total > c.fmt.max_length:
        raise c.fail("too-long",
                     f"episode runs {_secs(total)}, but format {c.fmt.name!r} allows at most {_secs(c.fmt.max_length)}")
    c.passed.append("max-length")


def _rule_structure(c: _Check) -> None:
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


_NO_FORMAT = Format(name="", title="(no format)", structure=FormatStructure(intro=False, outro=False),
                    caption_style="subtitle", max_length=Fraction(600))


def check_episode(
    episode: Episode,
    channel: Channel,
    *,
    strict: bool = False,
    durations: Durations | None = None,
    image_sizes: ImageSizes | None = None,
    safe_zone: SafeZone | None = None,
    media: PartnerMedia | None = None,
) -> PolicyReport:
    """Check ``episode`` against the channel's rules; raise at the first broken one.

    Args:
        episode: The episode to check (nothing is rendered or probed).
        channel: The loaded channel config.
        strict: Treat overlays outside the safe zone as errors, not warnings.
        durations: Probed source lengths (``{path: seconds}`` or ``segment -> seconds``)
            for video segments without in/out points.
        image_sizes: Overlay image sizes (``{path: (w, h)}`` or a callable);
            default reads each image's header.
        safe_zone: A :class:`~vidcoop.brand.safezone.SafeZone`; default: the
            channel kit's profile.
        media: The channel's :class:`~vidcoop.channel.partner_media.PartnerMedia`
            index; default: built from the channel (cached by content). Every
            image, video and clip of the episode is matched against it.

    Raises:
        PolicyError: with ``episode``, ``format``, ``rule`` and the segment/overlay ``field``.
    """
    if episode.format is None:
        fmt = _NO_FORMAT
    elif episode.format in channel.formats:
        fmt = channel.formats[episode.format]
    else:
        known = ", ".join(sorted(channel.formats))
        raise PolicyError(
            f"format {episode.format!r} is not defined in channel {channel.name!r} (known: {known})",
            episode=episode.name or (str(episode.manifest) if episode.manifest else None),
            format=episode.format, rule="unknown-format", path=episode.manifest, field="format",
        )
    c = _Check(episode, channel, fmt, strict, durations, image_sizes, media)
    if episode.format is None:
        c.warn("unknown-format", "episode names no format; checked as a format without partner slots", "format")
    else:
        c.passed.append("format-known")
    _rule_known_partners(c)
    _rule_partner_slots(c)
    _rule_partner_media(c)
    _rule_segment_kinds(c)
    _rule_bumper_count(c)
    placed = _rule_slot_positions(c)
    _rule_bumper_length(c, placed)
    _rule_partner_overlays(c)
    kit = channel.kit()
    _rule_partner_texts(c, kit)
    _rule_partner_logos(c)
    boxes = _overlay_boxes(c)
    _rule_safe_zone(c, safe_zone if safe_zone is not None else kit.safe_zone, boxes)
    _rule_caption_area(c, kit, boxes)
    _rule_max_length(c)
    _rule_structure(c)
    return PolicyReport(c.name, fmt.name or None, strict, tuple(c.passed), tuple(c.warnings), tuple(c.notes))
