"""The channel config (``channel.yaml``): brand kit, language, glossary, formats, partners.

A channel is shared by several organisations under one neutral brand.
Partners become visible only in formats that have partner slots (the weekly
job board), and only as many times, as long and where the slots allow; the
rule itself lives in :mod:`vidcoop.channel.policy`.

Example (see ``examples/channel/channel.yaml``)::

    version: 1
    name: Wege zum Job
    brand_kit: wege-zum-job          # a shipped kit's name, or a folder
    language: de
    glossary: glossary.yaml
    formats:
      erklaervideo:
        caption_style: subtitle
        max_length: 90
      stellenboerse:
        caption_style: social
        max_length: 120
        partner_slots:
          - {position: after-intro, max_bumper_length: 3, count: 1}
    partners:
      caritas-musterstadt:
        name: Caritas Musterstadt
        logo: partners/caritas-musterstadt.png
        bumper: {duration: 2.5}       # generated from the logo
      diakonie-musterstadt:
        name: Diakonie Musterstadt
        logo: partners/diakonie-musterstadt.png
        bumper:                       # the partner's own still (9:16), and one per other picture shape
          image: partners/diakonie-musterstadt-bumper.png
          images: {"1:1": partners/diakonie-musterstadt-bumper.1x1.png}   # also "4:5", "16:9"
          duration: 2
    privacy:
      anonymize_unknown_faces: true   # every body segment: anonymize {faces: all-but-subject}
    studio_url: https://partner.wege-zum-job.example   # partners' personal links (default: the local studio)

Relative paths are resolved against the YAML's folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidcoop.brand.kit import load_kit, resolve_kit_path
from vidcoop.channel.publishing import PublishModel, PublishSettings, publish_settings, split_publish_keys
from vidcoop.channel.schema import ChannelModel
from vidcoop.datafiles import load_yaml_mapping, pydantic_error
from vidcoop.errors import ManifestError
from vidcoop.media.image import checked_image
from vidcoop.registry import lookup
from vidcoop.shapes import DEFAULT_SHAPE, SHAPES

if TYPE_CHECKING:
    from vidcoop.brand.kit import BrandKit



@dataclass(frozen=True)
class PartnerSlot:
    """Room for partner bumpers at one place in a format.

    Attributes:
        position: ``after-intro``, ``between-items`` or ``before-outro``.
        max_bumper_length: Longest a bumper in this slot may run (seconds).
        count: How many bumpers this slot takes (for ``between-items``: over all gaps).
    """

    position: str
    max_bumper_length: Fraction
    count: int = 1


@dataclass(frozen=True)
class FormatStructure:
    """The parts an episode of the format has, in order: intro, body, end card, outro."""

    intro: bool = True
    end_card: bool = False
    outro: bool = True


@dataclass(frozen=True)
class Format:
    """A channel format (``erklaervideo``, ``stellenboerse``).

    Attributes:
        name: Its id, as episodes name it in ``format:``.
        title: Human name.
        structure: Which of intro / end card / outro it has.
        caption_style: ``social`` or ``subtitle``.
        max_length: Longest an episode may run (seconds).
        partner_slots: Where partners may appear; empty = never.
        allow_partner_names: Texts where this format may name partners anyway (``lower_thirds``).
    """

    name: str
    title: str
    structure: FormatStructure
    caption_style: str
    max_length: Fraction
    partner_slots: tuple[PartnerSlot, ...] = ()
    allow_partner_names: tuple[str, ...] = ()

    @property
    def slot_capacity(self) -> int:
        """How many partner bumpers an episode of this format may carry in total."""
        return sum(slot.count for slot in self.partner_slots)

    def slots_at(self, position: str) -> tuple[PartnerSlot, ...]:
        return tuple(s for s in self.partner_slots if s.position == position)


@dataclass(frozen=True)
class PartnerBumper:
    """A partner's bumper: a video, a still image with a duration, or generated from the logo.

    ``duration`` is None only for a video (its length is probed).
    """

    video: Path | None = None
    image: Path | None = None
    duration: Fraction | None = None
    #: The partner's own still for other picture shapes (``images:``), ``(shape, file)`` in registry order.
    images: tuple[tuple[str, Path], ...] = ()

    def image_for(self, shape: str | None) -> Path | None:
        """The partner's own still for ``shape`` (None or 9:16: ``image``); None where it has none."""
        if shape is None or shape == DEFAULT_SHAPE:
            return self.image
        return dict(self.images).get(shape)

    @property
    def kind(self) -> str:
        """``video``, ``image`` or ``generated``."""
        if self.video is not None:
            return "video"
        return "image" if self.image is not None else "generated"


@dataclass(frozen=True)
class Partner:
    """A partner organisation of the channel.

    ``aliases`` are short forms that count as its name in texts (:mod:`vidcoop.channel.names`).
    """

    id: str
    name: str
    logo: Path
    bumper: PartnerBumper
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Channel:
    """A loaded ``channel.yaml``; paths are absolute.

    Attributes:
        kit_path: The brand kit's ``kit.yaml``; :meth:`kit` loads it.
        glossary: The caption glossary YAML (``terms:``/``replace:``), if any.
        approvals: Reviews needed before an episode counts as approved (``review: {approvals: N}``).
        studio_url: Where partners' personal links point (``studio_url:``), None for the local studio.
    """

    name: str
    path: Path
    kit_path: Path
    language: str
    glossary: Path | None
    formats: dict[str, Format] = field(default_factory=dict, hash=False, compare=False)
    partners: dict[str, Partner] = field(default_factory=dict, hash=False, compare=False)
    publishing: PublishSettings | None = field(default=None, hash=False, compare=False)
    anonymize_unknown_faces: bool = False
    approvals: int = 1
    studio_url: str | None = None
    # The kit, once loaded: one run asks for it a dozen times (planning, checks, bumpers, report, link page).
    _kit: list[BrandKit] = field(default_factory=list, init=False, repr=False, hash=False, compare=False)

    @property
    def publish(self) -> PublishSettings:
        """Platforms, post templates and cadence (``platforms:``, ``posts:``, ``cadence:``)."""
        return self.publishing or PublishSettings()

    @property
    def root(self) -> Path:
        return self.path.parent

    def kit(self) -> BrandKit:
        """The channel's brand kit, loaded and validated (once per loaded channel)."""
        if not self._kit:
            self._kit.append(load_kit(self.kit_path))
        return self._kit[0]

    def format(self, name: str) -> Format:
        """A format by id.

        Raises:
            ManifestError: naming the known formats.
        """
        return lookup(self.formats, name, ManifestError, what="format", field="formats", path=self.path)

    def partner(self, partner_id: str) -> Partner:
        """A partner by id.

        Raises:
            ManifestError: naming the known partners.
        """
        return lookup(self.partners, partner_id, ManifestError, what="partner", field="partners", path=self.path)


DEFAULT_BUMPER_LENGTH = Fraction(5, 2)


def _existing(root: Path, rel: str, path: Path, field_name: str) -> Path:
    target = (root / rel).resolve()
    if not target.is_file():
        raise ManifestError(f"file not found: {rel}", path=path, field=field_name)
    return target


def _bumper_images(root: Path, b: Any, path: Path, where: str) -> tuple[tuple[str, Path], ...]:
    """``bumper.images``: a still per other picture shape, only beside ``image:``."""
    if not b.images:
        return ()
    field_name = f"{where}.bumper.images"
    if b.image is None:
        raise ManifestError("images: only beside image: (the partner's own still in other picture shapes)",
                            path=path, field=field_name)
    for shape in b.images:
        if shape == DEFAULT_SHAPE:
            raise ManifestError(f"{shape} is the bumper's image:, not one of its images:", path=path,
                                field=f"{field_name}.{shape}")
        if shape not in SHAPES:
            known = ", ".join(s for s in SHAPES if s != DEFAULT_SHAPE)
            raise ManifestError(f"unknown picture shape {shape!r} (known: {known})", path=path,
                                field=f"{field_name}.{shape}")
    return tuple((shape, _existing(root, b.images[shape], path, f"{field_name}.{shape}"))
                 for shape in SHAPES if shape in b.images)


def _kit_path(root: Path, value: str, path: Path) -> Path:
    local = root / value
    try:
        return resolve_kit_path(local if local.exists() else value).resolve()
    except ManifestError as exc:
        raise ManifestError(
            f"brand kit {value!r} not found (a shipped kit's name, or a folder relative to the channel file)",
            path=path, field="brand_kit",
        ) from exc


def parse_channel(data: dict[str, Any], path: str | Path) -> Channel:
    """Validate channel data read from ``path`` into a :class:`Channel`.

    Raises:
        ManifestError: naming the file, the dotted field path and what was expected.
    """
    from pydantic import ValidationError


    path = Path(path).resolve()
    data, publish_data = split_publish_keys(data) if isinstance(data, dict) else (data, {})
    try:
        model = ChannelModel.model_validate(data)
        publish_model = PublishModel.model_validate(publish_data)
    except ValidationError as exc:
        raise pydantic_error(exc, path) from None
    for key, names in (("cadence", publish_model.cadence), ("posts", publish_model.posts)):
        for name in names:
            if name not in model.formats and not (key == "posts" and name == "default"):
                raise ManifestError(f"unknown format {name!r} (known: {', '.join(sorted(model.formats))})",
                                    path=path, field=f"{key}.{name}")
    root = path.parent
    formats = {}
    for name, fm in model.formats.items():
        formats[name] = Format(
            name=name,
            title=fm.title or name,
            structure=FormatStructure(**fm.structure.model_dump()),
            caption_style=fm.caption_style,
            max_length=Fraction(str(fm.max_length)),
            partner_slots=tuple(
                PartnerSlot(s.position, Fraction(str(s.max_bumper_length)), s.count) for s in fm.partner_slots
            ),
            allow_partner_names=tuple(fm.allow_partner_names),
        )
    partners = {}
    for pid, pm in model.partners.items():
        where = f"partners.{pid}"
        b = pm.bumper
        bumper = PartnerBumper(
            video=_existing(root, b.video, path, f"{where}.bumper.video") if b.video else None,
            image=_existing(root, b.image, path, f"{where}.bumper.image") if b.image else None,
            images=_bumper_images(root, b, path, where),
            duration=(
                None if b.video else Fraction(str(b.duration)) if b.duration is not None else DEFAULT_BUMPER_LENGTH
            ),
        )
        partners[pid] = Partner(pid, pm.name, checked_image(_existing(root, pm.logo, path, f"{where}.logo"), path,
                                                      f"{where}.logo"), bumper, tuple(pm.aliases))
    return Channel(
        name=model.name,
        path=path,
        kit_path=_kit_path(root, model.brand_kit, path),
        language=model.language,
        glossary=_existing(root, model.glossary, path, "glossary") if model.glossary else None,
        formats=formats,
        partners=partners,
        publishing=publish_settings(publish_model),
        anonymize_unknown_faces=model.privacy.anonymize_unknown_faces,
        approvals=model.review.approvals,
        studio_url=model.studio_url,
    )


def load_channel(path: str | Path) -> Channel:
    """Load and validate a ``channel.yaml``.

    Raises:
        ManifestError: for a missing file, bad YAML, schema problems or missing assets.
    """
    return parse_channel(load_yaml_mapping(path, what="channel config"), path)


class ChannelCache:
    """Channel configs loaded once per file, for a run that asks for them often (a batch, the week's posts,
    the studio). Call it, or ask ``.channel(path)``."""

    def __init__(self) -> None:
        self._loaded: dict[Path, Channel] = {}

    def channel(self, path: str | Path) -> Channel:
        key = Path(path).absolute()
        if key not in self._loaded:
            self._loaded[key] = load_channel(key)
        return self._loaded[key]

    __call__ = channel
