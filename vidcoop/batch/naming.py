"""Where a week's outputs go: one naming rule for the batch, the week's posts and the studio."""

from __future__ import annotations

from pathlib import Path

from vidcoop.batch.manifest import Week
from vidcoop.engine.profiles import get_profile
from vidcoop.shapes import shape_output

COVER = "cover"  # the pseudo-profile of an episode's cover image


def output_path(week: Week, name: str, profile: str) -> Path:
    """``<output>/<episode><profile suffix>.mp4`` (final: no suffix, preview: ``.preview``);
    the cover is ``<output>/<episode>.cover.jpg``."""
    if profile == COVER:
        return week.output / f"{name}.cover.jpg"
    return week.output / f"{name}{get_profile(profile).suffix}.mp4"


def rendition_paths(week: Week, name: str, profile: str, shapes: tuple[str, ...]) -> list[tuple[str, Path]]:
    """Each picture shape's video of one episode and profile: the 9:16 one at :func:`output_path`, the
    others beside it (``<episode>.4x5.mp4``, ``<episode>.1x1.preview.mp4``)."""
    base = output_path(week, name, profile)
    return [(shape, shape_output(base, shape, get_profile(profile).suffix)) for shape in shapes]


def cover_paths(week: Week, name: str, shapes: tuple[str, ...]) -> list[tuple[str, Path]]:
    """Each picture shape's cover of one episode: the 9:16 one at :func:`output_path`, the others beside it
    (``<episode>.4x5.cover.jpg``), as each shape's video is beside the 9:16 one."""
    base = output_path(week, name, COVER)
    return [(shape, shape_output(base, shape, ".cover")) for shape in shapes]
