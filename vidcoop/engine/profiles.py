"""Output profiles: size, rate and encoder settings, by name."""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction

from vidcoop.errors import ManifestError
from vidcoop.timeline.model import DESIGN_HEIGHT, DESIGN_WIDTH


@dataclass(frozen=True)
class Profile:
    """How the output is encoded.

    Attributes:
        name: Registry name.
        width, height: Output frame size (9:16).
        fps: Output frame rate; every cut is snapped to its frames.
        crf, preset: libx264 quality and speed.
        audio_rate, audio_bitrate: AAC settings.
        suffix: Added to the output name in batches (``.preview``).
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

    @property
    def scale(self) -> Fraction:
        """Output pixels per design pixel (the design frame is ``DESIGN_WIDTH`` wide)."""
        return Fraction(self.width, DESIGN_WIDTH)

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
