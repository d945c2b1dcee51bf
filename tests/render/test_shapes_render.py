"""Every picture shape rendered from one edit in one ffmpeg run, on generated footage with a face.

The footage is a 1920x1080 interview: scikit-image's astronaut face pasted on the right of a textured,
blue-grey background (the face is the only reddish thing in the picture, so it is found on frames by
colour), with a tone as its sound. Captions come from a caption file, so no model is needed; the cue's
text is long enough that each shape re-wraps it to its own width.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.render.test_pipeline import frame_at
from vidcoop.brand.kit import load_kit
from vidcoop.media.probing import probe
from vidcoop.media.runner import run_ffmpeg, usable_cores
from vidcoop.pipeline import render_renditions
from vidcoop.resources import kit_dir
from vidcoop.shapes import SHAPES, shape_output
from vidcoop.timeline.manifest import load_episode

pytestmark = pytest.mark.slow

W, H, FPS, SECONDS = 1920, 1080, 25, 2.4
FACE_X, FACE_Y, FACE = 1400, 300, 300  # the pasted image's place and size in the source
CUE = (0.8, 2.2)  # the caption shows from 0.8 s; before it the picture is the same without it


@pytest.fixture(scope="module")
def interview(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from PIL import Image
    from skimage import data

    folder = tmp_path_factory.mktemp("shapes")
    Image.fromarray(data.astronaut()[0:260, 120:380]).resize((FACE, FACE)).save(folder / "face.png")
    rng = np.random.default_rng(7)
    noise = rng.integers(-30, 30, size=(H // 8, W // 8, 1))
    bg = np.clip(np.array((90, 110, 130))[None, None, :] + noise, 0, 255).astype("uint8")
    Image.fromarray(bg).resize((W, H), Image.NEAREST).save(folder / "bg.png")
    out = folder / "interview.mp4"
    run_ffmpeg(["-loglevel", "error", "-loop", "1", "-framerate", str(FPS), "-t", str(SECONDS),
                "-i", str(folder / "bg.png"), "-loop", "1", "-framerate", str(FPS), "-t", str(SECONDS),
                "-i", str(folder / "face.png"), "-f", "lavfi", "-t", str(SECONDS), "-i", "sine=frequency=330",
                "-filter_complex", f"[0:v][1:v]overlay=x={FACE_X}:y={FACE_Y}[v]", "-map", "[v]", "-map", "2:a",
                "-c:v", "libx264", "-preset", "ultrafast", "-crf", "16", "-pix_fmt", "yuv420p", "-c:a", "aac",
                "-shortest", str(out)], what="making the interview")
    (folder / "cap.srt").write_text(
        "1\n00:00:00,800 --> 00:00:02,200\n"
        "Die Beratungsstellen der Wohlfahrtsverbände helfen bei Anträgen und Widersprüchen\n",
        encoding="utf-8")
    return out


def _manifest(folder: Path, square: str = "auto") -> Path:
    path = folder / "ep.yaml"
    path.write_text(
        "version: 1\ntitle: Beratung\nsegments:\n  - source: interview.mp4\n"
        f"    reframe: {{mode: auto, shapes: {{\"1:1\": {{mode: {square}}}}}}}\n"
        "captions: {mode: file, file: cap.srt}\n", encoding="utf-8")
    return path


class Runs:
    """Every ffmpeg command the engine starts (loudness analysis and the render), in order."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import vidcoop.engine.api as api

        self.commands: list[list[str]] = []
        real = api.run_ffmpeg

        def counting(args: list[str], *a: Any, **k: Any) -> Any:
            self.commands.append(list(args))
            return real(args, *a, **k)

        monkeypatch.setattr(api, "run_ffmpeg", counting)

    @property
    def renders(self) -> list[list[str]]:
        return [c for c in self.commands if "libx264" in c]


def face_box(img: np.ndarray) -> tuple[int, int, int, int]:
    """Bounding box of the reddish pixels (the face and the suit; the background is blue-grey)."""
    rgb = img.astype(int)
    mask = (rgb[..., 0] - rgb[..., 2]) > 35
    ys, xs = np.nonzero(mask)
    assert len(xs) > 500, "no face in the frame"
    return int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())


def caption_box(path: Path) -> tuple[int, int, int, int]:
    """Bounding box of what the caption changes: a frame with it against one just before it."""
    before, during = frame_at(path, CUE[0] - 0.2).astype(int), frame_at(path, CUE[0] + 0.4).astype(int)
    ys, xs = np.nonzero(np.abs(during - before).max(axis=2) > 60)
    assert len(xs) > 1000, "no caption drawn"
    return int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())


@pytest.fixture(scope="module")
def four(interview: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    mp = pytest.MonkeyPatch()
    try:
        runs = Runs(mp)
        manifest = _manifest(interview.parent)
        base = interview.parent / "ep.mp4"
        outputs = {s: shape_output(base, s) for s in SHAPES}
        results = render_renditions(load_episode(manifest), outputs)
    finally:
        mp.undo()
    return {"runs": runs, "outputs": outputs, "results": {r.output: r for r in results}}


def test_all_shapes_come_from_one_ffmpeg_run(four: dict[str, Any]) -> None:
    renders = four["runs"].renders
    assert len(renders) == 1
    assert renders[0].count("-f") == 4 and renders[0].count("libx264") == 4
    # the interview is read once: one -i for the clip (a second, -vn, only for loudness's look-ahead sound)
    assert sum(1 for i, a in enumerate(renders[0]) if a == "-i" and "interview.mp4" in renders[0][i + 1]) <= 2
    assert sum(1 for c in four["runs"].commands if "libx264" not in c) == 1  # the one loudness analysis
    # four encoders side by side: each gets its share of the cores, not ffmpeg's 1.5 threads per core each
    share = str(max(1, usable_cores() // 4))
    assert [renders[0][i + 1] for i, a in enumerate(renders[0]) if a == "-threads"] == [share] * 4


@pytest.mark.parametrize("shape", list(SHAPES))
def test_size_rate_codec(four: dict[str, Any], shape: str) -> None:
    out = four["outputs"][shape]
    info = probe(out)
    assert info.video is not None
    assert (info.video.width, info.video.height) == (SHAPES[shape].width, SHAPES[shape].height)
    assert info.video.fps == 30
    assert info.video.codec == "h264"
    assert info.audio and info.audio[0].codec == "aac"
    assert abs(float(info.duration or 0) - SECONDS) < 0.1
    report = four["results"][out].report
    assert report is not None and f'"shape": "{shape}"' in report.read_text(encoding="utf-8")


@pytest.mark.parametrize("shape", list(SHAPES))
def test_face_inside_the_frame(four: dict[str, Any], shape: str) -> None:
    img = frame_at(four["outputs"][shape], 0.4)
    x0, y0, x1, y1 = face_box(img)
    h, w = img.shape[:2]
    assert x0 > 4 and x1 < w - 5 and y0 > 4 and y1 < h - 5, (shape, (x0, y0, x1, y1))
    # the whole pasted picture is there (nothing cut off): it keeps its width at scale 1 (short side 1080)
    assert x1 - x0 > 0.8 * FACE, (shape, x1 - x0)


@pytest.mark.parametrize("shape", list(SHAPES))
def test_captions_inside_the_safe_zone(four: dict[str, Any], shape: str) -> None:
    out = four["outputs"][shape]
    x0, y0, x1, y1 = caption_box(out)
    zone = load_kit(kit_dir("neutral")).safe_zone_for(shape).box
    assert zone.x <= x0 and x1 <= zone.right and zone.y <= y0 and y1 <= zone.bottom, (shape, (x0, y0, x1, y1), zone)
    assert y1 - y0 > 110  # the cue's one long line is re-wrapped to the shape's width: two lines or more


def test_16x9_interview_is_shown_whole_in_16x9(four: dict[str, Any], interview: Path) -> None:
    out = frame_at(four["outputs"]["16:9"], 0.4).astype(int)
    src = frame_at(interview, 0.4).astype(int)
    assert out.shape == src.shape
    top = slice(0, 700)  # above the caption
    assert np.abs(out[top] - src[top]).mean() < 6
    assert face_box(out[top])[0] == pytest.approx(face_box(src[top])[0], abs=3)


def test_changing_one_shape_re_renders_only_that_shape(interview: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    from vidcoop.cli.main import main

    for name in ("interview.mp4", "cap.srt"):
        shutil.copy(interview.parent / name, tmp_path / name)
    manifest = _manifest(tmp_path)

    def run() -> None:
        try:
            main(["render", str(manifest), "--profile", "preview", "--shape", "9:16,1:1", "--changed-only",
                  "--quiet"])
        except SystemExit as exc:
            assert not exc.code, capsys.readouterr()

    run()
    vertical, square = tmp_path / "ep.preview.mp4", tmp_path / "ep.1x1.preview.mp4"
    stamps = (vertical.stat().st_mtime_ns, square.stat().st_mtime_ns)
    runs = Runs(monkeypatch)
    run()  # nothing changed: nothing rendered
    assert runs.commands == []
    _manifest(tmp_path, square="fit-blur")
    run()
    assert len(runs.renders) == 1 and runs.renders[0].count("-f") == 1
    assert square.name.replace(".mp4", "") in " ".join(runs.renders[0])  # its temp file beside it
    assert vertical.stat().st_mtime_ns == stamps[0]
    assert square.stat().st_mtime_ns != stamps[1]
    assert probe(square).video.width == 540  # type: ignore[union-attr]


def test_a_killed_run_leaves_no_output(interview: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    import vidcoop.engine.api as api
    from vidcoop.errors import RenderError

    for name in ("interview.mp4", "cap.srt"):
        shutil.copy(interview.parent / name, tmp_path / name)
    real = api.run_ffmpeg

    def dies(args: list[str], *a: Any, **k: Any) -> Any:
        if "libx264" in args:
            real(args, *a, **k)  # every output is written to its temp file ...
            raise RenderError("killed", command=list(args))  # ... and the run fails at the end
        return real(args, *a, **k)

    monkeypatch.setattr(api, "run_ffmpeg", dies)
    outputs = {s: shape_output(tmp_path / "ep.mp4", s) for s in ("9:16", "16:9")}
    with pytest.raises(RenderError):
        render_renditions(load_episode(_manifest(tmp_path)), outputs)
    assert not any(p.exists() for p in outputs.values())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cap.srt", "ep.yaml", "interview.mp4"]


@pytest.mark.parametrize("shape", ["1:1", "16:9"])
def test_cover_per_shape(interview: Path, tmp_path: Path, shape: str) -> None:
    from PIL import Image

    from vidcoop.cover import CoverOptions, make_cover

    manifest = _manifest(interview.parent)
    out = tmp_path / f"cover-{SHAPES[shape].slug}.jpg"
    result = make_cover(load_episode(manifest), out, CoverOptions(at=None, title="Beratung für alle", shape=shape))
    with Image.open(out) as img:
        assert img.size == (SHAPES[shape].width, SHAPES[shape].height)
    zone = load_kit(kit_dir("neutral")).safe_zone_for(shape).box
    assert result.layout is not None
    x0, y0, x1, y1 = result.layout.panel
    assert zone.x <= x0 and zone.y <= y0 and x1 <= zone.right and y1 <= zone.bottom


def test_batch_renders_the_shapes_the_channel_asks_for(interview: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import json
    import shutil

    from vidcoop.batch import BatchOptions, run_batch

    monkeypatch.delenv("VIDCOOP_BATCH_RENDER", raising=False)
    root = Path(__file__).resolve().parents[2]
    shutil.copytree(root / "examples" / "channel", tmp_path / "channel")
    channel = tmp_path / "channel" / "channel.yaml"
    channel.write_text(channel.read_text(encoding="utf-8") + 'renditions:\n  instagram: ["4:5", "9:16"]\n',
                       encoding="utf-8")
    shutil.copy(interview, tmp_path / "interview.mp4")
    (tmp_path / "ep.yaml").write_text(
        "version: 1\ntitle: Beratung\nchannel: channel/channel.yaml\nsegments:\n  - source: interview.mp4\n"
        "    reframe: fit-blur\ncaptions: off\n", encoding="utf-8")
    week = tmp_path / "week.yaml"
    week.write_text("version: 1\noutput: out\nprofiles: [final]\nepisodes:\n  - ep.yaml\n", encoding="utf-8")
    report = run_batch(week, BatchOptions(final=True, all_episodes=True, jobs=1))
    outputs = {o.output.name: o.status for e in report.episodes for o in e.outputs}
    assert outputs == {"ep.mp4": "rendered", "ep.4x5.mp4": "rendered", "ep.cover.jpg": "rendered",
                       "ep.4x5.cover.jpg": "rendered"}, report
    out = tmp_path / "out"
    assert probe(out / "ep.4x5.mp4").video.height == 1350  # type: ignore[union-attr]
    post = json.loads((out / "ep.post.json").read_text(encoding="utf-8"))
    assert post["platforms"]["instagram"]["video"] == "ep.4x5.mp4"
    assert post["platforms"]["instagram"]["cover"] == "ep.4x5.cover.jpg"  # its own shape's cover too
    assert post["platforms"]["tiktok"]["video"] == "ep.mp4" and post["platforms"]["tiktok"]["cover"] == "ep.cover.jpg"
    again = run_batch(week, BatchOptions(final=True, all_episodes=True, jobs=1))
    assert {o.output.name: o.status for e in again.episodes for o in e.outputs} == {
        "ep.mp4": "skipped", "ep.4x5.mp4": "skipped", "ep.cover.jpg": "skipped", "ep.4x5.cover.jpg": "skipped"}


def test_captions_are_transcribed_once_for_every_shape(interview: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil
    from fractions import Fraction

    import vidcoop.engine.api as api
    from vidcoop.captions.model import Transcript, TranscriptSegment, Word

    shutil.copy(interview, tmp_path / "interview.mp4")
    manifest = tmp_path / "ep.yaml"
    manifest.write_text("version: 1\nsegments:\n  - source: interview.mp4\n    reframe: fit-blur\n"
                        "captions: {mode: auto}\n", encoding="utf-8")
    text = ["Die", "Beratungsstellen", "der", "Wohlfahrtsverbände", "helfen", "bei", "Anträgen", "und",
            "Widersprüchen"]
    step = Fraction(2, len(text))
    words = tuple(Word(w, Fraction(1, 5) + i * step, Fraction(1, 5) + (i + 1) * step) for i, w in enumerate(text))
    calls: list[object] = []

    def transcribe(job: object, extra: object = None) -> Transcript:
        calls.append(job)
        seg = TranscriptSegment(" ".join(text), words[0].start, words[-1].end, words)
        return Transcript((seg,), language="de", backend="fake", model="fake", duration=Fraction(12, 5))

    monkeypatch.setattr(api, "episode_transcript", transcribe)
    outputs = {s: shape_output(tmp_path / "ep.mp4", s) for s in ("9:16", "1:1", "16:9")}
    results = render_renditions(load_episode(manifest), outputs)
    assert len(calls) == 1
    for result in results:
        assert result.output.is_file() and result.output.with_suffix(".srt").is_file()
