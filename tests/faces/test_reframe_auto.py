"""Analysis and ``reframe: auto`` measured on composited footage against the known face positions."""

from __future__ import annotations

import itertools

import pytest

from vidcoop.faces.analysis import AnalysisOptions, analyse
from vidcoop.faces.reframe import auto_path, focus_at

pytestmark = pytest.mark.slow  # decodes 1080p footage and runs CenterFace
FPS = 25  # the footage's rate (tests/faces/conftest.py)


def _crop_x0(path, analysis, t: float) -> float:
    return focus_at(path.keys, t) * (analysis.width - path.crop_width)


def _frames(f) -> list[float]:
    return [i / FPS for i in range(int(f.duration * FPS))]


def test_shots_and_tracks(face_footage) -> None:
    cut = analyse(face_footage["cut"].path, cache=False)
    assert len(cut.shots) == 2 and abs(cut.shots[1].start - 2.0) <= 1 / FPS
    assert len(cut.tracks) == 2 and {tr.shot for tr in cut.tracks} == {0, 1}
    two = analyse(face_footage["two"].path, cache=False)
    assert len(two.shots) == 1 and len(two.tracks) == 2
    still = analyse(face_footage["still"].path, cache=False)
    truth = face_footage["still"].face(1.0)
    box = still.tracks[0].box_at(1.0)
    assert box is not None and abs(box.cx - (truth[0] + truth[2]) / 2) < 30


@pytest.mark.parametrize("name", ["moving", "still", "cut"])
def test_face_stays_inside_the_crop(face_footage, name: str) -> None:
    f = face_footage[name]
    analysis = analyse(f.path)
    path = auto_path(analysis)
    frames = _frames(f)
    inside = 0
    for t in frames:
        x0 = _crop_x0(path, analysis, t)
        fx0, _, fx1, _ = f.face(t)
        inside += x0 - 0.5 <= fx0 and fx1 <= x0 + path.crop_width + 0.5
    assert inside / len(frames) >= 0.98, (name, inside, len(frames))
    assert len(path.keys) <= f.duration * 5 + 4, "a handful of keyframes per second at most"


def test_still_face_holds_the_crop(face_footage) -> None:
    f = face_footage["still"]
    analysis = analyse(f.path)
    path = auto_path(analysis)
    xs = [_crop_x0(path, analysis, t) for t in _frames(f)]
    assert max(abs(b - a) for a, b in itertools.pairwise(xs)) <= 1.0


def test_cut_jumps_to_the_new_position_without_drift(face_footage) -> None:
    f = face_footage["cut"]
    analysis = analyse(f.path)
    path = auto_path(analysis)
    before = _crop_x0(path, analysis, 1.9)
    after = [_crop_x0(path, analysis, 2.0 + i / FPS) for i in range(1, int(0.5 * FPS))]
    new_face = f.face(2.5)
    # On the new position within 0.5 s: the new face is inside the crop from the first frames after the cut.
    assert all(x <= new_face[0] and new_face[2] <= x + path.crop_width for x in after)
    assert all(abs(x - after[-1]) <= 1.0 for x in after), "no drift from the old position"
    assert abs(before - after[0]) > 500


@pytest.mark.parametrize(("subject", "side"), [("left", 0), ("right", 1), ("largest", None)])
def test_subject_picks_one_of_two(face_footage, subject: str, side: int | None) -> None:
    f = face_footage["two"]
    analysis = analyse(f.path)
    path = auto_path(analysis, subject=subject)
    x0 = _crop_x0(path, analysis, 2.0)
    left_face, right_face = f.face(2.0), (f.second_x + 55, 0, f.second_x + 155, 0)
    faces = [left_face, right_face]
    if side is not None:
        face = faces[side]
        assert x0 <= face[0] and face[2] <= x0 + path.crop_width
    else:  # one of them, fully
        assert any(x0 <= fc[0] and fc[2] <= x0 + path.crop_width for fc in faces)


def test_analysis_is_cached_by_content(face_footage, monkeypatch) -> None:
    import vidcoop.faces.analysis as mod

    f = face_footage["still"]
    first = analyse(f.path, 0.0, 2.0)

    def boom(*args, **kwargs):
        raise AssertionError("analysed again")

    monkeypatch.setattr(mod, "_analyse", boom)
    assert analyse(f.path, 0.0, 2.0) == first
    with pytest.raises(AssertionError, match="analysed again"):
        analyse(f.path, 0.0, 2.0, AnalysisOptions(threshold=0.4))  # other parameters: another key


def test_no_face_uses_the_fallback(make_media) -> None:
    clip = make_media("noface.mp4", "testsrc2=s=640x360:r=25:d=2")
    analysis = analyse(clip)
    assert analysis.tracks == ()
    assert auto_path(analysis).keys[0][1] == 0.5
    assert auto_path(analysis, fallback="fit-blur").mode == "fit-blur"
