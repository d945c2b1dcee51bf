"""Fixtures for channel tests: the example channel and small episode builders."""

from __future__ import annotations

from pathlib import Path

import pytest

from vidcoop.channel.config import Channel, load_channel

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_CHANNEL = REPO / "examples" / "channel" / "channel.yaml"


@pytest.fixture(scope="session")
def channel() -> Channel:
    return load_channel(EXAMPLE_CHANNEL)
