"""Episode manifests: versioned YAML, validated with pydantic, turned into an Episode.

Example (``version: 1``)::

    version: 1
    title: Was ist Bürgergeld?
    format: erklaervideo
    channel: ../channel/channel.yaml
    crossfade: 0.25
    segments:
      - source: footage/interview.mp4
        in: 00:00:01.500
        out: 00:00:09
        fade: 0.008                   # 8 ms audio fade at both edges (rough cuts write it against clicks)
        reframe: {mode: crop, focus: [{at: 0, value: 0.3}, {at: 5, value: 0.7}]}
      - image: cards/fakt.png
        images: {"4:5": cards/fakt.4x5.png}   # the still drawn for another picture shape (renditions:)
        duration: 3
        reframe: {mode: fit-blur, shapes: {"1:1": fit-pad}}   # the reframe in another picture shape
    overlays:
      - image: logo.png
        position: top-right
        width: 180
        opacity: 0.9
    captions: {mode: auto, style: subtitle, language: de}
    logo: true                        # the brand kit's logo over the body, inside the safe zone
    renditions: ["9:16", "4:5"]       # picture shapes rendered besides the channel's (vidcoop render)
    lower_thirds:                     # speaker name and role in the kit's lower-third style
      - {name: Aylin Demir, role: "Beraterin, Jobcenter", start: 2, end: 6}

Relative paths resolve against the manifest's folder. Errors name the file
and the dotted field path, and say what was expected.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

from vidcoop.audio.loudness import LoudnessTarget
from vidcoop.audio.music import MusicBed
from vidcoop.datafiles import load_yaml, validate
from vidcoop.errors import ManifestError
from vidcoop.registry import registered
from vidcoop.shapes import DEFAULT_SHAPE, SHAPES
from vidcoop.timeline.model import (
    ANCHORS,
    ANONYMIZE_FACES,
    ANONYMIZE_METHODS,
    AUTO_REFRAME,
    CAPTION_STYLES,
    MAX_CROSSFADE,
    MAX_EDGE_FADE,
    MAX_ZOOM,
    REFRAME_FALLBACKS,
    REFRAME_MODES,
    REFRAME_SUBJECTS,
    SEGMENT_KINDS,
    SHAPE_STILLS,
    Anonymize,
    AudioSpec,
    CaptionSpec,
    Episode,
    Keyframe,
    LowerThird,
    MusicSpec,
    Overlay,
    Reframe,
    Region,
    Segment,
)
from vidcoop.timing import parse_time

SCHEMA_VERSION = 1


def _time(value: Any) -> Fraction:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return parse_time(value)
    raise ValueError("expected a time: seconds (12.5) or a timecode (00:00:12.500)")


Time = Annotated[Fraction, BeforeValidator(_time)]
ZoomFactor = Annotated[float, Field(ge=1.0, le=MAX_ZOOM)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, frozen=True, allow_inf_nan=False)


class KeyframeModel(_Strict):
    at: Time
    value: float = Field(ge=0.0, le=1.0)


class ReframeModel(_Strict):
    mode: str = "crop"
    focus: float | list[KeyframeModel] = 0.5
    color: str = "black"
    zoom: tuple[ZoomFactor, ZoomFactor] | None = None
    subject: Literal[REFRAME_SUBJECTS] = "largest"  # type: ignore[valid-type]
    fallback: Literal[REFRAME_FALLBACKS] = "centre"  # type: ignore[valid-type]
    # the reframe in other picture shapes (vidcoop.shapes), e.g. {"16:9": fit-blur}; none nest further
    shapes: dict[Annotated[str, AfterValidator(registered(SHAPES))], ReframeModel] = Field(default_factory=dict)

    def to_reframe(self) -> Reframe:
        focus: tuple[Keyframe, ...]
        if isinstance(self.focus, list):
            focus = tuple(Keyframe(k.at, k.value) for k in self.focus) or (Keyframe(Fraction(0), 0.5),)
        else:
            focus = (Keyframe(Fraction(0), self.focus),)
        return Reframe(mode=self.mode, focus=focus, color=self.color, zoom=self.zoom, subject=self.subject,
                       fallback=self.fallback,
                       shapes=tuple((name, rf.to_reframe()) for name, rf in self.shapes.items()))

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        return {"mode": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _check_mode(self) -> ReframeModel:
        modes = (*REFRAME_MODES, AUTO_REFRAME)
        if self.mode not in modes:
            raise ValueError(f"unknown reframe mode {self.mode!r}; expected one of: {', '.join(modes)}")
        if isinstance(self.focus, float) and not 0.0 <= self.focus <= 1.0:
            raise ValueError("focus must be between 0 and 1")
        if any(rf.shapes for rf in self.shapes.values()):
            raise ValueError("a shape's reframe names no shapes of its own")
        return self


class RegionModel(_Strict):
    x: int = Field(ge=0, le=20000)
    y: int = Field(ge=0, le=20000)
    w: int = Field(gt=0, le=20000)
    h: int = Field(gt=0, le=20000)
    start: Time | None = None
    end: Time | None = None


class AnonymizeModel(_Strict):
    faces: Literal[ANONYMIZE_FACES] = "all"  # type: ignore[valid-type]
    regions: list[RegionModel] = Field(default_factory=list, max_length=100)
    method: Literal[ANONYMIZE_METHODS] = "blur"  # type: ignore[valid-type]

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        # ``anonymize: faces`` is short for blurring every face; ``anonymize: none`` turns it off.
        if data == "faces":
            return {"faces": "all"}
        if data == "none":
            return {"faces": "none"}
        if isinstance(data, dict) and "regions" in data and "faces" not in data:
            return {**data, "faces": "none"}
        return data


class SegmentModel(_Strict):
    source: str | None = None
    image: str | None = None
    in_: Time | None = Field(default=None, alias="in")
    out: Time | None = None
    duration: Time | None = None
    reframe: ReframeModel = Field(default_factory=ReframeModel)
    volume: float = Field(default=1.0, ge=0.0, le=100.0)
    kind: Literal[SEGMENT_KINDS] = "body"  # type: ignore[valid-type]
    partner: str | None = None
    label: str | None = None
    tighten: bool = False
    anonymize: AnonymizeModel | None = None
    fade: Time = Field(default=Fraction(0), le=MAX_EDGE_FADE)
    # the still drawn for other picture shapes (vidcoop.shapes), e.g. {"4:5": cards/a.4x5.png}; beside 'image'
    images: dict[Annotated[str, AfterValidator(registered(SHAPES))], str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_source(self) -> SegmentModel:
        if (self.source is None) == (self.image is None):
            raise ValueError("give exactly one of 'source' (video) or 'image' (still)")
        if self.image is not None and self.duration is None and self.out is None:
            raise ValueError("a still 'image' needs a 'duration'")
        if self.images and self.image is None:
            raise ValueError("'images' (a still per picture shape) needs the segment's 'image' (its 9:16 still)")
        if DEFAULT_SHAPE in self.images:
            raise ValueError(f"'images' names the other shapes' stills: the {DEFAULT_SHAPE} still is 'image'")
        return self


class PositionModel(_Strict):
    x: int
    y: int


class OverlayModel(_Strict):
    image: str
    position: Literal[ANCHORS] | PositionModel = "top-right"  # type: ignore[valid-type]
    margin: int = Field(default=48, ge=0)
    width: int | None = Field(default=None, gt=0)
    opacity: float = Field(default=1.0, ge=0.0, le=1.0)
    start: Time = Fraction(0)
    end: Time | None = None
    partner: str | None = None
    kind: str = "image"
    label: str | None = None


class LowerThirdModel(_Strict):
    name: str = Field(min_length=1)
    role: str | None = None
    start: Time = Fraction(0)
    end: Time | None = None


# The audio models only type the keys; ranges and defaults live in the audio values themselves
# (LoudnessTarget, MusicBed), which are built here once so a bad value fails while loading.


class LoudnessModel(_Strict):
    integrated: float | None = None
    true_peak: float | None = None
    lra: float | None = None

    def value(self) -> Any:
        return LoudnessTarget(**self.model_dump(exclude_none=True))

    @model_validator(mode="after")
    def _in_range(self) -> LoudnessModel:
        self.value()
        return self


class MusicModel(_Strict):
    file: str = Field(min_length=1)
    level_db: float | None = None
    fade_in: Time | None = None
    fade_out: Time | None = None
    duck_threshold: float | None = None
    duck_ratio: float | None = None
    attack_ms: float | None = None
    release_ms: float | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        return {"file": data} if isinstance(data, str) else data

    def bed(self) -> Any:
        return MusicBed(**self.model_dump(exclude={"file"}, exclude_none=True))

    @model_validator(mode="after")
    def _in_range(self) -> MusicModel:
        self.bed()
        return self


class AudioModel(_Strict):
    # British and American spelling both work; an unknown key is an error, never silently ignored.
    normalize: bool = Field(default=True, validation_alias=AliasChoices("normalize", "normalise"))
    loudness: LoudnessModel | None = None
    music: MusicModel | None = None


class CaptionsModel(_Strict):
    mode: Literal["auto", "off", "file"] = "auto"
    file: str | None = None
    style: Annotated[str, AfterValidator(registered(CAPTION_STYLES))] | None = None
    language: str | None = None
    model: str | None = None
    backend: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"mode": data} if data in ("auto", "off") else {"mode": "file", "file": data}
        if isinstance(data, bool):
            return {"mode": "auto" if data else "off"}
        return data

    @model_validator(mode="after")
    def _file_needs_path(self) -> CaptionsModel:
        if self.mode == "file" and not self.file:
            raise ValueError("captions mode 'file' needs 'file: path/to/edited.srt'")
        return self


class EpisodeModel(_Strict):
    version: Literal[1]
    title: str = ""
    name: str | None = None
    profile: str = "final"
    format: str | None = None
    channel: str | None = None
    crossfade: Time = Field(default=Fraction(0), le=MAX_CROSSFADE)
    output: str | None = None
    logo: bool = False
    # picture shapes (vidcoop.shapes) this episode is rendered in besides its channel's: [9:16, 1:1]
    renditions: list[Annotated[str, AfterValidator(registered(SHAPES))]] = Field(default_factory=list)
    anonymize: AnonymizeModel | None = None
    segments: list[SegmentModel] = Field(min_length=1)
    overlays: list[OverlayModel] = Field(default_factory=list)
    lower_thirds: list[LowerThirdModel] = Field(default_factory=list)
    captions: CaptionsModel = Field(default_factory=lambda: CaptionsModel(mode="off"))
    audio: AudioModel = Field(default_factory=AudioModel)


def load_episode(path: str | Path) -> Episode:
    """Read and validate an episode manifest.

    Raises:
        ManifestError: naming the file, the field path and what was expected.
    """
    p = Path(path)
    data = load_yaml(p, what="manifest file")
    return episode_from_dict(data, base=p.parent, source=p)


def check_version(data: Any, source: Path | None, *, what: str, main_key: str, version: int = SCHEMA_VERSION) -> None:
    """Refuse data that is not a mapping with the ``version`` this vidcoop reads (before schema checks)."""
    if not isinstance(data, dict):
        raise ManifestError(f"expected a mapping with 'version: {version}' and '{main_key}'", path=source)
    if "version" not in data:
        raise ManifestError(f"missing 'version' (this vidcoop reads version {version})", path=source, field="version")
    if data.get("version") != version:
        raise ManifestError(
            f"unsupported {what} version {data.get('version')!r}; this vidcoop reads version {version}",
            path=source, field="version",
        )


def episode_from_dict(data: Any, *, base: Path, source: Path | None = None) -> Episode:
    """Validate plain data (from YAML, JSON or a batch manifest) into an Episode."""
    check_version(data, source, what="manifest", main_key="segments")
    model = validate(EpisodeModel, data, path=source)
    return _to_episode(model, base, source)


def _path(base: Path, value: str) -> Path:
    p = Path(value).expanduser()
    return p if p.is_absolute() else base / p


def _anonymize(m: AnonymizeModel) -> Anonymize:
    regions = tuple(Region(r.x, r.y, r.w, r.h, r.start, r.end) for r in m.regions)
    return Anonymize(faces=m.faces, regions=regions, method=m.method)


def _shape_stills(m: EpisodeModel, base: Path, source: Path | None) -> dict[str, dict[str, str]]:
    """Each segment's ``images:`` as :data:`SHAPE_STILLS` (the 9:16 still's path -> {shape: that shape's still}).

    Raises:
        ManifestError: one 9:16 still given different stills for a shape in two segments.
    """
    stills: dict[str, dict[str, str]] = {}
    named: dict[str, int] = {}
    for i, s in enumerate(m.segments):
        if not s.images or s.image is None:
            continue
        key = str(_path(base, s.image))
        own = {shape: str(_path(base, value)) for shape, value in s.images.items()}
        known = stills.setdefault(key, {})
        for shape, value in own.items():
            if known.get(shape, value) != value:
                raise ManifestError(f"{s.image!r} has another {shape} still in segments.{named[key]}.images",
                                    path=source, field=f"segments.{i}.images.{shape}")
        known.update(own)
        named.setdefault(key, i)
    return stills


def _to_episode(m: EpisodeModel, base: Path, source: Path | None) -> Episode:
    segments = []
    for i, s in enumerate(m.segments):
        if s.in_ is not None and s.out is not None and s.in_ >= s.out:
            raise ManifestError(f"'in' ({float(s.in_):.3f}s) must be before 'out' ({float(s.out):.3f}s)",
                                path=source, field=f"segments.{i}.in")
        reframe = s.reframe.to_reframe()
        hide = s.anonymize if s.anonymize is not None else m.anonymize
        segments.append(Segment(
            source=_path(base, s.source or s.image or ""),
            start=s.in_, end=s.out, duration=s.duration, reframe=reframe, volume=s.volume,
            kind=s.kind, partner=s.partner, label=s.label, tighten=s.tighten, field=f"segments.{i}",
            anonymize=_anonymize(hide) if hide is not None and s.image is None else None, fade=s.fade,
        ))
    overlays = []
    for i, o in enumerate(m.overlays):
        pos = o.position
        overlays.append(Overlay(
            image=_path(base, o.image),
            anchor=pos if isinstance(pos, str) else "top-left",
            x=None if isinstance(pos, str) else pos.x,
            y=None if isinstance(pos, str) else pos.y,
            margin=o.margin, width=o.width, opacity=o.opacity, start=o.start, end=o.end,
            partner=o.partner, kind=o.kind, label=o.label, field=f"overlays.{i}",
        ))
    c = m.captions
    captions = CaptionSpec(
        mode=c.mode, path=_path(base, c.file) if c.file else None, style=c.style,
        language=c.language, model=c.model, backend=c.backend,
    )
    extra: dict[str, object] = {}
    if m.output:
        extra["output"] = _path(base, m.output)
    if m.renditions:
        extra["renditions"] = tuple(dict.fromkeys(m.renditions))
    stills = _shape_stills(m, base, source)
    if stills:
        extra[SHAPE_STILLS] = stills
    if m.format and not m.channel:
        raise ManifestError(f"format {m.format!r} needs its channel: add channel: path/to/channel.yaml "
                            "(formats exist only in a channel)", path=source, field="format")
    return Episode(
        segments=tuple(segments), overlays=tuple(overlays), title=m.title, crossfade=m.crossfade,
        captions=captions, profile=m.profile, format=m.format,
        channel=_path(base, m.channel) if m.channel else None,
        name=m.name or (source.stem if source else None), manifest=source, extra=extra,
        audio=_audio(m.audio, base), logo=m.logo,
        lower_thirds=tuple(LowerThird(lt.name, lt.role, lt.start, lt.end) for lt in m.lower_thirds),
    )


def _audio(a: AudioModel, base: Path) -> AudioSpec:
    loudness = a.loudness.value() if a.loudness is not None else None
    music = MusicSpec(_path(base, a.music.file), a.music.bed()) if a.music is not None else None
    return AudioSpec(normalize=a.normalize, loudness=loudness, music=music)
