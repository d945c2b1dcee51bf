"""Covers show the frame as rendered: ``reframe: auto`` through the render's face analysis, overlays,
and an automatic pick that takes a face over a sharper test pattern (scikit-image's astronaut footage)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from vidcoop.cover import CoverOptions, is_test_pattern, make_cover
from vidcoop.timeline.model import AUTO_REFRAME, Anonymize, Episode, Keyframe, Overlay, Reframe, Segment

pytestmark = pytest.mark.slow


def _faces_on(cover: Path) -> int | None:
    from PIL import Image

    from vidcoop.cover.frames import count_faces

    with Image.open(cover) as img:
        return count_faces(img.convert("RGB"))


def test_cover_of_an_auto_reframed_episode_shows_the_face(tmp_path: Path, face_footage) -> None:
    still = face_footage["still"]  # the face sits at x 1300..1560 of 1920: a centre crop misses it
    episode = Episode(segments=(Segment(still.path, reframe=Reframe(mode=AUTO_REFRAME)),), title="Wohngeld",
                      name="ep")
    result = make_cover(episode, tmp_path / "ep.cover.jpg", CoverOptions(at=Fraction(2), title=""))
    assert _faces_on(result.output) == 1
    centre = make_cover(Episode(segments=(Segment(still.path),), title="", name="ep2"), tmp_path / "centre.jpg",
                        CoverOptions(at=Fraction(2), title=""))
    assert _faces_on(centre.output) == 0  # the plain centre crop really misses it


def test_auto_cover_prefers_the_face_over_a_sharper_test_pattern(tmp_path: Path, face_footage, make_media) -> None:
    bars = make_media("bars.mp4", "testsrc2=s=1280x720:r=25:d=3")
    moving = face_footage["moving"]
    episode = Episode(
        segments=(Segment(bars), Segment(moving.path, reframe=Reframe(mode=AUTO_REFRAME))),
        title="Was ist Wohngeld?", name="ep",
    )
    result = make_cover(episode, tmp_path / "auto.jpg")
    assert result.segment == 1 and result.faces >= 1
    assert result.episode_time >= 3


def test_test_patterns_are_told_from_footage(make_media, face_footage) -> None:
    from PIL import Image

    from vidcoop.cover.frames import decode_frames

    for source in ("testsrc2=s=640x360", "smptebars=s=640x360", "smptehdbars=s=640x360", "rgbtestsrc=s=640x360"):
        png = make_media(f"{source.split('=')[0]}.png", f"{source}:d=1")
        with Image.open(png) as img:
            assert is_test_pattern(img), source
    (frame,) = decode_frames(face_footage["still"].path, [Fraction(1)])
    assert not is_test_pattern(frame.image)


def test_cover_shows_the_overlays_of_that_time(tmp_path: Path, face_footage, make_media) -> None:
    red = make_media("red_card.png", "color=c=red:s=400x200:d=1")
    still = face_footage["still"]
    episode = Episode(segments=(Segment(still.path),), title="", name="ep",
                      overlays=(Overlay(red, start=Fraction(1), end=Fraction(2), anchor="center", width=400),))
    from PIL import Image

    shown = make_cover(episode, tmp_path / "with.jpg", CoverOptions(at=Fraction(3, 2)))
    gone = make_cover(episode, tmp_path / "without.jpg", CoverOptions(at=Fraction(3)))
    with Image.open(shown.output) as a, Image.open(gone.output) as b:
        ra, ga, ba = a.convert("RGB").getpixel((540, 960))
        rb, gb, bb = b.convert("RGB").getpixel((540, 960))
    assert ra > 200 and ga < 60 and ba < 60
    assert not (rb > 200 and gb < 60 and bb < 60)


def test_a_cover_hides_the_faces_the_video_hides(tmp_path: Path, face_footage) -> None:
    still = face_footage["still"]
    on_face = Reframe(mode="crop", focus=(Keyframe(Fraction(0), 0.8),))  # the crop holds the face
    shown = Episode(segments=(Segment(still.path, reframe=on_face),), title="", name="ep")
    assert _faces_on(make_cover(shown, tmp_path / "shown.jpg", CoverOptions(at=Fraction(2))).output) == 1
    hidden = Episode(segments=(Segment(still.path, reframe=on_face, anonymize=Anonymize(faces="all")),),
                     title="", name="ep")
    result = make_cover(hidden, tmp_path / "hidden.jpg", CoverOptions(at=Fraction(2)))
    assert _faces_on(result.output) == 0  # the render's mask is in the cover's graph too


def test_a_cover_at_a_lower_third_keeps_its_title_clear_of_it_and_of_the_face(tmp_path: Path) -> None:
    """``vidcoop cover --at`` at a time the lower third shows (the example explainer at 4 s): the title panel
    covers neither the name nor the speaker's face."""
    import shutil

    from PIL import Image

    from vidcoop.cover.frames import face_boxes
    from vidcoop.timeline.manifest import load_episode

    root = Path(__file__).resolve().parents[2] / "examples"
    shutil.copytree(root, tmp_path / "ex", ignore=shutil.ignore_patterns("out"))
    episode = load_episode(tmp_path / "ex" / "episodes" / "was-ist-buergergeld.yaml")
    result = make_cover(episode, tmp_path / "c.jpg", CoverOptions(at=Fraction(4)))
    assert result.layout is not None
    x0, y0, x1, y1 = result.layout.panel
    with Image.open(result.output) as img:
        faces = face_boxes(img.convert("RGB"))
        # the lower third's accent bar (the kit's yellow) is still on screen, beside the name box
        yellow = [(x, y) for x in range(20, 140, 4) for y in range(300, 900, 4)
                  if _is_accent(img.convert("RGB").getpixel((x, y)))]
    assert faces and all(y1 <= f[1] or f[3] <= y0 for f in faces), (result.layout.panel, faces)
    assert yellow and not any(x0 <= x <= x1 and y0 <= y <= y1 for x, y in yellow)


def _is_accent(rgb: tuple[int, int, int]) -> bool:
    r, g, b = rgb
    return r > 200 and g > 150 and b < 120
