"""Anonymising in a render of several picture shapes (#30): the face analysis runs once and one mask is made,
because the blur runs on the source before the one graph splits it to the shapes; every shape's picture
still has the face hidden (and, as a control, shows it when nothing is anonymised)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from vidcoop.engine.api import RenderOptions
from vidcoop.faces.analysis import AnalysisOptions, analyse
from vidcoop.pipeline import render_renditions
from vidcoop.shapes import shape_output
from vidcoop.timeline.model import Anonymize, Episode, Reframe, Segment

pytestmark = pytest.mark.slow

SHAPES = ("9:16", "1:1", "16:9")


def _render(source: Path, folder: Path, anonymize: Anonymize | None) -> dict[str, Path]:
    """The three shapes in one run, each following the face (``reframe: auto``), so each shows it."""
    episode = Episode([Segment(source, reframe=Reframe(mode="auto"), anonymize=anonymize)], title="faces")
    outputs = {shape: shape_output(folder / "ep.mp4", shape) for shape in SHAPES}
    render_renditions(episode, outputs, options=RenderOptions(profile="preview", loudness=False, captions=False))
    return outputs


def _counting(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often, from now on, the detector runs over a span, the engine asks for an analysis, and a mask
    video is written."""
    import vidcoop.engine.faces as engine_faces
    import vidcoop.faces.analysis as analysis_module

    counts = {"detector runs": 0, "analyses": 0, "masks": 0}

    def counted(name: str, real: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            counts[name] += 1
            return real(*args, **kwargs)
        return call

    monkeypatch.setattr(analysis_module, "_analyse", counted("detector runs", analysis_module._analyse))
    monkeypatch.setattr(engine_faces, "analyse", counted("analyses", engine_faces.analyse))
    monkeypatch.setattr(engine_faces, "write_mask", counted("masks", engine_faces.write_mask))
    return counts


def test_three_shapes_share_one_face_analysis_and_one_mask_and_each_hides_the_face(
        face_footage: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))  # nothing analysed before this render
    footage = face_footage["still"]
    counts = _counting(monkeypatch)
    hidden = _render(footage.path, tmp_path / "hidden", Anonymize(faces="all"))
    assert counts == {"detector runs": 1, "analyses": 1, "masks": 1}
    monkeypatch.undo()

    plain = _render(footage.path, tmp_path / "plain", None)
    sensitive = AnalysisOptions(threshold=0.3, sample_fps=25, proxy_height=480)
    for shape in SHAPES:
        seen = {round(t * 25) for tr in analyse(plain[shape], options=sensitive, cache=False).tracks
                for t, _ in tr.points}
        assert len(seen) >= 0.5 * 25 * footage.duration, f"control: the face is seen in the plain {shape}"
        found = analyse(hidden[shape], options=sensitive, cache=False).tracks
        assert found == (), f"a face is seen in the anonymised {shape}: {found}"
