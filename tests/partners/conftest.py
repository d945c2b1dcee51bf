"""Fixtures for the partner store: a copy of the example channel, a store with a clock the test moves."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.studio.conftest import example_week, studio_cache  # noqa: F401 - the example week, for sign-offs
from vidcoop.partners import PartnerStore
from vidcoop.resources import example_dir

CARITAS, DIAKONIE = "caritas-musterstadt", "diakonie-musterstadt"
WEEK = "2026-W50"
START = datetime(2026, 12, 4, 12, 0, tzinfo=timezone.utc)  # a Friday in week 49


class Clock:
    """A clock tests move by hand."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def job(**changes: str) -> dict[str, str]:
    """A valid listing's fields (German columns), with ``changes`` by column."""
    fields = {
        "Titel": "Heilerziehungspfleger*in (m/w/d)", "Ort": "Musterstadt-Süd", "Arbeitszeit": "Teilzeit, 30 Std.",
        "Beginn": "ab sofort", "Beschreibung": "Ein herzliches Team.", "Bewerbung": "https://caritas.example/jobs/1",
        "Gültig bis": "31.01.2027",
    }
    fields.update(changes)
    return fields


@pytest.fixture
def channel_yaml(tmp_path: Path) -> Path:
    shutil.copytree(example_dir() / "channel", tmp_path / "channel")
    return tmp_path / "channel" / "channel.yaml"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(channel_yaml: Path, clock: Clock) -> PartnerStore:
    return PartnerStore.open(channel_yaml, clock=clock)
