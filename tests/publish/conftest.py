"""Fixtures for publishing: a copy of the example channel, a short real video, job-board episodes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of examples/ (channel, episodes, jobs) with the kit beside it, as the channel expects."""
    root = tmp_path / "examples"
    for folder in ("channel", "episodes", "footage"):
        shutil.copytree(EXAMPLES / folder, root / folder)
    shutil.copyfile(EXAMPLES / "jobs.csv", root / "jobs.csv")
    shutil.copyfile(EXAMPLES / "week.yaml", root / "week.yaml")
    brand = EXAMPLES.parent / "brand_kits"
    if not (tmp_path / "brand_kits").exists():
        shutil.copytree(brand, tmp_path / "brand_kits")
    return root


@pytest.fixture(scope="session")
def short_video(make_media) -> Path:
    """A 2 s vertical clip with sound: stands in for a rendered episode."""
    return make_media("publish_short.mp4", "testsrc2=s=108x192:r=10:d=2", "sine=f=440:r=22050:d=2")


@pytest.fixture
def channel(example: Path):
    from vidcoop.channel import load_channel

    return load_channel(example / "channel" / "channel.yaml")


@pytest.fixture
def board_episodes(example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The example week's job-board episode(s), cards drawn into a temp cache."""
    from vidcoop import jobboard

    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    channel_path = example / "channel" / "channel.yaml"
    report = jobboard.validate(jobboard.load(example / "jobs.csv"), channel_path, "2026-W48")
    return jobboard.build_episode(report, channel_path, "2026-W48")


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium driven by Playwright, found as the studio's browser tests find it (with CI=true a
    missing browser fails, elsewhere it skips with the reason).

    Module-scoped: Playwright's sync API allows one running instance per thread, and the studio's
    browser test starts its own.
    """
    from tests.studio.serving import CHROMIUM_ARGS, chromium_or_skip

    exe = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(exe), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where browser tests keep their screenshots (CI artefacts); the path is printed."""
    folder = tmp_path_factory.mktemp("screenshots")
    print(f"screenshots: {folder}")
    return folder
