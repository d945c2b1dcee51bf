"""VIDCOOP_FFMPEG naming something that is not ffmpeg, and an ffmpeg that gets stuck (issue #31, item 11).

Each is one line naming the setting, in seconds, never a hang; a stuck render leaves no file.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from vidcoop import Episode, Segment, render
from vidcoop.engine import RenderOptions
from vidcoop.errors import RenderError
from vidcoop.media.ffmpeg import set_ffmpeg

ANSWERS_VERSION = '[ "$1" = -version ] && { echo "ffmpeg version fake"; exit 0; }\n'


@pytest.fixture
def episode(tmp_path: Path, landscape_clip: Path) -> Path:
    manifest = tmp_path / "ep.yaml"
    manifest.write_text(f"version: 1\nsegments:\n  - source: {landscape_clip}\n    out: 1\n", encoding="utf-8")
    return manifest


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    from vidcoop.cli.main import main

    with pytest.raises(SystemExit) as info:
        main(args)
    return int(info.value.code or 0), capsys.readouterr().err


@pytest.mark.parametrize("kind", ["true", "not-executable", "sleeps"])
def test_render_names_a_bad_vidcoop_ffmpeg_in_one_line(
    kind: str, episode: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from vidcoop.media import runner

    target = Path("/bin/true")
    if kind != "true":
        target = tmp_path / "fake"
        target.write_text("#!/bin/sh\nexec sleep 60\n")
        target.chmod(0o755 if kind == "sleeps" else 0o644)
    monkeypatch.setenv("VIDCOOP_FFMPEG", str(target))
    monkeypatch.setattr(runner, "VERSION_TIMEOUT", 1.0)
    set_ffmpeg(None)
    started = time.monotonic()
    try:
        code, err = _cli(["render", str(episode), "--profile", "preview", "--quiet"], capsys)
    finally:
        monkeypatch.delenv("VIDCOOP_FFMPEG")
        set_ffmpeg(None)
    assert time.monotonic() - started < 15
    assert code == 1 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert f"VIDCOOP_FFMPEG={target}" in err and "internal error" not in err and "loudness" not in err
    assert not list(tmp_path.glob("ep*.mp4"))


def test_a_stuck_render_is_stopped_and_leaves_no_file(
    landscape_clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Starts writing its output, reports progress once, then hangs (a dead network share).
    script = tmp_path / "fake-ffmpeg"
    script.write_text("#!/bin/sh\n" + ANSWERS_VERSION + 'for a; do last="$a"; done\nprintf half > "${last#file:}"\n'
                      'printf "out_time_us=1000\\nprogress=continue\\n"\nexec sleep 60\n')
    script.chmod(0o755)
    monkeypatch.setenv("VIDCOOP_FFMPEG_STALL_SECONDS", "1")
    out = tmp_path / "final.mp4"
    set_ffmpeg(script)
    started = time.monotonic()
    try:
        with pytest.raises(RenderError, match="wrote no progress for 1 s"):
            render(Episode([Segment(landscape_clip, end=1)]), out, profile="preview",
                   options=RenderOptions(loudness=False))
    finally:
        set_ffmpeg(None)
    assert time.monotonic() - started < 15
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".final")]
