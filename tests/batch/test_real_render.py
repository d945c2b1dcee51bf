"""The batch with the real render facade: small preview renders, a kill half way, a resume."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import pytest

from vidcoop.batch import BatchOptions, run_batch
from vidcoop.batch.state import STATE_NAME
from vidcoop.media.probing import probe

pytestmark = pytest.mark.slow


@pytest.fixture
def real_week(tmp_path: Path, tiny_clips, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("VIDCOOP_BATCH_RENDER", raising=False)
    (tmp_path / "clips").mkdir()
    (tmp_path / "episodes").mkdir()
    names = ("ep1", "ep2", "ep3")
    for i, name in enumerate(names):
        shutil.copyfile(tiny_clips[i % 2], tmp_path / "clips" / f"{name}.mp4")
        (tmp_path / "episodes" / f"{name}.yaml").write_text(
            f"version: 1\ntitle: Folge {i + 1}\nsegments:\n  - source: ../clips/{name}.mp4\n"
            "    reframe: fit-pad\n",
            encoding="utf-8",
        )
    week = tmp_path / "week.yaml"
    week.write_text(
        "version: 1\noutput: out\nprofiles: [preview]\ncovers: true\nepisodes:\n"
        + "".join(f"  - episodes/{n}.yaml\n" for n in names),
        encoding="utf-8",
    )
    return week


def _valid(path: Path) -> None:
    info = probe(path, check_until=Fraction(9, 10))
    assert info.video is not None and (info.video.width, info.video.height) == (540, 960)
    assert info.duration is not None and abs(info.duration - 1) < Fraction(1, 5)


def _recorded(state: Path) -> set[str]:
    try:
        return set(json.loads(state.read_text(encoding="utf-8"))["outputs"])
    except (OSError, ValueError, KeyError):
        return set()


def test_real_renders_in_two_workers_then_skip(real_week: Path) -> None:
    report = run_batch(real_week, BatchOptions(final=True, all_episodes=True, jobs=2))
    assert report.ok, [e.error for e in report.episodes]
    out = real_week.parent / "out"
    for name in ("ep1", "ep2", "ep3"):
        _valid(out / f"{name}.preview.mp4")
        assert (out / f"{name}.cover.jpg").is_file()
    again = run_batch(real_week, BatchOptions(final=True, all_episodes=True, jobs=2))
    assert [e.status for e in again.episodes] == ["skipped"] * 3


def test_real_batch_killed_and_resumed(real_week: Path) -> None:
    out = real_week.parent / "out"
    state = out / STATE_NAME
    proc = subprocess.Popen(
        [sys.executable, "-c", "from vidcoop.cli.main import main; main()", "batch", str(real_week), "--final", "--all",
         "-j", "1", "--quiet"],
        start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while not ({"ep1.preview.mp4"} <= _recorded(state) and any(out.glob(".ep2*.part*"))):
            assert proc.poll() is None, "the batch finished before it could be killed"
            assert time.monotonic() < deadline, "timed out waiting for the second episode"
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert not (out / "ep3.preview.mp4").exists()
    report = run_batch(real_week, BatchOptions(final=True, all_episodes=True, jobs=1))
    by_name = {e.name: e for e in report.episodes}
    assert by_name["ep1"].outputs[0].status == "skipped"
    assert by_name["ep3"].status == "rendered"
    for name in ("ep1", "ep2", "ep3"):
        _valid(out / f"{name}.preview.mp4")
    assert not list(out.glob(".*.part*"))
    assert _recorded(state) >= {f"{n}.preview.mp4" for n in ("ep1", "ep2", "ep3")}
