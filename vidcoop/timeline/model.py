"""The editorial model: frozen values that describe an episode.

An :class:`Episode` is an ordered list of :class:`Segment` s (each a cut from
a source, a still image, or a user's moviepy clip), plus :class:`Overlay` s
(logos, cards) placed on the episode timeline, caption settings and audio
settings. Nothing here touches files or ffmpeg; :mod:`vidcoop.engine.plan`
probes the sources and :mod:`vidcoop.engine.graph` compiles the plan.

Geometry (overlay position and size) is given in *design pixels* of a
1080x1920 frame and scaled to the output profile, so a preview render at
540x960 looks like the final one.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidcoop.errors import ManifestError
from vidcoop.timing import TimeLike, parse_time

if TYPE_CHECKING:
    from vidcoop.audio.loudness import LoudnessTarget
    from vidcoop.audio.music import MusicBed

DESIGN_WIDTH = 1080
DESIGN_HEIGHT = 1920

# Reframe modes: the names the manifest, the plan and the engine's registry (vidcoop.engine.reframe.REFRAMERS,
# one builder per name; a test holds them equal) share, plus ``auto``, which is resolved before compiling
# (vidcoop.engine.faces): it becomes ``crop`` with focus keyframes per shot.
REFRAME_MODES = ("crop", "fit-blur", "fit-pad")
# Caption styles: the names of the cue builders (vidcoop.captions.cues.BUILDERS; a test holds them equal),
# which brand kits style one by one and manifests choose from.
CAPTION_STYLES = ("social", "subtitle")
AUTO_REFRAME = "auto"
REFRAME_SUBJECTS = ("largest", "left", "right", "centre")
REFRAME_FALLBACKS = ("centre", "fit-blur")
ANONYMIZE_FACES = ("none", "all", "all-but-subject")
ANONYMIZE_METHODS = ("blur", "pixelate")
ANCHORS = ("top-left", "top", "top-right", "left", "center", "right", "bottom-left", "bottom", "bottom-right")
MAX_CROSSFADE = 10
MAX_EDGE_FADE = Fraction(1, 2)  # a segment's edge fade is against clicks, not a transition
MAX_ZOOM = 10.0  # ffmpeg's zoompan stops there
SEGMENT_KINDS = ("body", "intro", "outro", "title", "card", "endcard", "bumper")


@dataclass(frozen=True)
class Keyframe:
    """A value at a time (seconds from the segment's own start)."""

    at: Fraction
    value: float

    if TYPE_CHECKING:  # what the constructor accepts; __post_init__ normalises it

        def __init__(self, at: TimeLike, value: float) -> None: ...

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", parse_time(self.at))
        object.__setattr__(self, "value", float(self.value))


@dataclass(frozen=True)
class Reframe:
    """How a source of any shape becomes the vertical output frame.

    Attributes:
        mode: One of :data:`REFRAME_MODES` (the engine's registry :data:`vidcoop.engine.reframe.REFRAMERS`):
            ``crop`` (fill the frame, cut the sides), ``fit-blur`` (whole
            frame over a blurred, filled copy of itself) or ``fit-pad`` (whole
            frame on a solid colour).
        focus: Horizontal focus for ``crop``, 0 = left edge, 1 = right edge.
            Several keyframes make the crop follow the subject (linear in between).
        color: Background colour for ``fit-pad`` (ffmpeg colour name or ``#rrggbb``).
        zoom: Optional slow zoom ``(from, to)``, e.g. ``(1.0, 1.08)``, over the segment.
        subject: For ``auto``: whom to follow (``largest``, ``left``, ``right``, ``centre``).
        fallback: For ``auto``: a shot without a face holds the ``centre``; ``fit-blur`` when no shot has one.
        widen: For ``crop`` (set by ``auto``, never by a manifest): moments ``(a, b, c, d)``, seconds of
            the segment, that show the whole picture (``fit-blur``) instead: cross-faded in from ``a``
            to ``b``, whole to ``c``, faded back to the crop by ``d``.
        shapes: The reframe in other picture shapes (:data:`vidcoop.shapes.SHAPES`), by name; a shape not
            named here uses this one (focus keys are shares of the crop's range, so they apply at any aspect).
    """

    mode: str = "crop"
    focus: tuple[Keyframe, ...] = (Keyframe(Fraction(0), 0.5),)
    color: str = "black"
    zoom: tuple[float, float] | None = None
    subject: str = "largest"
    fallback: str = "centre"
    widen: tuple[tuple[Fraction, Fraction, Fraction, Fraction], ...] = ()
    shapes: tuple[tuple[str, Reframe], ...] = ()

    if TYPE_CHECKING:

        def __init__(
            self,
            mode: str = "crop",
            focus: float | Iterable[Keyframe] = 0.5,
            color: str = "black",
            zoom: tuple[float, float] | None = None,
            subject: str = "largest",
            fallback: str = "centre",
            widen: tuple[tuple[Fraction, Fraction, Fraction, Fraction], ...] = (),
            shapes: tuple[tuple[str, Reframe], ...] = (),
        ) -> None: ...

    def __post_init__(self) -> None:
        focus: Any = self.focus
        if isinstance(focus, (int, float)):
            focus = (Keyframe(Fraction(0), float(focus)),)
        object.__setattr__(self, "focus", tuple(focus))

    def for_shape(self, shape: str) -> Reframe:
        """The reframe in picture shape ``shape``: its own entry in ``shapes``, else this one (without ``shapes``)."""
        own = dict(self.shapes).get(shape)
        return own if own is not None else replace(self, shapes=())


@dataclass(frozen=True)
class Region:
    """A fixed area to hide (a name tag, a screen), in source pixels of the displayed frame.

    ``start``/``end`` are seconds from the segment's own start (None = the whole segment).
    """

    x: int
    y: int
    w: int
    h: int
    start: Fraction | None = None
    end: Fraction | None = None


@dataclass(frozen=True)
class Anonymize:
    """What to hide in a segment: faces (``all`` or ``all-but-subject``) and fixed regions.

    Faces are found by :mod:`vidcoop.faces` and covered through a mask video blended in the one
    render graph (``method`` ``blur`` or ``pixelate``).
    """

    faces: str = "all"
    regions: tuple[Region, ...] = ()
    method: str = "blur"

    @property
    def active(self) -> bool:
        return self.faces != "none" or bool(self.regions)


@dataclass(frozen=True, eq=False)
class ClipSource:
    """A moviepy clip built in a user's script, used as a segment source.

    It is rendered once to a lossless intermediate, cached by content, and
    then handled like a file. It compares and hashes by identity (moviepy
    clips are not hashable), so segments holding it can be dictionary keys.
    """

    clip: object  # a moviepy VideoClip (moviepy ships no type information)
    name: str = "moviepy-clip"


@dataclass(frozen=True)
class Segment:
    """One piece of the episode, in order.

    Attributes:
        source: A media file (video, audio+video, still image) or a ClipSource.
        start: ``in`` point in the source (seconds); None = from the start.
        end: ``out`` point in the source; None = to the end (or ``duration`` for stills).
        duration: Length for still images (required for them).
        reframe: How to fit the source into the vertical frame.
        volume: Gain for this segment's audio (1.0 = unchanged).
        kind: Role in the format (body, intro, outro, bumper, card, ...).
        partner: The partner organisation this segment shows, if any (bumpers, job cards).
        label: Free text for reports.
        tighten: Remove leading/trailing silence and shorten long pauses.
        field: Where this segment came from in a manifest (``segments.2``), for errors.
        anonymize: Faces and regions to hide, if any.
        mask: The mask video :mod:`vidcoop.faces` made for ``anonymize`` (set before compiling;
            white = hidden), timed from the segment's ``in`` point.
        fade: A short audio fade in at the segment's start and out at its end (seconds; 0 = none),
            so a jump cut inside speech does not click (the rough cut writes 8 ms).
    """

    source: Path | ClipSource
    start: Fraction | None = None
    end: Fraction | None = None
    duration: Fraction | None = None
    reframe: Reframe = field(default_factory=Reframe)
    volume: float = 1.0
    kind: str = "body"
    partner: str | None = None
    label: str | None = None
    tighten: bool = False
    field: str | None = None
    anonymize: Anonymize | None = None
    mask: Path | None = None
    fade: Fraction = Fraction(0)

    if TYPE_CHECKING:

        def __init__(
            self,
            source: str | os.PathLike[str] | ClipSource,
            start: TimeLike | None = None,
            end: TimeLike | None = None,
            duration: TimeLike | None = None,
            reframe: Reframe = ...,
            volume: float = 1.0,
            kind: str = "body",
            partner: str | None = None,
            label: str | None = None,
            tighten: bool = False,
            field: str | None = None,
            anonymize: Anonymize | None = None,
            mask: Path | None = None,
            fade: TimeLike = 0,
        ) -> None: ...

    def __post_init__(self) -> None:
        if not isinstance(self.source, ClipSource):
            object.__setattr__(self, "source", Path(self.source))
        object.__setattr__(self, "fade", parse_time(self.fade))
        if self.fade > MAX_EDGE_FADE:
            raise ManifestError(f"fade of {float(self.fade):g}s is longer than {float(MAX_EDGE_FADE):g}s",
                                field=f"{self.field}.fade" if self.field else "fade")
        for name in ("start", "end", "duration"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, parse_time(value))


@dataclass(frozen=True)
class Overlay:
    """An image placed over the episode (logo, lower third, job card).

    Attributes:
        image: PNG (alpha respected) or JPEG.
        anchor: Where it sits, one of ANCHORS; ``margin`` keeps it off the edge.
        x, y: Explicit top-left position in design pixels (overrides anchor).
        width: Width in design pixels (height keeps the aspect); None = native size.
        opacity: 0..1.
        start, end: Time range on the episode timeline (None = to the end).
        partner: The partner whose logo or card this is, if any (policy checks it).
        kind: ``logo``, ``lower-third``, ``card``, ``image``.
    """

    image: Path
    anchor: str = "top-right"
    margin: int = 48
    x: int | None = None
    y: int | None = None
    width: int | None = None
    opacity: float = 1.0
    start: Fraction = Fraction(0)
    end: Fraction | None = None
    partner: str | None = None
    kind: str = "image"
    label: str | None = None
    field: str | None = None

    if TYPE_CHECKING:

        def __init__(
            self,
            image: str | os.PathLike[str],
            anchor: str = "top-right",
            margin: int = 48,
            x: int | None = None,
            y: int | None = None,
            width: int | None = None,
            opacity: float = 1.0,
            start: TimeLike = 0,
            end: TimeLike | None = None,
            partner: str | None = None,
            kind: str = "image",
            label: str | None = None,
            field: str | None = None,
        ) -> None: ...

    def __post_init__(self) -> None:
        object.__setattr__(self, "image", Path(self.image))
        object.__setattr__(self, "start", parse_time(self.start))
        if self.end is not None:
            object.__setattr__(self, "end", parse_time(self.end))


@dataclass(frozen=True)
class CaptionSpec:
    """What to do about captions.

    Attributes:
        mode: ``off``, ``auto`` (transcribe) or ``file`` (burn an edited SRT/VTT/ASS as is).
        path: The caption file for ``file``.
        style: ``social`` (1-3 words, highlighted) or ``subtitle`` (broadcast style);
            None = the format's caption style, else ``subtitle``.
        language: Speech language (``de``), ``auto`` to detect it, or None for the
            channel's language (German when there is no channel).
        model: Transcription model name or folder; None = the offline default.
        backend: Transcription backend name; None = faster-whisper.
    """

    mode: str = "off"
    path: Path | None = None
    style: str | None = None
    language: str | None = None
    model: str | None = None
    backend: str | None = None


def check_crossfade(value: Any) -> Fraction:
    """A crossfade length as the manifest reads it: ``0.2`` is 1/5, never negative, at most 10 s.

    Raises:
        ManifestError: naming the ``crossfade`` field.
    """
    try:
        result = parse_time(value)
    except (TypeError, ValueError) as exc:
        raise ManifestError(f"crossfade: {exc}", field="crossfade") from None
    if result > MAX_CROSSFADE:
        raise ManifestError(f"crossfade of {float(result):g}s is longer than {MAX_CROSSFADE}s", field="crossfade")
    return result


@dataclass(frozen=True)
class MusicSpec:
    """A music bed under the episode: the file and how it sits (level, fades, ducking)."""

    file: Path
    bed: MusicBed | None = None  # None = the default bed

    def __post_init__(self) -> None:
        object.__setattr__(self, "file", Path(self.file))


@dataclass(frozen=True)
class AudioSpec:
    """Audio mastering settings of an episode.

    Attributes:
        normalize: Loudness-normalise the mix (two-pass loudnorm).
        loudness: The target; None = -14 LUFS, -1 dBTP.
        music: An optional ducked music bed.
    """

    normalize: bool = True
    loudness: LoudnessTarget | None = None
    music: MusicSpec | None = None


@dataclass(frozen=True)
class LowerThird:
    """A speaker's name and role, drawn in the kit's lower-third style from ``start`` to ``end``."""

    name: str
    role: str | None = None
    start: Fraction = Fraction(0)
    end: Fraction | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", parse_time(self.start))
        if self.end is not None:
            object.__setattr__(self, "end", parse_time(self.end))


@dataclass(frozen=True)
class Episode:
    """A whole short video, before any file is touched.

    Attributes:
        segments: The pieces in order.
        overlays: Images over the timeline.
        title: Written into the MP4's metadata.
        crossfade: Length of a crossfade between every two segments (0 = hard cuts).
        captions: Caption settings.
        profile: Output profile name (``final``, ``preview``).
        format: The channel format this episode belongs to (policy checks it).
        channel: The channel config file, if any.
        name: A short identifier for reports and batch tables.
        manifest: The file this episode was loaded from, if any.
        audio: Loudness and music settings.
        lower_thirds: Speaker name/role cards, drawn in the kit's style.
        logo: Put the brand kit's logo over the body.
        extra: Data owned by later stages (the manifest's ``output``, job-board details).
    """

    segments: tuple[Segment, ...]
    overlays: tuple[Overlay, ...] = ()
    title: str = ""
    crossfade: Fraction = Fraction(0)
    captions: CaptionSpec = field(default_factory=CaptionSpec)
    profile: str = "final"
    format: str | None = None
    channel: Path | None = None
    name: str | None = None
    manifest: Path | None = None
    audio: AudioSpec = field(default_factory=AudioSpec)
    lower_thirds: tuple[LowerThird, ...] = ()
    logo: bool = False
    extra: dict[str, object] = field(default_factory=dict, hash=False, compare=False)

    if TYPE_CHECKING:  # scripts pass lists and plain numbers; keep this in step with the fields

        def __init__(
            self,
            segments: Iterable[Segment],
            overlays: Iterable[Overlay] = (),
            title: str = "",
            crossfade: TimeLike = 0,
            captions: CaptionSpec = ...,
            profile: str = "final",
            format: str | None = None,
            channel: Path | None = None,
            name: str | None = None,
            manifest: Path | None = None,
            audio: AudioSpec = ...,
            lower_thirds: Iterable[LowerThird] = (),
            logo: bool = False,
            extra: dict[str, object] = ...,
        ) -> None: ...

    def __post_init__(self) -> None:
        # Accept lists from scripts; store tuples so the value stays immutable.
        object.__setattr__(self, "segments", tuple(self.segments))
        object.__setattr__(self, "overlays", tuple(self.overlays))
        object.__setattr__(self, "lower_thirds", tuple(self.lower_thirds))
        object.__setattr__(self, "crossfade", check_crossfade(self.crossfade))


#: ``Episode.extra`` key of stills drawn for each picture shape (see :func:`episode_for_shape`).
SHAPE_STILLS = "shape_stills"


def episode_for_shape(episode: Episode, shape: str) -> Episode:
    """The episode as one picture shape shows it: each segment's reframe for ``shape``, no other shape's.

    An output's skip key is made of this, so a change to one shape's reframe re-renders only that shape.
    A still drawn for each shape (``extra[SHAPE_STILLS]``: the 9:16 file's path -> {shape: that shape's file},
    plain strings, e.g. the job board's cards) is replaced by the shape's own file.
    """
    stills = episode.extra.get(SHAPE_STILLS)
    own = {k: v[shape] for k, v in stills.items() if shape in v} if isinstance(stills, dict) else {}
    if not own and not any(seg.reframe.shapes for seg in episode.segments):
        return episode

    def source(seg: Segment) -> Path | ClipSource:
        drawn = own.get(str(seg.source)) if isinstance(seg.source, Path) else None
        return Path(drawn) if drawn is not None else seg.source

    return replace(episode, segments=tuple(replace(seg, source=source(seg), reframe=seg.reframe.for_shape(shape))
                                           for seg in episode.segments))


def episode_shapes(episode: Episode) -> tuple[str, ...]:
    """The picture shapes the episode itself asks for (``renditions:`` in its manifest), in its order."""
    shapes = episode.extra.get("renditions", ())
    return tuple(str(s) for s in shapes) if isinstance(shapes, (tuple, list)) else ()
