"""Tracks that expect motion, pans that are not cuts, and a crop path that keeps up (issue #29).

Pure and quick: detections and thumbnails are made up here, with the geometry of the generated footage
(a face about 77x100 px crossing 1920x1080), so every rule is checked without decoding video.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import pytest

from vidcoop.faces.model import Box, Detection, FaceAnalysis, Shot, Track
from vidcoop.faces.reframe import PathOptions, auto_path, crop_width, focus_at, format_moment
from vidcoop.faces.track import Tracker, link_tracks

W, H = 1920, 1080
FW, FH = 77.0, 100.0  # the detector's box of a face about 100 px high


def _box(cx: float, cy: float = 500.0) -> Box:
    return Box(cx - FW / 2, cy - FH / 2, cx + FW / 2, cy + FH / 2)


def _crossing(seconds: float, fps: float = 5.0, jitter: float = 3.0) -> list[Detection]:
    """A face from the left edge to the right edge in ``seconds``, seen ``fps`` times a second."""
    a, b = FW / 2 + 10, W - FW / 2 - 10
    out = []
    for i in range(int(seconds * fps) + 1):
        t = round(i / fps, 4)
        wobble = jitter * math.sin(7.3 * i)  # deterministic detector jitter
        out.append(Detection(t, _box(a + (b - a) * t / seconds + wobble, 500 + wobble), 0.9))
    return out


@pytest.mark.parametrize("seconds", [2, 3, 4, 6])
def test_a_crossing_face_is_one_track_at_five_samples_a_second(seconds: int) -> None:
    dets = _crossing(seconds)
    tracks = link_tracks(dets, (Shot(0, seconds + 0.2),), (W, H), 0.6)
    assert len(tracks) == 1 and len(tracks[0].points) == len(dets)
    # consecutive boxes barely overlap, which split the old overlap-linking into 10 and more pieces
    assert dets[0].box.iou(dets[1].box) < 0.1
    # after two points the prediction is close: the constant-velocity model expects the walk
    errors = [abs(px - box.cx) for (t, px, _), (_, box) in zip(tracks[0].predicted[2:], tracks[0].points[3:],
                                                                  strict=False)]
    assert max(errors) < FW / 2


def test_a_miss_of_half_a_second_keeps_the_track_and_it_is_predicted_through() -> None:
    dets = [d for d in _crossing(4) if not 1.0 < d.t < 1.5]  # 0.4 s without a detection, moving
    (track,) = link_tracks(dets, (Shot(0, 4.2),), (W, H), 0.6)
    after = next(p for p in track.predicted if p[0] == 1.6)
    truth = next(d.box for d in dets if d.t == 1.6)
    assert abs(after[1] - truth.cx) < FW  # predicted 0.6 s ahead, close


def test_two_faces_crossing_stay_two_tracks_through_the_moment_one_is_hidden() -> None:
    dets = []
    for i in range(21):
        t = round(i / 5, 4)
        a = 100 + 430 * t  # left to right
        b = 1820 - 430 * t  # right to left, a little lower
        if abs(a - b) > FW:  # while they overlap, the detector sees only the one in front
            dets.append(Detection(t, _box(a, 500), 0.9))
        dets.append(Detection(t, _box(b, 560), 0.9))
    tracks = link_tracks(dets, (Shot(0, 4.2),), (W, H), 0.6)
    assert len(tracks) == 2
    for tr in tracks:  # no swap: each keeps going the way it went
        xs = [b.cx for _, b in tr.points]
        assert all(q > p for p, q in itertools.pairwise(xs)) or all(q < p for p, q in itertools.pairwise(xs))


def test_a_face_that_walks_out_and_back_is_one_track_another_face_is_not() -> None:
    out = [Detection(round(i / 5, 4), _box(1500 + 100 * i), 0.9) for i in range(5)]  # to x = 1900: the edge
    back = [Detection(round(2.0 + i / 5, 4), _box(1880 - 60 * i), 0.9) for i in range(6)]  # 1.2 s later
    stranger = [Detection(round(2.0 + i / 5, 4), _box(100 + 60 * i), 0.9) for i in range(6)]  # from the left
    tracks = link_tracks(out + back, (Shot(0, 3.2),), (W, H), 0.6)
    assert len(tracks) == 1 and len(tracks[0].points) == 11
    assert tracks[0].box_at(1.5, hold=0.2, bridge=1.0) is None  # away: the mask does not glide across the gap
    assert tracks[0].box_at(1.5) is not None  # the crop does
    tracks = link_tracks(out + stranger, (Shot(0, 3.2),), (W, H), 0.6)
    assert len(tracks) == 2


def test_a_new_face_in_a_pan_starts_with_the_pictures_velocity() -> None:
    # the camera swings: a still face moves through the frame 1600 px a second (16 face sizes a second)
    dets = [Detection(round(i / 5, 4), _box(1850 - 1600 * i / 5), 0.9) for i in range(6)]
    alone = link_tracks(dets, (Shot(0, 1.2),), (W, H), 0.6)
    assert len(alone) > 1  # too fast to link without knowing the pan
    panned = link_tracks(dets, (Shot(0, 1.2),), (W, H), 0.6, motion=lambda a, b: (-1600.0, 0.0))
    assert len(panned) == 1


def test_tracks_never_cross_a_cut() -> None:
    dets = [Detection(round(i / 5, 4), _box(900), 0.9) for i in range(20)]
    tracks = link_tracks(dets, (Shot(0, 2.0), Shot(2.0, 4.0)), (W, H), 0.6)
    assert [tr.shot for tr in tracks] == [0, 1]


def test_sampling_speeds_up_for_fast_or_new_faces_only() -> None:
    still = Tracker(W, H, 0.6)
    for i in range(10):
        still.update(i / 5, 0, [_box(900)])
    assert not still.unsettled(2.0)  # still faces: 5 samples a second
    fast = Tracker(W, H, 0.6)
    for i in range(10):
        fast.update(i / 5, 0, [_box(100 + 900 * i / 5)])  # 12 face widths a second
    assert fast.unsettled(2.0)
    newcomer = Tracker(W, H, 0.6)
    for i in range(10):
        newcomer.update(i / 5, 0, [_box(900)] + ([_box(300)] if i in (1, 2) else []))
    assert newcomer.unsettled(0.65)  # a face was missed: the samples disagree
    assert not newcomer.unsettled(1.7)  # SETTLE after the last sample that missed it (1.0 s)


def test_analysis_json_keeps_predictions_and_pans() -> None:
    (track,) = link_tracks(_crossing(3), (Shot(0, 3.2),), (W, H), 0.6)
    a = FaceAnalysis(W, H, 3.2, 5.0, (Shot(0, 3.2),), (track,), (), ((0.0, 3.2),))
    back = FaceAnalysis.from_dict(a.to_dict())
    assert back.pans == ((0.0, 3.2),) and len(back.tracks[0].predicted) == len(track.predicted) > 0


def _path_for(track: Track, duration: float):
    analysis = FaceAnalysis(W, H, duration, 5.0, (Shot(0, duration),), (track,))
    return auto_path(analysis), analysis


@pytest.mark.parametrize("seconds", [3, 4, 6])
def test_the_crop_keeps_up_with_a_face_crossing_in_three_seconds_or_more(seconds: int) -> None:
    (track,) = link_tracks(_crossing(seconds, jitter=0), (Shot(0, seconds),), (W, H), 0.6)
    path, _ = _path_for(track, seconds)
    assert path.mode == "crop" and path.reason is None
    cw = path.crop_width
    xs = []
    for i in range(seconds * 25):
        t = i / 25
        x0 = focus_at(path.keys, t) * (W - cw)
        box = track.box_at(t)
        assert box is not None and x0 <= box.x0 and box.x1 <= x0 + cw, t  # the whole face, every frame
        xs.append(x0)
    assert max(abs(b - a) for a, b in itertools.pairwise(xs)) <= PathOptions().max_speed * cw / 25 * 1.25
    assert len(path.keys) <= seconds * 5 + 4


def test_a_face_crossing_in_two_seconds_is_followed_by_a_camera_that_starts_early() -> None:
    # 1.5 crop widths a second, faster than the camera (1.2); but the whole shot is known, so the crop
    # sets off early and keeps the whole face in every frame at its top speed (this widened before)
    (track,) = link_tracks(_crossing(2, jitter=0), (Shot(0, 2),), (W, H), 0.6)
    path, _ = _path_for(track, 2)
    assert path.mode == "crop" and path.widen == () and path.reason is None
    cw = path.crop_width
    xs = [focus_at(path.keys, i / 25) * (W - cw) for i in range(50)]
    for i, x0 in enumerate(xs):
        box = track.box_at(i / 25)
        assert box is not None and x0 - 0.5 <= box.x0 and box.x1 <= x0 + cw + 0.5, i / 25
    assert max(abs(b - a) for a, b in itertools.pairwise(xs)) <= PathOptions().max_speed * cw / 25 * 1.01


def _dash() -> list[Detection]:
    """As the generated ``dash`` scene and its analysis: a face standing at the left for 1 s, running to
    the right edge in 1.6 s (smoothly: at most 2.6 crop widths a second), standing there; seen 5 times a
    second, and 12.5 times from the sample after it set off until it stands again."""
    a, b = FW / 2 + 40, W - FW / 2 - 40
    times = [i / 5 for i in range(8)] + [1.4 + i * 0.08 for i in range(1, 16)] + [2.8 + i / 5 for i in range(7)]
    out = []
    for t in times:
        u = min(max((t - 1.0) / 1.6, 0.0), 1.0)
        out.append(Detection(round(t, 4), _box(a + (b - a) * u * u * (3 - 2 * u)), 0.9))
    return out


def test_a_face_faster_than_the_camera_widens_the_picture_for_the_moment_only() -> None:
    dets = _dash()
    (track,) = link_tracks(dets, (Shot(0, 4.0),), (W, H), 0.6)
    path, _ = _path_for(track, 4.0)
    assert path.mode == "crop" and len(path.widen) == 1
    (a, b, c, d) = path.widen[0]
    assert 0.5 < a < b < c < d < 3.5 and b - a == d - c == Fraction(1, 4)  # a moment, with its cross-fades
    cw = path.crop_width
    outside = []
    for i in range(100):
        t = i / 25
        x0 = focus_at(path.keys, t) * (W - cw)
        box = track.box_at(t)
        assert box is not None
        if not (x0 - 0.5 <= box.x0 and box.x1 <= x0 + cw + 0.5):
            outside.append(t)
    assert outside and all(b <= t <= c for t in outside)  # the face leaves the crop only while shown whole
    assert c - b < 2.0  # not the whole segment
    assert path.reason is not None and path.reason.startswith(f"fit-blur {format_moment(float(b), float(c))} ")
    assert path.said("segment 2") == f"fit-blur {format_moment(float(b), float(c))} in segment 2 " \
        "(subject faster than the camera)"
    assert format_moment(3.24, 64.06) == "0:03.2\u20131:04.1"


def test_a_subject_too_fast_for_most_of_the_segment_widens_the_whole_segment() -> None:
    (track,) = link_tracks(_crossing(1.0, fps=12.5, jitter=0), (Shot(0, 1.0),), (W, H), 0.6)
    path, _ = _path_for(track, 1.0)
    assert path.mode == "fit-blur" and path.widen == () and path.subjects == (track.id,)
    assert path.reason is not None and "whole segment" in path.reason
    assert path.said("segment 1").startswith("segment 1: fit-blur for the whole segment")


def test_a_cut_is_a_jump_of_the_crop_not_a_moment_shown_whole() -> None:
    dets = [Detection(round(i / 5, 4), _box(300 if i < 10 else 1600), 0.9) for i in range(20)]
    shots = (Shot(0, 2.0), Shot(2.0, 4.0))
    tracks = link_tracks(dets, shots, (W, H), 0.6)
    path = auto_path(FaceAnalysis(W, H, 4.0, 5.0, shots, tracks))
    assert path.mode == "crop" and path.widen == () and path.reason is None


def test_a_face_that_speeds_up_faster_than_the_filter_follows_stays_one_track() -> None:
    # standing, then off across the frame: the first fast sample is far from where the still track
    # expected it, so a new track starts; it leads back to where the first ended, and is rejoined
    dets = _dash()
    tracks = link_tracks(dets, (Shot(0, 4.0),), (W, H), 0.6)
    assert len(tracks) == 1 and len(tracks[0].points) == len(dets), [len(tr.points) for tr in tracks]


def test_a_still_face_holds_the_crop_despite_jitter() -> None:
    dets = [Detection(round(i / 5, 4), _box(1300 + 6 * math.sin(i)), 0.9) for i in range(20)]
    (track,) = link_tracks(dets, (Shot(0, 4),), (W, H), 0.6)
    path, _ = _path_for(track, 4)
    assert len({v for _, v in path.keys}) == 1


def test_the_subject_is_the_whole_person_not_the_longest_fragment() -> None:
    walker = Track(0, 0, tuple((i / 5, _box(200 + 80 * i)) for i in range(20)))  # on screen 4 s
    glimpse = Track(1, 0, tuple((i / 5, _box(1500).padded(0.2)) for i in range(3)))  # larger, 0.4 s
    analysis = FaceAnalysis(W, H, 4.0, 5.0, (Shot(0, 4.0),), (walker, glimpse))
    assert auto_path(analysis).subjects == (0,)
    assert crop_width(W, H) == 606


def test_a_whip_pan_is_not_a_cut_and_a_cut_is() -> None:
    np = pytest.importorskip("numpy")
    cv2 = pytest.importorskip("cv2")
    pytest.importorskip("scenedetect")
    from vidcoop.faces.analysis import AnalysisOptions, _ShotFinder
    from vidcoop.faces.motion import GlobalMotion

    rng = np.random.default_rng(1)
    world = cv2.resize(rng.integers(0, 255, (27, 200, 3)).astype(np.uint8), (800, 54))
    other = cv2.resize(rng.integers(0, 255, (27, 48, 3)).astype(np.uint8), (96, 54))

    def cuts(cut_at: int | None) -> list[float]:
        motion = GlobalMotion(20.0)
        shots = _ShotFinder(AnalysisOptions(), 25.0, motion)
        x = 0
        for i in range(100):
            x += 2 if i >= 30 else 0  # still, then the camera swings at 40 source px a frame
            thumb = other if cut_at is not None and i >= cut_at else np.ascontiguousarray(world[:, x:x + 96])
            motion.feed(i / 25, thumb)
            shots.feed(i / 25, thumb)
        return shots.cuts()

    assert cuts(None) == []  # PySceneDetect alone reports a cut where the swing starts
    assert cuts(70) == [2.8]


def test_the_plot_draws_each_linked_track_in_its_colour_with_predicted_positions(tmp_path) -> None:
    from PIL import Image

    from vidcoop.faces.plot import _COLORS, plot_path

    walker = link_tracks(_crossing(4), (Shot(0, 4.2),), (W, H), 0.6)[0]
    still = Track(1, 0, tuple((i / 5, _box(1500, 300)) for i in range(20)))
    analysis = FaceAnalysis(W, H, 4.2, 5.0, (Shot(0, 4.2),), (walker, still), (), ((1.0, 2.0),))
    target = plot_path(analysis, auto_path(analysis), tmp_path / "plot.png")
    img = Image.open(target).convert("RGB")
    colours = {c for _, c in img.getcolors(1 << 20)}

    def rgb(hex_colour: str) -> tuple[int, int, int]:
        return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]

    assert rgb(_COLORS[0]) in colours and rgb(_COLORS[1]) in colours  # one colour per linked track
    assert rgb("#e3ecfa") in colours  # the pan
    # a ring at a predicted position: the walker's colour around it, not on the line itself
    t, cx, _ = walker.predicted[5]
    x = 70 + t / 4.2 * (1200 - 70 - 20)
    y = 40 + cx / W * (600 - 40 - 50)
    ring = {img.getpixel((round(x + dx), round(y + dy))) for dx in range(-5, 6) for dy in (-4, 4)}
    assert rgb(_COLORS[0]) in ring


def test_a_sample_between_the_regular_ones_looks_only_where_the_followed_faces_can_be() -> None:
    from vidcoop.faces.analysis import _window

    tracker = Tracker(W, H, 0.6)
    for i in range(3):
        tracker.update(i / 5, 0, [_box(400 + 200 * i)])  # 1000 px a second
    (region,) = tracker.regions(0.5)
    assert region[0] == pytest.approx(800 + 1000 * 0.1, abs=1) and region[2] > FW  # ahead, as predicted
    sx = sy = 1080 / 288
    window = _window(tracker.regions(0.5), (512, 288), sx, sy)
    assert window is not None
    x0, y0, x1, y1 = window
    assert all(v % 32 == 0 for v in window) and (x1 - x0) * (y1 - y0) <= 0.5 * 512 * 288
    assert x0 * sx < 900 - FW / 2 and x1 * sx > 900 + FW / 2  # the face, where it is expected
    assert _window([], (512, 288), sx, sy) is None  # nothing followed: look at it all
    assert _window([(960.0, 540.0, 900.0)], (512, 288), sx, sy) is None  # most of the picture: all of it
