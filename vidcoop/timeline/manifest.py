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
        reframe: {mode: crop, focus: [{at: 0, value: 0.3}, {at: 5, value: 0.7}]}
      - image: cards/fakt.png
        duration: 3
        reframe: fit-blur
    overlays:
      - image: logo.png
        position: top-right
        width: 180
        opacity: 0.9
    captions: {mode: auto, style: subtitle, language: de}
    logo: true                        # the brand kit's logo over the body, inside the safe zone
    lower_thirds:                     # speaker name and role in the kit's lower-third style
      - {name: Aylin Demir, role: "Beraterin, Jobcenter", start: 2, end: 6}

Relative paths resolve against the manifest's folder. Errors name the file
and the dotted field path, and say what was expected.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from vidcoop.errors import ManifestError
from vidcoop.registry import registered
from vidcoop.timeline.model import (
    ANCHORS,
    ANONYMIZE_FACES,
    ANONYMIZE_METHODS,
    AUTO_REFRAME,
    REFRAME_FALLBACKS,
    REFRAME_SUBJECTS,
    SEGMENT_KINDS,
    Anonymize,
    CaptionSpec,
    Episode,
    Keyframe,
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


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, frozen=True)


class KeyframeModel(_Strict):
    at: Time
    value: float = Field(ge=0.0, le=1.0)


class ReframeModel(_Strict):
    mode: str = "crop"
    focus: float | list[KeyframeModel] = 0.5
    color: str = "black"
    zoom: tuple[float, float] | None = None
    subject: Literal[REFRAME_SUBJECTS] = "largest"  # type: ignore[valid-type]
    fallback: Literal[REFRAME_FALLBACKS] = "centre"  # type: ignore[valid-type]

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        return {"mode": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _check_mode(self) -> ReframeModel:
        from vidcoop.render.graph import REFRAMERS  # the engine's registry is the one list of modes

        modes = (*REFRAMERS, AUTO_REFRAME)
        if self.mode not in modes:
            raise ValueError(f"unknown reframe mode {self.mode!r}; expected one of: {', '.join(modes)}")
        if isinstance(self.focus, float) and not 0.0 <= self.focus <= 1.0:
            raise ValueError("focus must be between 0 and 1")
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
    volume: float = Field(default=1.0, ge=0.0)
    kind: Literal[SEGMENT_KINDS] = "body"  # type: ignore[valid-type]
    partner: str | None = None
    label: str | None = None
    tighten: bool = False
    anonymize: AnonymizeModel | None = None

    @model_validator(mode="after")
    def _one_source(self) -> SegmentModel:
        if (self.source is None) == (self.image is None):
            raise ValueError("give exactly one of 'source' (video) or 'image' (still)")
        if self.image is not None and self.duration is None and self.out is None:
            raise ValueError("a still 'image' needs a 'duration'")
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


class CaptionsModel(_Strict):
    mode: Literal["auto", "off", "file"] = "auto"
    file: str | None = None
    style: Annotated[str, AfterValidator(registered("vidcoop.captions.cues", "BUILDERS"))] | None = None
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
    crossfade: Time = Fraction(0)
    output: str | None = None
    logo: bool = False
    anonymize: AnonymizeModel | None = None
    segments: list[SegmentModel] = Field(min_length=1)
    overlays: list[OverlayModel] = Field(default_factory=list)
    lower_thirds: list[LowerThirdModel] = Field(default_factory=list)
    captions: CaptionsModel = Field(default_factory=lambda: CaptionsModel(mode="off"))
    audio: dict[str, Any] = Field(default_factory=dict)


def load_episode(path: str | Path) -> Episode:
    """Read and validate an episode manifest.

    Raises:
        ManifestError: naming the file, the field path and what was expected.
    """
    p = Path(path)
    data = read_yaml(p)
    return episode_from_dict(data, base=p.parent, source=p)


def read_yaml(p: Path) -> Any:
    """Load a YAML file with ManifestError for missing files and syntax errors."""
    import yaml

    if not p.is_file():
        raise ManifestError("file not found", path=p)
    try:
        with open(p, encoding="utf-8-sig") as fh:
            return yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ManifestError(f"not valid YAML{where}: {problem}", path=p) from exc
    except UnicodeDecodeError as exc:
        raise ManifestError("not UTF-8 text", path=p) from exc


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
    try:
        model = EpisodeModel.model_validate(data)
    except ValidationError as exc:
        raise manifest_error(exc, source) from None
    return _to_episode(model, base, source)


def manifest_error(exc: ValidationError, source: Path | None) -> ManifestError:
    """The first pydantic error as a ManifestError with a dotted field path."""
    # In a union, the branch that got furthest (longest location) says the most.
    err = max(exc.errors(), key=lambda e: len(e["loc"]))
    loc = [str(part) for part in err["loc"] if not str(part).startswith("function-")]
    # pydantic adds union branch names ("str", "list[...]") to loc; keep real fields.
    fieldpath = ".".join(p for p in loc if not any(c in p for c in "[]") and p not in _TYPE_NAMES)
    kind = err["type"]
    if kind == "extra_forbidden":
        key = loc[-1]
        parent_path = ".".join(loc[:-1])
        message = f"unknown key {key!r}" + (f" in {parent_path}" if parent_path else "")
    elif kind == "missing":
        message = f"missing required key {loc[-1]!r}"
    elif isinstance(err.get("input"), dict):
        message = err["msg"]
    else:
        message = f"{err['msg']} (got {_short(err.get('input'))})"
    message = message.replace("Value error, ", "")
    return ManifestError(message, path=source, field=fieldpath or None)


_TYPE_NAMES = {"str", "int", "float", "bool", "PositionModel", "literal", "list", "is-instance", "function-after"}


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _path(base: Path, value: str) -> Path:
    p = Path(value).expanduser()
    return p if p.is_absolute() else base / p


def _anonymize(m: AnonymizeModel) -> Anonymize:
    regions = tuple(Region(r.x, r.y, r.w, r.h, r.start, r.end) for r in m.regions)
    return Anonymize(faces=m.faces, regions=regions, method=m.method)


def _to_episode(m: EpisodeModel, base: Path, source: Path | None) -> Episode:
    segments = []
    for i, s in enumerate(m.segments):
        if s.in_ is not None and s.out is not None and s.in_ >= s.out:
            raise ManifestError(f"'in' ({float(s.in_):.3f}s) must be before 'out' ({float(s.out):.3f}s)",
                                path=source, field=f"segments.{i}.in")
        focus: tuple[Keyframe, ...]
        if isinstance(s.reframe.focus, list):
            focus = tuple(Keyframe(k.at, k.value) for k in s.reframe.focus) or (Keyframe(Fraction(0), 0.5),)
        else:
            focus = (Keyframe(Fraction(0), s.reframe.focus),)
        reframe = Reframe(mode=s.reframe.mode, focus=focus, color=s.reframe.color, zoom=s.reframe.zoom,
                          subject=s.reframe.subject, fallback=s.reframe.fallback)
        hide = s.anonymize if s.anonymize is not None else m.anonymize
        segments.append(Segment(
            source=_path(base, s.source or s.image or ""),
            start=s.in_, end=s.out, duration=s.duration, reframe=reframe, volume=s.volume,
            kind=s.kind, partner=s.partner, label=s.label, tighten=s.tighten, field=f"segments.{i}",
            anonymize=_anonymize(hide) if hide is not None and s.image is None else None,
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
    extra: dict[str, Any] = {"audio": m.audio} if m.audio else {}
    if m.logo:
        extra["logo"] = True
    if m.lower_thirds:
        extra["lower_thirds"] = [{"name": lt.name, "role": lt.role, "start": lt.start, "end": lt.end}
                                 for lt in m.lower_thirds]
    if m.output:
        extra["output"] = _path(base, m.output)
    if m.format and not m.channel:
        raise ManifestError(f"format {m.format!r} needs its channel: add channel: path/to/channel.yaml "
                            "(formats exist only in a channel)", path=source, field="format")
    return Episode(
        segments=tuple(segments), overlays=tuple(overlays), title=m.title, crossfade=m.crossfade,
        captions=captions, profile=m.profile, format=m.format,
        channel=_path(base, m.channel) if m.channel else None,
        name=m.name or (source.stem if source else None), manifest=source, extra=extra,
    )
