"""The audit report written next to every rendered video (``OUT.report.json``).

Partners share one channel and want to see fairness in numbers, so each
render records which partner was shown, when and for how long, together with
what went in (file hashes, vidcoop version, brand kit, caption source) and
which policy checks passed. :func:`load_reports` and :func:`partner_totals`
sum those files over a week or month; :mod:`vidcoop.channel.rotation` uses
the same totals to even out exposure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from vidcoop._version import __version__
from vidcoop.captions.model import CaptionSource
from vidcoop.channel.config import Channel
from vidcoop.channel.names import mentions, partner_terms
from vidcoop.channel.policy import PolicyReport
from vidcoop.channel.spans import Durations, Span, episode_length, segment_spans
from vidcoop.datafiles import parse_json
from vidcoop.errors import ManifestError
from vidcoop.files import WORK_PREFIX, atomic_write_json, cache_root, file_sha256
from vidcoop.shapes import DEFAULT_SHAPE
from vidcoop.timeline.model import ClipSource, Episode, Overlay, Segment

REPORT_VERSION = 1
REPORT_SUFFIX = ".report.json"


@dataclass(frozen=True)
class Appearance:
    """One time a partner is on screen (a bumper, a job card, a logo overlay, a named mention).

    ``labelled`` is False when the picture was found to be the partner's by
    content but the manifest did not say so. ``source`` is ``segment``, ``overlay``, or ``text``
    for a lower third that names the partner (a speaker's organisation, where the format
    allows it: ``allow_partner_names: [lower_thirds]``).
    """

    partner: str
    start: Fraction
    length: Fraction
    kind: str
    source: str  # "segment", "overlay" or "text"
    field: str | None = None
    labelled: bool = True

    @property
    def end(self) -> Fraction:
        return self.start + self.length


def _round(t: Fraction) -> float:
    return round(float(t), 3)


def _shown_by_content(media: Any, item: Any) -> str | None:
    """The partner whose asset a segment's source or an overlay's image is, by content (None: none)."""
    if media is None:
        return None
    if isinstance(item, Segment):
        if isinstance(item.source, ClipSource):
            found = media.match_clip(item.source.clip)
        else:
            found = media.match_file(item.source)
    else:
        found = media.match_file(item.image)
    return None if found is None else str(found.partner)


def _lower_third_text(episode: Episode, ov: Overlay) -> str:
    """The name and role of the lower third an overlay draws ("" for other overlays)."""
    match = re.fullmatch(r"lower_thirds\.(\d+)", ov.field or "") if ov.kind == "lower-third" else None
    if match is None or int(match.group(1)) >= len(episode.lower_thirds):
        return ""
    item = episode.lower_thirds[int(match.group(1))]
    return f"{item.name}\n{item.role or ''}"


def partner_appearances(episode: Episode, spans: Sequence[Span], media: Any = None,
                        channel: Channel | None = None) -> list[Appearance]:
    """Every partner appearance on the timeline, in time order.

    Args:
        episode: The episode as rendered.
        spans: Its segments on the timeline.
        media: The channel's :class:`~vidcoop.channel.partner_media.PartnerMedia`; with it, a
            picture that shows a partner's asset counts for that partner even without a label
            (``labelled=False``).
        channel: With it, a lower third that names a partner (:mod:`vidcoop.channel.names`)
            counts as that partner's visibility for as long as it shows (``source="text"``).
    """
    total = episode_length(tuple(spans))
    found = []
    for s in spans:
        seg = episode.segments[s.index] if 0 <= s.index < len(episode.segments) else None
        shown = _shown_by_content(media, seg) if seg is not None else None
        if s.partner is not None:
            found.append(Appearance(s.partner, s.start, s.length, s.kind, "segment", s.field))
        if shown is not None and shown != s.partner:
            found.append(Appearance(shown, s.start, s.length, s.kind, "segment", s.field, labelled=False))
    for j, ov in enumerate(episode.overlays):
        shown = _shown_by_content(media, ov)
        if ov.partner is None and shown is None:
            continue
        end = ov.end if ov.end is not None else total
        length = max(Fraction(0), end - ov.start)
        where = ov.field or f"overlays.{j}"
        if ov.partner is not None:
            found.append(Appearance(ov.partner, ov.start, length, ov.kind, "overlay", where))
        if shown is not None and shown != ov.partner:
            found.append(Appearance(shown, ov.start, length, ov.kind, "overlay", where, labelled=False))
    if channel is not None and channel.partners:
        terms = partner_terms(channel)
        for j, ov in enumerate(episode.overlays):
            text = _lower_third_text(episode, ov)
            end = ov.end if ov.end is not None else total
            for hit in mentions(text, terms) if text else ():
                found.append(Appearance(hit.partner, ov.start, max(Fraction(0), end - ov.start), ov.kind, "text",
                                        ov.field or f"overlays.{j}"))
    # at the same start, the segment (bumper, card) comes before a logo laid over it
    return sorted(found, key=lambda a: (a.start, a.partner, a.source != "segment"))


def _union_length(intervals: Iterable[tuple[Fraction, Fraction]]) -> Fraction:
    total = Fraction(0)
    cur_start: Fraction | None = None
    cur_end = Fraction(0)
    for start, end in sorted(intervals):
        if cur_start is None or start > cur_end:
            if cur_start is not None:
                total += cur_end - cur_start
            cur_start, cur_end = start, end
        else:
            cur_end = max(cur_end, end)
    if cur_start is not None:
        total += cur_end - cur_start
    return total


def _input_files(episode: Episode, channel: Channel | None, captions: CaptionSource | None) -> list[tuple[str, Path]]:
    """``(role, absolute path)`` of every file that went into the video, each path once."""
    files: list[tuple[str, Path]] = []
    for i, seg in enumerate(episode.segments):
        if not isinstance(seg.source, ClipSource):
            files.append((f"{seg.field or f'segments.{i}'} ({seg.kind})", Path(seg.source)))
    files += [(f"{ov.field or f'overlays.{j}'} ({ov.kind})", Path(ov.image)) for j, ov in enumerate(episode.overlays)]
    if captions is not None and captions.path is not None:
        files.append(("captions", Path(captions.path)))
    if episode.manifest is not None:
        files.append(("manifest", Path(episode.manifest)))
    if channel is not None:
        files.append(("channel", channel.path))
        if channel.glossary is not None:
            files.append(("glossary", channel.glossary))
        files.append(("brand kit", channel.kit_path))
        try:
            kit = channel.kit()
        except ManifestError:
            kit = None  # a broken kit cannot have rendered; record what we have
        if kit is not None:
            files += [("brand kit logo", kit.logo.file), ("brand kit font", kit.fonts.regular),
                      ("brand kit font", kit.fonts.bold)]
    for part in episode.extra.values():  # a job board's cards are drawn from the job list
        if isinstance(part, ReportedPart):
            files += [("jobs", source) for source in part.input_files()]
    unique: dict[Path, str] = {}
    for role, f in files:
        unique.setdefault(f.resolve(), role)
    return [(role, f) for f, role in unique.items()]


def generated_file(path: Path) -> bool:
    """Whether vidcoop made ``path`` itself: in a render's temporary folder or in its cache (cards,
    title cards, lower thirds), so a report lists it apart from the user's files."""
    import tempfile

    resolved = path.resolve()
    temp = Path(tempfile.gettempdir()).resolve()
    if resolved.is_relative_to(temp) and any(re.match(rf"^{WORK_PREFIX}[a-z]+-\d+-", part)
                                             for part in resolved.relative_to(temp).parts[:1]):
        return True
    return resolved.is_relative_to(cache_root().resolve())  # asking makes no folder


@runtime_checkable
class ReportedPart(Protocol):
    """Data a later stage keeps on an episode (``Episode.extra``) that the audit report records: the job
    board's part (:class:`vidcoop.jobboard.episode.BoardPart`) is one. The channel layer names only this."""

    def report(self) -> dict[str, object]: ...

    def input_files(self) -> tuple[Path, ...]: ...


@dataclass(frozen=True)
class ReportInputs:
    """What :func:`build_report` needs besides the episode (grouped, so render() passes one object).

    Attributes:
        spans: The plan's segment spans on the episode timeline; computed from
            ``durations`` when None.
        durations: Probed source lengths (only used when ``spans`` is None).
        policy: The policy check's result.
        captions: Where the captions came from.
        channel: The channel config, if the episode belongs to one.
        brand_kit: The kit's name, if not the channel's.
        extra: More data to record as is (render profile, timings).
        media: The channel's partner media index (default: built from ``channel``), so
            appearances are found by content, not only by label.
    """

    spans: Sequence[Span] | None = None
    durations: Durations | None = None
    policy: PolicyReport | None = None
    captions: CaptionSource | None = None
    channel: Channel | None = None
    brand_kit: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    media: Any = None


def build_report(episode: Episode, inputs: ReportInputs, *, output: Path | None = None,
                 created: datetime | None = None) -> dict[str, Any]:
    """The audit report as plain JSON-ready data.

    Args:
        episode: The rendered episode.
        inputs: Spans, policy result, caption source, channel.
        output: The video file the report belongs to.
        created: Timestamp (default: now, UTC); reports are summed by it.
    """
    spans = tuple(inputs.spans) if inputs.spans is not None else segment_spans(episode, inputs.durations)
    channel = inputs.channel
    media = inputs.media
    if media is None and channel is not None and channel.partners:
        from vidcoop.channel.partner_media import partner_media

        media = partner_media(channel)
    appearances = partner_appearances(episode, spans, media, channel)
    partners: dict[str, dict[str, Any]] = {}
    for a in appearances:
        entry = partners.setdefault(a.partner, {
            "id": a.partner,
            "name": channel.partners[a.partner].name if channel and a.partner in channel.partners else a.partner,
            "appearances": [],
        })
        entry["appearances"].append({"kind": a.kind, "source": a.source, "field": a.field,
                                     "start": _round(a.start), "length": _round(a.length),
                                     "labelled": a.labelled})
    for pid, entry in partners.items():
        screen = _union_length((a.start, a.end) for a in appearances if a.partner == pid)
        entry["screen_time"] = _round(screen)
    kit_name = inputs.brand_kit
    if kit_name is None and channel is not None:
        kit_name = channel.kit_path.parent.name
    # The user's files with their hashes; what vidcoop drew itself (cards, title cards in its temp or
    # cache folders) by role and name only, apart (a file gone by now keeps its place with sha256 null).
    files = _input_files(episode, channel, inputs.captions)
    hashes = [
        {"role": role, "path": str(p), "sha256": file_sha256(p) if p.is_file() else None}
        for role, p in files if not generated_file(p)
    ]
    generated = [{"role": role, "name": p.name} for role, p in files if generated_file(p)]
    policy = inputs.policy
    data = {
        "version": REPORT_VERSION,
        "vidcoop_version": __version__,
        "created": (created or datetime.now(timezone.utc)).isoformat(timespec="seconds"),
        "output": str(Path(output).resolve()) if output is not None else None,
        "episode": {
            "name": episode.name,
            "title": episode.title,
            "manifest": str(Path(episode.manifest).resolve()) if episode.manifest else None,
            "duration": _round(episode_length(spans)),
        },
        "format": episode.format,
        "channel": channel.name if channel else None,
        "brand_kit": kit_name,
        "partners": sorted(partners.values(), key=lambda e: e["id"]),
        "captions": (inputs.captions or CaptionSource()).to_dict(),
        "inputs": hashes,
        "generated": generated,
        "checks": {
            "passed": list(policy.passed) if policy else [],
            "warnings": [{"rule": w.rule, "message": w.message, "field": w.field} for w in policy.warnings]
            if policy else [],
            "strict": policy.strict if policy else None,
            "notes": list(policy.notes) if policy else [],
        },
        "extra": dict(inputs.extra),
    }
    for key, part in episode.extra.items():  # a job board: the rows it does not show, so no partner's job vanishes
        if isinstance(part, ReportedPart):
            data[key] = part.report()
    return data


def report_path(out_video: str | Path) -> Path:
    """``clip.mp4`` → ``clip.report.json`` beside it."""
    out = Path(out_video)
    return out.with_name(out.stem + REPORT_SUFFIX)


def write_report(out_video: str | Path, episode: Episode, inputs: ReportInputs, *,
                 created: datetime | None = None) -> Path:
    """Write ``OUT.report.json`` next to the video atomically and return its path."""
    target = report_path(out_video)
    data = build_report(episode, inputs, output=Path(out_video), created=created)
    return atomic_write_json(target, data)


# ---- summing reports ------------------------------------------------------------------------


def _created(report: Mapping[str, Any], path: Path) -> datetime:
    try:
        stamp = datetime.fromisoformat(str(report["created"]))
    except (KeyError, ValueError):
        raise ManifestError("report has no valid created timestamp", path=path, field="created") from None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)


def load_reports(folder: str | Path, *, since: date | None = None, until: date | None = None) -> list[dict[str, Any]]:
    """All ``*.report.json`` under ``folder`` created between ``since`` and ``until`` (inclusive days).

    Each report dict gets a ``_path`` key with its file.

    Raises:
        ManifestError: for a report that is not valid JSON or has no timestamp.
    """
    found = []
    for path in sorted(Path(folder).rglob(f"*{REPORT_SUFFIX}")):
        try:
            data = parse_json(path.read_text(encoding="utf-8"), path=path)
        except UnicodeDecodeError as exc:
            raise ManifestError(f"not a valid report: {exc}", path=path) from None
        if not isinstance(data, dict):
            raise ManifestError("not a valid report (expected a JSON object)", path=path)
        day = _created(data, path).date()
        if (since and day < since) or (until and day > until):
            continue
        data["_path"] = str(path)
        found.append(data)
    return found


def _count_appearances(items: Sequence[Mapping[str, Any]]) -> int:
    """Bumpers and cards count once each; a logo overlay counts only when no segment of it does."""
    segments = sum(1 for a in items if a.get("source") == "segment")
    return segments or len(items)


@dataclass(frozen=True)
class PartnerTotal:
    """A partner's exposure summed over reports.

    Attributes:
        seconds: Screen time (overlapping appearances counted once).
        appearances: Bumpers and cards (logo overlays only where no segment of the partner shows).
        episodes: Episodes the partner appears in.
        bumper_slots: Bumper slots filled (the rotation evens these out).
        card_seconds: Seconds of the partner's job cards.
        unlabelled: Appearances found by content without the partner's label.
        mentions: Lower thirds that named the partner (counted in ``seconds`` and ``appearances`` too).
    """

    id: str
    name: str
    seconds: float
    appearances: int
    episodes: int
    bumper_slots: int = 0
    card_seconds: float = 0.0
    unlabelled: int = 0
    mentions: int = 0


def one_per_episode(reports: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """``reports`` with one report per rendered episode: the picture shapes of one render (one report
    each, ``extra.shape``) show the same partners for the same time, so only one of them counts (its 9:16
    one, else the first shape in name order). Reports without a shape all count."""
    chosen: dict[tuple[Any, ...], Mapping[str, Any]] = {}
    plain: list[Mapping[str, Any]] = []
    for report in reports:
        extra = report.get("extra")
        shape = extra.get("shape") if isinstance(extra, Mapping) else None
        if not isinstance(extra, Mapping) or not isinstance(shape, str):
            plain.append(report)
            continue
        episode = report.get("episode")
        name = (episode.get("manifest") or episode.get("name")) if isinstance(episode, Mapping) else None
        output = report.get("output")
        key = (name, str(Path(output).parent) if isinstance(output, str) else None, extra.get("profile"))
        kept = chosen.get(key)
        if kept is None or _shape_rank(shape) < _shape_rank(kept["extra"]["shape"]):
            chosen[key] = report
    return [*plain, *chosen.values()]


def _shape_rank(shape: str) -> tuple[bool, str]:
    return shape != DEFAULT_SHAPE, shape


def partner_totals(reports: Iterable[Mapping[str, Any]], partners: Iterable[str] = ()) -> dict[str, PartnerTotal]:
    """Screen time, appearance count and episode count per partner.

    Args:
        reports: Report dicts (from :func:`load_reports` or :func:`build_report`).
        partners: Partner ids to include even with no appearances (zero rows).
    """
    def empty(pid: str) -> dict[str, Any]:
        return {"name": pid, "seconds": 0.0, "appearances": 0, "episodes": 0, "bumper_slots": 0,
                "card_seconds": 0.0, "unlabelled": 0, "mentions": 0}

    acc: dict[str, dict[str, Any]] = {pid: empty(pid) for pid in partners}
    for report in one_per_episode(reports):
        for entry in report.get("partners", []):
            row = acc.setdefault(entry["id"], empty(entry["id"]))
            items = entry.get("appearances", [])
            row["name"] = entry.get("name", row["name"])
            row["seconds"] += float(entry.get("screen_time", 0.0))
            row["appearances"] += _count_appearances(items)
            row["episodes"] += 1
            segments = [a for a in items if a.get("source") == "segment"]
            row["bumper_slots"] += sum(1 for a in segments if a.get("kind") == "bumper")
            row["card_seconds"] += sum(float(a.get("length", 0.0)) for a in segments if a.get("kind") == "card")
            row["unlabelled"] += sum(1 for a in items if a.get("labelled") is False)
            row["mentions"] += sum(1 for a in items if a.get("source") == "text")
    return {
        pid: PartnerTotal(pid, row["name"], round(row["seconds"], 3), row["appearances"], row["episodes"],
                          row["bumper_slots"], round(row["card_seconds"], 3), row["unlabelled"], row["mentions"])
        for pid, row in sorted(acc.items())
    }


def left_out_jobs(reports: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Job rows the job boards of ``reports`` did not show, each once (a board's parts repeat them).

    Each row keeps its ``partner``, ``title``, ``status`` (``invalid``/``expired``), ``reason`` and
    ``file``, and gains the board's ``week``; sorted by week, file and row.
    """
    seen: dict[tuple[Any, Any, Any], dict[str, Any]] = {}
    for report in reports:
        board = report.get("jobboard")
        if not isinstance(board, Mapping):
            continue
        for row in board.get("left_out", []):
            key = (board.get("week"), row.get("file"), row.get("row"))
            seen.setdefault(key, {**row, "week": board.get("week")})
    return [seen[k] for k in sorted(seen, key=lambda k: (str(k[0]), str(k[1]), int(k[2] or 0)))]
