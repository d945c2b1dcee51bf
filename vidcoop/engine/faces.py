"""Resolve ``reframe: auto`` and ``anonymize:`` on a render plan, before it is compiled.

The plan's segments are final (tightened pieces included), so each is analysed exactly over the
source span it shows. ``auto`` becomes ``crop`` with focus keyframes, and moments shown whole where the
subject is faster than the camera (or ``fit-blur``, its fallback);
``anonymize`` gets a mask video in the render's work folder. The engine then compiles plain values:
it never runs a detector. The returned report lists every anonymised segment and how many face
tracks were covered, for ``OUT.report.json``.

The picture shapes of one edit share their face work (:class:`SharedFaces`): each span is analysed once,
and each segment's mask is made once, as the blur runs on the source before the one graph splits it to the
shapes (:func:`vidcoop.engine.graph.compile_renditions`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidcoop.errors import MediaError
from vidcoop.faces.analysis import PRIVACY_OPTIONS, analyse
from vidcoop.faces.mask import MaskPlan, covered_tracks, write_mask
from vidcoop.faces.model import FaceAnalysis
from vidcoop.faces.placement import GAP, Placement, frame_faces, free_top, meets, sample_times, segment_windows
from vidcoop.faces.reframe import auto_path
from vidcoop.timeline.model import AUTO_REFRAME, Anonymize, Keyframe, Reframe

if TYPE_CHECKING:
    from vidcoop.engine.plan import PlannedSegment, RenderPlan
    from vidcoop.faces.placement import Placement


@dataclass(frozen=True)
class FaceReport:
    """What face work did to one segment."""

    segment: int
    field: str | None
    reframe: str | None = None
    subjects: tuple[int | None, ...] = ()
    anonymized: bool = False
    tracks_covered: int = 0
    regions: int = 0
    cache_problem: str | None = None  # a warning: the analysis could not be cached
    # where and why ``auto`` showed the whole picture (the subject moved too fast to follow): a warning
    widened: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = {"segment": self.segment, "field": self.field, "reframe": self.reframe,
                "subjects": list(self.subjects), "anonymized": self.anonymized,
                "face_tracks_covered": self.tracks_covered, "regions": self.regions}
        if self.widened is not None:
            data["reframe_widened"] = self.widened
        return data


@dataclass
class SharedFaces:
    """Face work the picture shapes of one edit share, filled by the first shape's :func:`apply_faces`.

    Each source span is analysed once (however the cache fares), and each segment's anonymisation mask is
    made once: the mask is in source pixels and the blur runs before the shapes' crops, so one mask serves
    every shape. With ``all-but-subject`` the subject the first shape (9:16) follows is the one left visible
    in every shape.
    """

    analyses: dict[tuple[Path, float, float, bool], FaceAnalysis] = field(default_factory=dict)
    masks: dict[int, tuple[Path, int]] = field(default_factory=dict)  # segment index -> (mask, tracks covered)

    def analysis(self, path: Path, start: float, end: float, private: bool) -> FaceAnalysis:
        """The span's analysis, made (or read from the cache) the first time it is asked for."""
        key = (path, start, end, private)
        if key not in self.analyses:
            # Anonymising finds small faces too (see PRIVACY_OPTIONS); reframing alone looks for the speaker.
            self.analyses[key] = analyse(path, start, end, PRIVACY_OPTIONS if private else None)
        return self.analyses[key]


def needs_faces(plan: RenderPlan) -> bool:
    return any(_wants(ps) for ps in plan.segments)


def _wants(ps: PlannedSegment) -> bool:
    seg = ps.segment
    auto = seg.reframe.mode == AUTO_REFRAME
    hide = seg.anonymize is not None and seg.anonymize.active
    return (auto or hide) and not ps.is_still


def apply_faces(plan: RenderPlan, work: Path, *, privacy_default: Anonymize | None = None,
                shared: SharedFaces | None = None) -> tuple[RenderPlan, tuple[FaceReport, ...]]:
    """The plan with ``auto`` resolved and masks made; unchanged when no segment asks for face work.

    Args:
        plan: A final render plan.
        work: The render's temp folder (masks live there).
        privacy_default: The channel's ``privacy`` default for body segments without their own
            ``anonymize`` (``all-but-subject`` for channels that film clients).
        shared: The face work of the edit's other shapes, to reuse and add to (one render of several
            shapes passes the same one for each); None: this plan's own.
    """
    shared = shared if shared is not None else SharedFaces()
    segments = []
    reports: list[FaceReport] = []
    for ps in plan.segments:
        seg = ps.segment
        if privacy_default is not None and seg.anonymize is None and seg.kind == "body" and not ps.is_still:
            seg = replace(seg, anonymize=privacy_default)
            ps = replace(ps, segment=seg)
        if not _wants(ps):
            if seg.reframe.mode == AUTO_REFRAME:  # a still: nothing to follow
                ps = replace(ps, segment=replace(seg, reframe=_fallback(seg.reframe)))
            segments.append(ps)
            continue
        ps, report = _resolve(ps, work, plan.profile.width, plan.profile.height, shared)
        segments.append(ps)
        reports.append(report)
    return replace(plan, segments=tuple(segments)), tuple(reports)


def _fallback(rf: Reframe) -> Reframe:
    if rf.fallback == "fit-blur":
        return replace(rf, mode="fit-blur")
    return replace(rf, mode="crop", focus=(Keyframe(Fraction(0), 0.5),))


def _resolve(ps: PlannedSegment, work: Path, out_w: int, out_h: int, shared: SharedFaces,
             ) -> tuple[PlannedSegment, FaceReport]:
    seg = ps.segment
    start = float(ps.source_start)
    end = float(ps.source_start + ps.duration)
    hide = seg.anonymize
    private = hide is not None and hide.active
    analysis = shared.analysis(ps.path, start, end, private)
    rf = seg.reframe
    subjects: tuple[int | None, ...] = ()
    widened = None
    if rf.mode == AUTO_REFRAME or (seg.anonymize is not None and seg.anonymize.faces == "all-but-subject"):
        path = auto_path(analysis, subject=rf.subject, fallback=rf.fallback, out_aspect=(out_w, out_h))
        subjects = path.subjects
        if rf.mode == AUTO_REFRAME:
            keys = tuple(Keyframe(t, v) for t, v in path.keys)
            crop = path.mode == "crop"
            rf = replace(rf, mode=path.mode, focus=keys if crop else rf.focus, widen=path.widen if crop else ())
            widened = path.said(f"segment {ps.index + 1}")
    mask = None
    covered = 0
    if hide is not None and private:
        if ps.index not in shared.masks:  # made for the first shape; the other shapes show the same blur
            tracks = covered_tracks(analysis, hide, subjects)
            plan = MaskPlan(analysis.width, analysis.height, analysis.duration + 0.5, tracks, hide)
            shared.masks[ps.index] = (write_mask(analysis, plan, work / f"mask-{ps.index}.mkv"), len(tracks))
        mask, covered = shared.masks[ps.index]
    new = replace(ps, segment=replace(seg, reframe=rf, mask=mask))
    report = FaceReport(ps.index, seg.field, rf.mode if seg.reframe.mode == AUTO_REFRAME else None, subjects,
                        mask is not None, covered, len(hide.regions) if hide else 0, analysis.cache_problem,
                        widened)
    return new, report


def place_lower_thirds(plan: RenderPlan, safe_top: int) -> tuple[RenderPlan, tuple[Placement, ...]]:
    """The plan with each lower third moved up where it would cover a face (see :mod:`vidcoop.faces.placement`).

    Args:
        plan: A final plan whose ``auto`` reframes are resolved (:func:`apply_faces` ran).
        safe_top: The top of the kit's safe zone in design pixels: no card goes above it.

    Returns:
        The plan (unchanged when nothing moved) and one placement per lower third, for the report.
    """
    cards = [po for po in plan.overlays if po.overlay.kind == "lower-third"]
    if not cards:
        return plan, ()
    prof = plan.profile
    scale = float(prof.scale)
    try:
        from vidcoop.faces.detect import model_path

        model_path()
    except MediaError:  # vidcoop[faces] is not installed: the kit's place, unchecked
        return plan, tuple(_placement(po, po.box.y, checked=False) for po in cards)

    analyses: dict[int, Any] = {}
    moved: dict[int, int] = {}
    placements = []
    for po in cards:
        faces: list[tuple[float, float, float, float]] = []
        for ps, a, b in segment_windows(plan.segments, po.start, po.end):
            if ps.index not in analyses:
                analyses[ps.index] = analyse(ps.path, float(ps.source_start), float(ps.source_end))
            for t in sample_times(a, b):
                faces += frame_faces(analyses[ps.index], ps.segment.reframe, t, float(ps.duration),
                                     (prof.width, prof.height))
        box = po.box
        card = (box.x, box.y, box.width, box.height)
        problem = next((a.cache_problem for a in analyses.values() if a.cache_problem), None)
        if not any(meets(card, f) for f in faces):
            placements.append(_placement(po, box.y, cache_problem=problem))
            continue
        others = [(float(o.box.x), float(o.box.y), float(o.box.right), float(o.box.bottom)) for o in plan.overlays
                  if o is not po and o.start < po.end and o.end > po.start]
        y = free_top(card, faces + others, round(safe_top * scale), round(GAP * scale))
        if y is None:
            placements.append(_placement(po, box.y, clear=False, cache_problem=problem))
            continue
        y = y // 2 * 2  # even, for 4:2:0
        moved[po.index] = y
        placements.append(_placement(po, y, moved_from=box.y, cache_problem=problem))
    if not moved:
        return plan, tuple(placements)
    overlays = tuple(replace(po, box=replace(po.box, y=moved[po.index])) if po.index in moved else po
                     for po in plan.overlays)
    return replace(plan, overlays=overlays), tuple(placements)


def _placement(po: Any, y: int, **how: Any) -> Placement:
    """Where the planned lower third ``po`` went (its top edge ``y``), for the report."""
    return Placement(po.overlay.label or "lower third", po.overlay.field, float(po.start), float(po.end), y, **how)
