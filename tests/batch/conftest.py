"""Fixtures for batch tests: a small week of episodes on generated clips, and the fake render."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

HERE = Path(__file__).parent
FAKE_RENDER = "batch_fakes:fake_render"


@pytest.fixture
def fake_render(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Select the fake render (importable in spawned workers too) and return its log file."""
    monkeypatch.syspath_prepend(str(HERE))
    monkeypatch.setenv("PYTHONPATH", str(HERE))
    log = tmp_path / "renders.log"
    monkeypatch.setenv("VIDCOOP_BATCH_RENDER", FAKE_RENDER)
    monkeypatch.setenv("VIDCOOP_FAKE_LOG", str(log))
    monkeypatch.setenv("VIDCOOP_FAKE_SLEEP", "0")
    return log


@pytest.fixture(scope="session")
def tiny_clips(make_media) -> tuple[Path, Path]:
    a = make_media("batch_a.mp4", "testsrc2=s=160x90:r=10:d=1", "sine=f=440:r=22050:d=1")
    b = make_media("batch_b.mp4", "testsrc=s=160x90:r=10:d=1", "sine=f=660:r=22050:d=1")
    return a, b


WeekFactory = Callable[..., Path]


@pytest.fixture
def make_week(tmp_path: Path, tiny_clips: tuple[Path, Path]) -> WeekFactory:
    """Write a week folder: one clip and one episode manifest per name, plus week.yaml."""

    def _make(names: tuple[str, ...] = ("ep1", "ep2", "ep3"), *, profiles: tuple[str, ...] = ("final",),
              titles: dict[str, str] | None = None, extra: str = "", covers: bool = False) -> Path:
        root = tmp_path / "week"
        (root / "clips").mkdir(parents=True, exist_ok=True)
        (root / "episodes").mkdir(exist_ok=True)
        for name in names:
            shutil.copyfile(tiny_clips[0], root / "clips" / f"{name}.mp4")
            title = (titles or {}).get(name, name)
            (root / "episodes" / f"{name}.yaml").write_text(
                f"version: 1\ntitle: {title}\nsegments:\n  - source: ../clips/{name}.mp4\n", encoding="utf-8"
            )
        lines = ["version: 1", "output: out", f"profiles: [{', '.join(profiles)}]",
                 f"covers: {'true' if covers else 'false'}", "episodes:"]
        lines += [f"  - episodes/{n}.yaml" for n in names]
        week = root / "week.yaml"
        week.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
        return week

    return _make
