"""One run of the channel's rules: what it checks and what it has found so far (:class:`Check`), shared by
the rules (:mod:`vidcoop.channel.rules`) and :func:`vidcoop.channel.policy.check_episode`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from vidcoop.channel.config import Channel, Format
from vidcoop.channel.partner_media import PartnerMedia
from vidcoop.channel.spans import Durations, Span, UnknownLength, segment_spans
from vidcoop.errors import PolicyError
from vidcoop.media.image import image_size
from vidcoop.timeline.model import Episode, Overlay, Segment

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


def secs(t: Fraction) -> str:
    return f"{float(t):g} s"


def read_image_size(path: Path) -> tuple[int, int]:
    """Pixel size of an image file (reads only its header)."""
    return image_size(path)


@dataclass
class Check:
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
                where = seg_field(exc.index, exc.segment)
                raise self.fail(
                    "unknown-length",
                    f"the length of {Path(str(exc.segment.source)).name} is unknown",
                    where, hint="pass durations= with the probed source lengths",
                ) from None
        return self._spans


def seg_field(index: int, seg: Segment) -> str:
    return seg.field or f"segments.{index}"


def ov_field(index: int, ov: Overlay) -> str:
    return ov.field or f"overlays.{index}"


