"""``anonymize:`` and ``reframe: auto`` through the real renderer: one encode, faces hidden, the rest untouched."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from vidcoop.faces.analysis import AnalysisOptions, analyse
from vidcoop.timeline.model import Anonymize, Episode, Keyframe, Reframe, Segment

pytestmark = pytest.mark.slow


def _frames(path: Path) -> list:
    import av

    with av.open(str(path)) as c:
        return [f.to_ndarray(format="rgb24") for f in c.decode(c.streams.video[0])]


def _render(src: Path, out: Path, *, anonymize: Anonymize | None, reframe: Reframe, crf: int | None = None):
    from vidcoop import render
    from vidcoop.engine.api import RenderOptions

    ep = Episode([Segment(src, reframe=reframe, anonymize=anonymize)], title="faces")
    # Near-lossless for the comparison: at the preview's CRF 28, two encodes differ by more than 40 dB anyway.
    return render(ep, out, options=RenderOptions(profile="preview", loudness=False, captions=False, crf=crf))


def test_anonymized_render_hides_every_face_and_keeps_the_rest(face_footage, tmp_path: Path) -> None:
    import numpy as np

    f = face_footage["moving"]
    fixed = Reframe(mode="crop", focus=(Keyframe(Fraction(0), 0.5),))
    plain = _render(f.path, tmp_path / "plain.mp4", anonymize=None, reframe=fixed, crf=8)
    hidden = _render(f.path, tmp_path / "hidden.mp4", anonymize=Anonymize(faces="all"), reframe=fixed, crf=8)
    assert hidden.command.count("-i") == plain.command.count("-i") + 1, "one mask input, still one encode"
    report = json.loads((tmp_path / "hidden.report.json").read_text(encoding="utf-8"))
    faces = report["extra"]["faces"][0]
    assert faces["anonymized"] is True and faces["face_tracks_covered"] >= 1

    sensitive = AnalysisOptions(threshold=0.3, sample_fps=25, proxy_height=480)
    seen_plain = analyse(plain.output, options=sensitive, cache=False)
    seen_hidden = analyse(hidden.output, options=sensitive, cache=False)
    plain_hits = {round(t * 25) for tr in seen_plain.tracks for t, _ in tr.points}
    assert len(plain_hits) >= 0.5 * 25 * f.duration * 0.4, "control: the detector sees the face when not hidden"
    hidden_hits = {round(t * 25) for tr in seen_hidden.tracks for t, _ in tr.points}
    assert not (hidden_hits & plain_hits), "no face detectable where the input had one"

    # Outside the padded boxes the picture is unchanged: PSNR >= 40 dB against the plain render.
    a, b = _frames(plain.output), _frames(hidden.output)
    assert len(a) == len(b)
    out_h, out_w = a[0].shape[:2]
    crop_w = int(min(1920, 1080 * 9 / 16) // 2 * 2)
    x_off, scale = (1920 - crop_w) * 0.5, out_w / crop_w
    errors, count = 0.0, 0
    out_fps = 30  # the preview profile's rate
    for i, (fa, fb) in enumerate(zip(a, b, strict=True)):
        t = i / out_fps
        keep = np.ones((out_h, out_w), dtype=bool)
        for when in (t - 0.3, t, t + 0.3):  # the mask holds and pads; leave out everywhere it may reach
            x0, y0, x1, y1 = f.face(min(max(when, 0), f.duration))
            pad_x, pad_y = (x1 - x0) * 0.6 + 40, (y1 - y0) * 0.6 + 40
            c0 = int(max(0, (x0 - pad_x - x_off) * scale))
            c1 = int(min(out_w, (x1 + pad_x - x_off) * scale))
            r0, r1 = int(max(0, (y0 - pad_y) * scale)), int(min(out_h, (y1 + pad_y) * scale))
            if c1 > c0:
                keep[r0:r1, c0:c1] = False
        diff = fa[keep].astype(np.float64) - fb[keep].astype(np.float64)
        errors += float((diff ** 2).sum())
        count += diff.size
    mse = errors / count
    psnr = 10 * np.log10(255 ** 2 / mse) if mse else float("inf")
    assert psnr >= 40, psnr


def test_auto_reframe_renders_in_one_graph(face_footage, tmp_path: Path) -> None:
    f = face_footage["cut"]
    result = _render(f.path, tmp_path / "auto.mp4", anonymize=None, reframe=Reframe(mode="auto"))
    graph = result.command[result.command.index("-filter_complex") + 1]
    assert graph.count("crop=") == 1 and "if(lt(t" in graph
    report = json.loads((tmp_path / "auto.report.json").read_text(encoding="utf-8"))
    assert report["extra"]["faces"][0]["reframe"] == "crop" and report["extra"]["faces"][0]["subjects"] == [0, 1]


def test_manifest_accepts_auto_and_anonymize(tmp_path: Path) -> None:
    from vidcoop.errors import ManifestError
    from vidcoop.timeline.manifest import load_episode

    clip = tmp_path / "a.mp4"
    clip.write_bytes(b"")
    p = tmp_path / "ep.yaml"
    p.write_text(
        "version: 1\nanonymize: faces\nsegments:\n"
        "  - {source: a.mp4, reframe: auto}\n"
        "  - source: a.mp4\n    reframe: {mode: auto, subject: left, fallback: fit-blur}\n"
        "    anonymize: {faces: all-but-subject, method: pixelate,"
        " regions: [{x: 10, y: 20, w: 100, h: 50, start: 0, end: 2}]}\n",
        encoding="utf-8")
    ep = load_episode(p)
    assert ep.segments[0].reframe.mode == "auto" and ep.segments[0].anonymize == Anonymize(faces="all")
    second = ep.segments[1]
    assert second.reframe.subject == "left" and second.reframe.fallback == "fit-blur"
    assert second.anonymize is not None and second.anonymize.method == "pixelate"
    assert second.anonymize.regions[0].w == 100
    p.write_text("version: 1\nsegments:\n  - {source: a.mp4, reframe: {mode: auto, subject: loudest}}\n",
                 encoding="utf-8")
    with pytest.raises(ManifestError) as info:
        load_episode(p)
    assert info.value.field == "segments.0.reframe.subject"


def test_faces_cli_bad_input_is_one_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from vidcoop.cli.main import cli

    runner = CliRunner()
    missing = runner.invoke(cli, ["faces", str(tmp_path / "nope.mp4")])
    assert missing.exit_code != 0 and isinstance(missing.exception, Exception)
    assert "file not found" in str(missing.exception) and "nope.mp4" in str(missing.exception)
    bad_time = runner.invoke(cli, ["faces", str(tmp_path / "nope.mp4"), "--in", "1e999"])
    assert bad_time.exit_code == 2 and "--in" in bad_time.output
