"""Fixtures for studio tests: copies of the example week in temp folders (the repo's examples/ are never touched).

The example explainer normally transcribes with Whisper (``captions: auto``). The copies point it at
``transcript.srt`` (a stand-in for an exported auto transcript) so the studio tests need no speech model;
the studio's handling of ``auto`` goes through the same :func:`vidcoop.pipeline.episode_cues`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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
