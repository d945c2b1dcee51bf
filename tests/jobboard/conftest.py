"""Fixtures for the job board: two partners with distinctly coloured logos, a board channel."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from vidcoop.jobboard.board import BoardChannel, PartnerInfo, Slot

RED = (220, 20, 60)
GREEN = (0, 170, 60)


def _logo(path: Path, colour: tuple[int, int, int]) -> Path:
    from PIL import Image

    Image.new("RGBA", (300, 120), (*colour, 255)).save(path)
    return path


@pytest.fixture(scope="session")
def logos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("logos")
    return {"rot": _logo(folder / "rot.png", RED), "gruen": _logo(folder / "gruen.png", GREEN)}


@pytest.fixture
def board(logos: dict[str, Path]) -> BoardChannel:
    return BoardChannel(
        partners={
            "rot": PartnerInfo("rot", "Rot e.V.", logos["rot"]),
            "gruen": PartnerInfo("gruen", "Grün gGmbH", logos["gruen"]),
        },
        max_duration=Fraction(60),
        slots=(Slot("between-items", Fraction(2), 1), Slot("before-outro", Fraction(3), 1)),
    )


HEADER = "title;partner;location;hours;start;description;apply;expires"


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"
