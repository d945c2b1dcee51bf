"""Lower thirds keep clear of faces: the geometry on its own, then real renders of a composited face."""

from __future__ import annotations

import json
import os
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vidcoop.engine import RenderOptions
from vidcoop.faces.model import Box, FaceAnalysis, Shot, Track
from vidcoop.faces.placement import Placement, frame_faces, free_top, meets, sample_times
from vidcoop.timeline.model import Keyframe, Reframe

from .conftest import H, W


def _analysis(box: tuple[float, float, float, float], width: int = 1920, height: int = 1080) -> FaceAnalysis:
    track = Track(0, 0, tuple((t / 5, Box(*box)) for t in range(21)))  # the same face for 4 s
    return FaceAnalysis(width, height, 4.0, 5.0, (Shot(0.0, 4.0),), (track,))


def test_faces_map_through_the_crop_and_its_moving_focus() -> None:
    face = _analysis((900.0, 400.0, 1000.0, 530.0))  # 100x130 px; padded by 20 % a side: 880-1020, 374-556
    # 1080x1920 out of 1920x1080: the crop is 606x1080 (even), scaled to 1080x1920 as the scale filter does
    sx, sy = 1080 / 606, 1920 / 1080
    left = frame_faces(face, Reframe(mode="crop", focus=(Keyframe(0, 0.0),)), 1.0, 4.0, (1080, 1920))
    assert left == [pytest.approx((880 * sx, 374 * sy, 1020 * sx, 556 * sy))]
    moving = Reframe(mode="crop", focus=(Keyframe(0, 0.0), Keyframe(2, 1.0)))
    (mid,) = frame_faces(face, moving, 1.0, 4.0, (1080, 1920))  # focus 0.5: x0 = (1920 - 606) / 2
    assert mid[0] == pytest.approx((880 - 657) * sx) and mid[1] == pytest.approx(374 * sy)


def test_faces_map_through_fit_and_the_slow_zoom() -> None:
    face = _analysis((800.0, 300.0, 1100.0, 700.0))  # a close-up: padded, 740-1160 x 220-780
    # fit-pad: the whole 1920x1080 frame 1080 wide, centred: scale 0.5625, 656.25 px above it
    (fit,) = frame_faces(face, Reframe(mode="fit-pad"), 1.0, 4.0, (1080, 1920))
    s, top = 1080 / 1920, (1920 - 1080 * 1080 / 1920) / 2
    assert fit == pytest.approx((740 * s, 220 * s + top, 1160 * s, 780 * s + top))
    # zoom 1.0 -> 1.2 over 4 s: at 2 s 1.1 about the frame's centre
    (zoomed,) = frame_faces(face, Reframe(mode="fit-pad", zoom=(1.0, 1.2)), 2.0, 4.0, (1080, 1920))
    assert zoomed == pytest.approx(tuple((v - c) * 1.1 + c for v, c in zip(fit, (540, 960, 540, 960), strict=True)))


def test_a_moment_shown_whole_places_the_face_where_both_pictures_show_it() -> None:
    from fractions import Fraction

    face = _analysis((800.0, 300.0, 1100.0, 700.0))
    moment = (Fraction(1), Fraction(5, 4), Fraction(2), Fraction(9, 4))
    rf = Reframe(mode="crop", focus=(Keyframe(0, 0.5),), widen=(moment,))
    (fit,) = frame_faces(face, Reframe(mode="fit-blur"), 1.5, 4.0, (1080, 1920))
    (cropped,) = frame_faces(face, Reframe(mode="crop", focus=(Keyframe(0, 0.5),)), 1.5, 4.0, (1080, 1920))
    assert frame_faces(face, rf, 0.5, 4.0, (1080, 1920)) == [cropped]  # before the moment: the crop
    assert frame_faces(face, rf, 1.1, 4.0, (1080, 1920)) == [cropped, fit]  # cross-fading: both
    assert frame_faces(face, rf, 1.5, 4.0, (1080, 1920)) == [cropped, fit]
    assert frame_faces(face, rf, 2.3, 4.0, (1080, 1920)) == [cropped]


def test_small_faces_are_passers_by() -> None:
    tiny = _analysis((900.0, 400.0, 930.0, 430.0))  # 30 px of 1080: 2.8 % of the height
    assert frame_faces(tiny, Reframe(mode="crop", focus=(Keyframe(0, 0.5),)), 1.0, 4.0, (1080, 1920)) == []


def test_free_top_moves_up_just_enough_and_never_down() -> None:
    card = (40, 800, 600, 190)
    face = (100.0, 700.0, 500.0, 1100.0)
    assert free_top(card, [], 200, 24) == 800
    assert free_top(card, [(700.0, 700.0, 900.0, 1100.0)], 200, 24) == 800  # beside the card: no matter
    assert free_top(card, [face], 200, 24) == 700 - 24 - 190  # just above the face and its gap
    logo = (40.0, 300.0, 300.0, 450.0)  # above the face, with room for the card between
    assert free_top(card, [face, logo], 200, 24) == 700 - 24 - 190
    big_logo = (40.0, 300.0, 300.0, 620.0)
    assert free_top(card, [face, big_logo], 200, 24) is None  # no room between; above the logo is off-limits
    assert free_top(card, [face, big_logo], 0, 24) == 300 - 24 - 190  # with a higher safe top: above both
    assert not meets(card, (0.0, 990.0, 1080.0, 1200.0)) and meets(card, (0.0, 989.0, 1080.0, 1200.0))


def test_samples_cover_the_whole_time_and_the_warning_names_it() -> None:
    times = sample_times(0.5, 1.5)
    assert times[0] == 0.5 and 1.49 < times[-1] < 1.5 and max(np.diff(times)) <= 0.2 + 1e-9
    assert sample_times(2.0, 2.0) == []
    stuck = Placement("lower third: Aylin Demir", "lower_thirds.0", 3.0, 7.0, 835, clear=False)
    assert stuck.warning() == ("lower third: Aylin Demir covers a face at 3.0-7.0s and has no free place in the "
                               "safe zone; shorten it or move it in the manifest")
    assert Placement("x", None, 0, 1, 500, moved_from=835).warning() is None
    assert stuck.to_dict()["clear_of_faces"] is False


def _frame(path: Path, t: float) -> np.ndarray:
    import av

    with av.open(str(path)) as box:
        for frame in box.decode(video=0):
            if frame.time is not None and frame.time >= t:
                return frame.to_ndarray(format="rgb24")
    raise AssertionError(f"no frame at {t}s")


def test_a_lower_third_moves_off_a_face_and_the_face_shows(face_footage, tmp_path: Path) -> None:
    from vidcoop.pipeline import render
    from vidcoop.timeline.manifest import episode_from_dict

    still = face_footage["still"]  # the face at 1355-1455 x 430-560 of 1920x1080, all the time
    ep = episode_from_dict({
        "version": 1,
        "segments": [{"source": str(still.path), "out": 3, "reframe": "auto"}],
        "lower_thirds": [{"name": "Aylin Demir", "role": "Beraterin", "start": 0.5, "end": 2.5}],
    }, base=tmp_path, source=tmp_path / "ep.yaml")  # fmt: skip
    out = tmp_path / "lt.mp4"
    result = render(ep, out, profile="preview", options=RenderOptions(loudness=False))
    assert result.warnings == ()
    [card] = [o for o in result.plan.overlays if o.overlay.kind == "lower-third"]
    report = json.loads(out.with_suffix(".report.json").read_text(encoding="utf-8"))
    [placed] = report["extra"]["lower_thirds"]
    assert placed["clear_of_faces"] is True and placed["moved_from_y"] > placed["y"] == card.box.y
    # the true face on the 540x960 output: the crop followed it (focus from the plan)
    reframe = result.plan.segments[0].segment.reframe
    assert reframe.mode == "crop"
    cw = int(min(W, H * 540 / 960) // 2 * 2)
    x0 = (W - cw) * reframe.focus[0].value
    s = 960 / H
    fx0, fy0, fx1, fy1 = still.face(1.0)
    face = ((fx0 - x0) * s, fy0 * s, (fx1 - x0) * s, fy1 * s)
    assert card.box.bottom <= face[1]  # the card is above the face
    assert card.box.y >= 0
    # and the face's pixels are the same while the card shows (1.5 s) as after it (2.8 s)
    rows, cols = slice(int(face[1]), int(face[3])), slice(int(face[0]), int(face[2]))
    during, after = _frame(out, 1.5)[rows, cols], _frame(out, 2.8)[rows, cols]
    assert np.abs(during.astype(int) - after.astype(int)).mean() < 6
    box = card.box  # the card is drawn where the plan says
    inside = _frame(out, 1.5)[box.y + 4:box.bottom - 4, box.x + 30:box.right - 8]
    outside = _frame(out, 2.8)[box.y + 4:box.bottom - 4, box.x + 30:box.right - 8]
    assert np.abs(inside.astype(int) - outside.astype(int)).mean() > 20


def test_no_free_place_keeps_the_card_and_warns(make_media, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from vidcoop.engine import faces as engine_faces
    from vidcoop.pipeline import render
    from vidcoop.timeline.manifest import episode_from_dict

    clip = make_media("lt_plain.mp4", "testsrc2=s=640x360:r=25:d=3", None)
    # a face filling the frame's height (as in a close-up): nowhere in the safe zone is free of it
    # where the render looks the analysis up (the engine imports it at module top)
    monkeypatch.setattr(engine_faces, "analyse", lambda *a, **k: _analysis((200.0, 20.0, 440.0, 340.0), 640, 360))
    ep = episode_from_dict({
        "version": 1,
        "segments": [{"source": str(clip), "out": 3, "reframe": {"mode": "crop", "focus": 0.5}}],
        "lower_thirds": [{"name": "Aylin Demir", "start": 0.5, "end": 2.0}],
    }, base=tmp_path, source=tmp_path / "ep.yaml")  # fmt: skip
    out = tmp_path / "stuck.mp4"
    result = render(ep, out, profile="preview", options=RenderOptions(loudness=False))
    [card] = [o for o in result.plan.overlays if o.overlay.kind == "lower-third"]
    assert result.warnings == ("lower third: Aylin Demir covers a face at 0.5-2.0s and has no free place in the "
                               "safe zone; shorten it or move it in the manifest",)
    report = json.loads(out.with_suffix(".report.json").read_text(encoding="utf-8"))
    [placed] = report["extra"]["lower_thirds"]
    assert placed["clear_of_faces"] is False and "moved_from_y" not in placed  # stays at the kit's place
    assert (placed["y"], placed["start"]) == (card.box.y, float(card.start)) and card.start == Fraction(1, 2)


_boxes = st.lists(
    st.tuples(st.integers(0, 1000), st.integers(0, 1900), st.integers(1, 600), st.integers(1, 700)).map(
        lambda b: (float(b[0]), float(b[1]), float(b[0] + b[2]), float(b[1] + b[3]))
    ),
    max_size=4,
)


@settings(max_examples=300, deadline=None, derandomize=os.environ.get("CI", "").lower() == "true")
@given(y=st.integers(0, 1700), h=st.integers(20, 300), top=st.integers(0, 400), gap=st.integers(0, 40),
       blocked=_boxes)  # fmt: skip
def test_free_top_is_the_lowest_free_height_at_or_above_the_card(
    y: int, h: int, top: int, gap: int, blocked: list[tuple[float, float, float, float]]
) -> None:
    card = (40, y, 600, h)

    def free(at: int) -> bool:  # by brute force: inside the limits, and no blocked box (grown by the gap) met
        grown = [(b[0], b[1] - gap, b[2], b[3] + gap) for b in blocked]
        return top <= at <= y and not any(meets((40, at, 600, h), b) for b in grown)

    found = free_top(card, blocked, top, gap)
    best = next((at for at in range(y, top - 1, -1) if free(at)), None)
    assert found == best
