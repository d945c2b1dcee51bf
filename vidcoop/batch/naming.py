"""Where a week's outputs go: one naming rule for the batch, the week's posts and the studio."""

from __future__ import annotations

from pathlib import Path

from vidcoop.batch.manifest import Week
from vidcoop.engine.profiles import get_profile

COVER = "cover"  # the pseudo-profile of an episode's cover image


def output_path(week: Week, name: str, profile: str) -> Path:
    """``<output>/<episode><profile suffix>.mp4`` (final: no suffix, preview: ``.preview``);
    the cover is ``<output>/<episode>.cover.jpg``."""
    if profile == COVER:
        return week.output / f"{name}.cover.jpg"
    return week.output / f"{name}{get_profile(profile).suffix}.mp4"
