"""Fixtures for studio tests: copies of the example week in temp folders (the repo's examples/ are never touched).

The example explainer normally transcribes with Whisper (``captions: auto``). The copies point it at
``transcript.srt`` (a stand-in for an exported auto transcript) so the studio tests need no speech model;
the studio's handling of ``auto`` goes through the same :func:`vidcoop.pipeline.episode_cues`.
"""

from __future__ import annotations

import re
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from vidcoop.files import atomic_write_bytes
from vidcoop.studio import previews

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).parent
EPISODE = "was-ist-buergergeld"
TRANSCRIPT = f"{EPISODE}.transcript.srt"


@pytest.fixture(scope="session")
def studio_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the session: previews and job cards are made once, keyed by content."""
    return tmp_path_factory.mktemp("studio-cache")


@pytest.fixture
def example_week(tmp_path: Path, studio_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of examples/ (and the brand kits it names) whose explainer uses transcript.srt."""
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(studio_cache))
    root = tmp_path / "repo"
    shutil.copytree(REPO / "examples", root / "examples", ignore=shutil.ignore_patterns("*.py", "out"))
    shutil.copytree(REPO / "brand_kits", root / "brand_kits", ignore=shutil.ignore_patterns("*.py"))
    episodes = root / "examples" / "episodes"
    shutil.copyfile(HERE / "transcript.srt", episodes / TRANSCRIPT)
    manifest = episodes / f"{EPISODE}.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert "captions: {mode: auto}" in text
    manifest.write_text(
        text.replace("captions: {mode: auto}", f"captions: {{mode: file, file: {TRANSCRIPT}}}  # exported transcript"),
        encoding="utf-8",
    )
    return root / "examples" / "week.yaml"


@pytest.fixture
def partner_week(example_week: Path) -> Path:
    """The example week moved to this ISO week, so partners may still enter listings for it (the partner
    store refuses weeks that are over). Every date of its job list and publish times moves by as many
    weeks, so on any day the same listings are current, expired or not yet valid as in the example's
    week 2026-W48 (the example's jobs expire from 20.12.2026 on)."""
    from vidcoop.jobboard.week import parse_week

    week = parse_week(None)
    shift = week.monday - parse_week(EXAMPLE_WEEK).monday
    text = example_week.read_text(encoding="utf-8")
    assert f"week: {EXAMPLE_WEEK}" in text
    example_week.write_text(shift_dates(text.replace(f"week: {EXAMPLE_WEEK}", f"week: {week.label}"), shift),
                            encoding="utf-8")
    jobs = example_week.parent / "jobs.csv"
    jobs.write_text(shift_dates(jobs.read_text(encoding="utf-8-sig"), shift), encoding="utf-8-sig")
    return example_week


EXAMPLE_WEEK = "2026-W48"
_DATES = re.compile(r"\b(?:(\d{2})\.(\d{2})\.(\d{4})|(\d{4})-(\d{2})-(\d{2}))\b")


def shift_dates(text: str, by: timedelta) -> str:
    """Every calendar date in ``text`` (``31.12.2026`` or ``2026-12-31``, written back as it was) moved by ``by``;
    a date the calendar does not have (``31.11.2026``) stays as it is."""

    def move(m: re.Match[str]) -> str:
        try:
            day = date(int(m[3]), int(m[2]), int(m[1])) if m[1] else date(int(m[4]), int(m[5]), int(m[6]))
        except ValueError:
            return m[0]
        moved = day + by
        return f"{moved:%d.%m.%Y}" if m[1] else moved.isoformat()

    return _DATES.sub(move, text)


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[tuple[str, tuple[int, int], Path]]:
    """Fake preview renders: each call's (shape, size, output) is recorded; the output is a real (tiny) MP4
    of that shape when ``ffmpeg`` made one for the test, else a few bytes."""
    calls: list[tuple[str, tuple[int, int], Path]] = []

    def fake_render(episode: Any, out: Path, *, progress: Any = None, options: Any = None, **_: Any) -> None:
        prof = options.profile
        calls.append((prof.shape, (prof.width, prof.height), Path(out)))
        sample = tmp_path / f"sample-{prof.width}x{prof.height}.mp4"
        atomic_write_bytes(out, sample.read_bytes() if sample.is_file() else b"fake mp4 " + prof.shape.encode())

    monkeypatch.setattr(previews, "render", fake_render)
    return calls


def preview_samples(folder: Path, make_media: Any) -> None:
    """Small real MP4s at each preview size (a plain colour per shape), for ``rendered`` to write where a
    browser test's preview goes, so the page plays a video of the shape's own size."""
    sizes = {(540, 960): "0x2b5d8a", (540, 676): "0x5d2b8a", (540, 540): "0x8a5d2b", (960, 540): "0x2b8a5d"}
    for (w, h), colour in sizes.items():
        made = make_media(f"shape-sample-{w}x{h}.mp4", video=f"color=c={colour}:s={w}x{h}:d=1:r=25")
        shutil.copyfile(made, folder / f"sample-{w}x{h}.mp4")


def channel_renditions(example_week: Path, renditions: str) -> Path:
    """The example channel's platforms ask for picture shapes: ``renditions: RENDITIONS`` (YAML) in its
    channel.yaml, which is returned."""
    channel = example_week.parent / "channel" / "channel.yaml"
    text = channel.read_text(encoding="utf-8")
    assert "platforms: [tiktok, instagram, youtube]\n" in text
    channel.write_text(text.replace("platforms: [tiktok, instagram, youtube]\n",
                                    f"platforms: [tiktok, instagram, youtube]\nrenditions: {renditions}\n"),
                       encoding="utf-8")
    return channel
