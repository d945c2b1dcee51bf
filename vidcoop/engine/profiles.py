"""Output profiles: size, rate and encoder settings, by name."""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction

from vidcoop.errors import ManifestError
from vidcoop.shapes import DEFAULT_SHAPE, SHORT_SIDE, get_shape
from vidcoop.timeline.model import DESIGN_HEIGHT, DESIGN_WIDTH


@dataclass(frozen=True)
class Profile:
    """How the output is encoded.

    Attributes:
        name: Registry name.
        width, height: Output frame size (9:16 unless ``shape`` says otherwise).
        fps: Output frame rate; every cut is snapped to its frames.
        crf, preset: libx264 quality and speed.
        audio_rate, audio_bitrate: AAC settings.
        suffix: Added to the output name in batches (``.preview``).
        shape: The picture shape (:data:`vidcoop.shapes.SHAPES`) the size is of (:meth:`for_shape`).
    """

    name: str
    width: int = DESIGN_WIDTH
    height: int = DESIGN_HEIGHT
    fps: Fraction = Fraction(30)
    crf: int = 20
    preset: str = "medium"
    audio_rate: int = 48000
    audio_bitrate: str = "192k"
    suffix: str = ""
    shape: str = DEFAULT_SHAPE

    @property
    def scale(self) -> Fraction:
        """Output pixels per design pixel: every shape's short side is ``SHORT_SIDE`` design pixels
        (for 9:16 the design frame is ``DESIGN_WIDTH`` wide, as before renditions)."""
        return Fraction(min(self.width, self.height), SHORT_SIDE)

    @property
    def design_frame(self) -> tuple[int, int]:
        """The frame in design pixels (1080x1920 for 9:16, 1920x1080 for 16:9)."""
        if self.shape == DEFAULT_SHAPE:
            return DESIGN_WIDTH, DESIGN_HEIGHT
        shape = get_shape(self.shape)
        return shape.width, shape.height

    def for_shape(self, shape: str) -> Profile:
        """This profile at another picture shape: same short side, rate and encoder settings.

        Raises:
            ManifestError: an unknown shape.
        """
        try:
            width, height = get_shape(shape).size(min(self.width, self.height))
        except KeyError as exc:
            raise ManifestError(str(exc.args[0]), field="shape") from None
        return replace(self, width=width, height=height, shape=shape)

    def with_quality(self, *, crf: int | None = None, preset: str | None = None) -> Profile:
        return replace(self, crf=self.crf if crf is None else crf, preset=self.preset if preset is None else preset)


PROFILES: dict[str, Profile] = {
    "final": Profile("final"),
    "preview": Profile("preview", width=540, height=960, crf=28, preset="veryfast", audio_bitrate="128k",
                       suffix=".preview"),
}


def get_profile(profile: str | Profile) -> Profile:
    """Look a profile up by name (a Profile passes through)."""
    if isinstance(profile, Profile):
        return profile
    try:
        return PROFILES[profile]
    except KeyError:
        raise ManifestError(
            f"unknown output profile {profile!r}; expected one of: {', '.join(sorted(PROFILES))}",
            field="profile",
        ) from None
