"""A partner's own still bumper in every picture shape (issue 30, fairness between partners).

A partner that brings its own still gives one per shape (``bumper.images``); where it has none, its 9:16
still is fitted into the frame and its logo is shown smaller than generated bumpers' logos: the check says so.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml

from vidcoop.channel.bumpers import partner_bumper
from vidcoop.channel.config import load_channel
from vidcoop.channel.policy import check_episode
from vidcoop.errors import ManifestError
from vidcoop.timeline.model import Episode, Segment

from .conftest import EXAMPLE_CHANNEL


def _png(path: Path, size: tuple[int, int], colour: tuple[int, int, int] = (30, 90, 160), step: int = 0) -> Path:
    """A still with a pattern of its own (``step``: stripes), so fingerprints tell the stills apart."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(img)
    if step:
        for x in range(-size[1], size[0], step):
            draw.line((x, 0, x + size[1], size[1]), fill=(250, 250, 250), width=step // 3)
    else:
        draw.ellipse((size[0] // 4, size[1] // 3, size[0] * 3 // 4, size[1] * 2 // 3), fill=(250, 250, 250))
    img.save(path)
    return path


def _channel(tmp_path: Path, bumper: dict[str, Any], platforms: list[str] | None = None,
             renditions: dict[str, list[str]] | None = None) -> Path:
    (tmp_path / "logo.png").write_bytes((EXAMPLE_CHANNEL.parent / "partners" / "caritas-musterstadt.png").read_bytes())
    _png(tmp_path / "b.png", (1080, 1920))
    _png(tmp_path / "b-1x1.png", (1080, 1080), (200, 40, 40), step=180)
    _png(tmp_path / "b-16x9.png", (1920, 1080), (40, 160, 40), step=120)
    data: dict[str, Any] = {
        "version": 1, "name": "Test", "brand_kit": "neutral",
        "formats": {"explainer": {"max_length": 60},
                    "board": {"max_length": 60, "structure": {"intro": False, "outro": False},
                              "partner_slots": [{"position": "between-items", "max_bumper_length": 3}]}},
        "partners": {"diakonie": {"name": "Diakonie", "logo": "logo.png", "bumper": bumper}},
    }
    if platforms is not None:
        data["platforms"] = platforms
    if renditions is not None:
        data["renditions"] = renditions
    path = tmp_path / "channel.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _error(path: Path) -> ManifestError:
    with pytest.raises(ManifestError) as info:
        load_channel(path)
    assert info.value.path in (str(path.resolve()), str(path))
    return info.value


def test_bumper_images_load_per_shape_and_partner_bumper_picks_the_shapes_own(tmp_path: Path) -> None:
    path = _channel(tmp_path, {"image": "b.png", "images": {"16:9": "b-16x9.png", "1:1": "b-1x1.png"},
                               "duration": 2})
    bumper = load_channel(path).partner("diakonie").bumper
    assert bumper.images == (("1:1", (tmp_path / "b-1x1.png").resolve()), ("16:9", (tmp_path / "b-16x9.png").resolve()))
    assert hash(bumper) == hash(load_channel(path).partner("diakonie").bumper)  # frozen, hashable as before
    channel = load_channel(path)
    assert partner_bumper(channel, "diakonie").source == (tmp_path / "b.png").resolve()
    assert partner_bumper(channel, "diakonie", shape="9:16").source == (tmp_path / "b.png").resolve()
    assert partner_bumper(channel, "diakonie", shape="1:1").source == (tmp_path / "b-1x1.png").resolve()
    assert partner_bumper(channel, "diakonie", shape="16:9").source == (tmp_path / "b-16x9.png").resolve()
    four_five = partner_bumper(channel, "diakonie", shape="4:5")
    assert four_five.source == (tmp_path / "b.png").resolve() and four_five.duration == Fraction(2)


@pytest.mark.parametrize(("bumper", "field", "message"), [
    ({"images": {"1:1": "b-1x1.png"}}, "partners.diakonie.bumper.images",
     "images: only beside image: (the partner's own still in other picture shapes)"),
    ({"video": "b.png", "images": {"1:1": "b-1x1.png"}}, "partners.diakonie.bumper.images",
     "images: only beside image: (the partner's own still in other picture shapes)"),
    ({"image": "b.png", "images": {"9:16": "b.png"}}, "partners.diakonie.bumper.images.9:16",
     "9:16 is the bumper's image:, not one of its images:"),
    ({"image": "b.png", "images": {"3:4": "b-1x1.png"}}, "partners.diakonie.bumper.images.3:4",
     "unknown picture shape '3:4' (known: 4:5, 1:1, 16:9)"),
    ({"image": "b.png", "images": {"1:1": "nope.png"}}, "partners.diakonie.bumper.images.1:1",
     "file not found: nope.png"),
])
def test_bad_bumper_images_name_the_field(tmp_path: Path, bumper: dict[str, Any], field: str, message: str) -> None:
    err = _error(_channel(tmp_path, bumper))
    assert (err.field, err.message) == (field, message)


def test_bumper_images_must_be_a_mapping(tmp_path: Path) -> None:
    err = _error(_channel(tmp_path, {"image": "b.png", "images": ["b-1x1.png"]}))
    assert (err.field, err.message) == ("partners.diakonie.bumper.images", "Input should be a valid dictionary")


def _board_episode(source: Path, **extra: Any) -> Episode:
    return Episode(segments=(Segment("job.png", duration=4, kind="card", partner="diakonie"),
                             Segment(source, duration=2, kind="bumper", partner="diakonie"),
                             Segment("job2.png", duration=4, kind="card", partner="diakonie")),
                   format="board", name="w49", extra=extra)


def _warnings(path: Path, episode: Episode) -> list[Any]:
    channel = load_channel(path)
    report = check_episode(episode, channel, image_sizes={})
    found = [w for w in report.warnings if w.rule == "partner-bumper-shape"]
    assert ("partner-bumper-shape" in report.passed) == (not found)
    return found


def test_check_warns_when_a_partners_own_still_lacks_a_shape_the_channel_renders(tmp_path: Path) -> None:
    path = _channel(tmp_path, {"image": "b.png", "duration": 2}, platforms=["tiktok", "instagram", "youtube"],
                    renditions={"instagram": ["9:16", "1:1"], "youtube": ["16:9"]})
    (warning,) = _warnings(path, _board_episode(tmp_path / "b.png"))
    assert warning.field == "partners.diakonie.bumper.images"
    assert warning.message == (
        "partner 'diakonie' has no bumper still of its own for 1:1, 16:9: its 9:16 still is fitted into those "
        "frames, so its logo is shown smaller there (1:1 0.56x, 16:9 0.56x) than the other partners' logos; "
        'add bumper.images: {"1:1": ..., "16:9": ...} in the channel file')


def test_check_says_the_4x5_scale_for_a_shape_the_episode_asks_for(tmp_path: Path) -> None:
    path = _channel(tmp_path, {"image": "b.png", "images": {"1:1": "b-1x1.png"}, "duration": 2},
                    platforms=["instagram"], renditions={"instagram": ["1:1"]})
    (warning,) = _warnings(path, _board_episode(tmp_path / "b.png", renditions=["9:16", "4:5"]))
    assert "for 4:5: its 9:16 still is fitted into that frame," in warning.message
    assert "(4:5 0.70x)" in warning.message and "1:1" not in warning.message


def test_no_warning_when_the_partner_has_a_still_for_each_shape(tmp_path: Path) -> None:
    path = _channel(tmp_path, {"image": "b.png", "images": {"1:1": "b-1x1.png", "16:9": "b-16x9.png"},
                               "duration": 2},
                    platforms=["tiktok", "instagram", "youtube"],
                    renditions={"instagram": ["9:16", "1:1"], "youtube": ["16:9"]})
    assert _warnings(path, _board_episode(tmp_path / "b.png")) == []


def test_no_warning_for_a_generated_bumper_or_a_channel_in_9x16_only(tmp_path: Path) -> None:
    (tmp_path / "g").mkdir()
    generated = _channel(tmp_path / "g", {"duration": 2}, platforms=["instagram"], renditions={"instagram": ["1:1"]})
    assert _warnings(generated, _board_episode(tmp_path / "g" / "b.png")) == []
    (tmp_path / "v").mkdir()
    vertical = _channel(tmp_path / "v", {"image": "b.png", "duration": 2}, platforms=["tiktok"])
    assert _warnings(vertical, _board_episode(tmp_path / "v" / "b.png")) == []


def test_a_partners_still_for_another_shape_is_recognised_as_its_bumper(tmp_path: Path) -> None:
    """The partner rule knows each shape's still by content: the 1:1 one in an explainer is partner media."""
    from vidcoop.errors import PolicyError

    path = _channel(tmp_path, {"image": "b.png", "images": {"1:1": "b-1x1.png"}, "duration": 2})
    explainer = Episode(segments=(Segment(tmp_path / "b-1x1.png", duration=2),), format="explainer", name="e1")
    with pytest.raises(PolicyError) as info:
        check_episode(explainer, load_channel(path), image_sizes={})
    assert info.value.rule == "unlabelled-partner-media"
    assert "is the bumper image (1:1) of partner 'diakonie' (b-1x1.png)" in info.value.message


def test_a_partner_logo_as_another_shapes_still_of_a_plain_segment_is_refused(tmp_path: Path) -> None:
    """An explainer that shows a plain still in 9:16 and the partner's logo as its 4:5 still (``images:``) shows
    the partner in the 4:5 rendition: the rule looks at every shape's still, and names the field."""
    from vidcoop.errors import PolicyError
    from vidcoop.timeline.model import SHAPE_STILLS

    path = _channel(tmp_path, {"duration": 2})
    plain = _png(tmp_path / "plain.png", (1080, 1920), (20, 20, 20), step=90)
    explainer = Episode(segments=(Segment(plain, duration=2),), format="explainer", name="e1",
                        extra={SHAPE_STILLS: {str(plain): {"4:5": str(tmp_path / "logo.png")}}})
    with pytest.raises(PolicyError) as info:
        check_episode(explainer, load_channel(path), image_sizes={})
    assert info.value.rule == "unlabelled-partner-media" and info.value.field == "segments.0.images.4:5"
    assert "logo.png" in info.value.message
    # without the logo in the 4:5 still, the same episode passes
    check_episode(Episode(segments=(Segment(plain, duration=2),), format="explainer", name="e1"),
                  load_channel(path), image_sizes={})


def test_a_manifests_bumper_of_the_partners_still_shows_its_own_still_per_shape(tmp_path: Path) -> None:
    """A hand-written episode that puts the partner's image: in a bumper shows the partner's 1:1 still in 1:1,
    as the job board does (a 4:5 without one keeps the 9:16 still; a segment's own images: stay first)."""
    from vidcoop.channel.assemble import as_rendered
    from vidcoop.engine.profiles import get_profile
    from vidcoop.timeline.model import SHAPE_STILLS

    path = _channel(tmp_path, {"image": "b.png", "images": {"1:1": "b-1x1.png", "16:9": "b-16x9.png"},
                               "duration": 2})
    channel = load_channel(path)
    own = _png(tmp_path / "own-16x9.png", (1920, 1080), step=60)
    episode = Episode(segments=(Segment(tmp_path / "b.png", duration=2, kind="bumper", partner="diakonie"),),
                      format="board", name="w49", extra={SHAPE_STILLS: {str(tmp_path / "b.png"): {"16:9": str(own)}}})
    shown = {}
    for shape in ("9:16", "4:5", "1:1", "16:9"):
        work = tmp_path / f"work-{shape.replace(':', 'x')}"
        work.mkdir()
        plan = as_rendered(episode, work, channel=channel, profile=get_profile("final").for_shape(shape)).plan
        (bumper,) = plan.segments
        shown[shape] = bumper.path.name
    assert shown == {"9:16": "b.png", "4:5": "b.png", "1:1": "b-1x1.png", "16:9": "own-16x9.png"}
