"""Each source is probed once per file version: planning again (tighten, overlays, the logo) costs nothing."""

from __future__ import annotations

import os
import shutil
from fractions import Fraction
from pathlib import Path

import av
import pytest

from vidcoop.media import probe


@pytest.fixture
def opens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = av.open

    def counting(path: str, *args: object, **kwargs: object) -> object:
        calls.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(av, "open", counting)
    return calls


def test_probe_opens_a_file_once_until_it_changes(landscape_clip: Path, tmp_path: Path, opens: list[str]) -> None:
    clip = tmp_path / "clip.mp4"
    shutil.copyfile(landscape_clip, clip)
    first = probe(clip, check_until=Fraction(2))
    assert probe(clip) is first and probe(clip, check_until=Fraction(1)) is first
    assert len(opens) == 1
    probe(clip, check_until=Fraction(3))  # decoding further than proved: open it again
    assert len(opens) == 2
    stat = clip.stat()
    os.utime(clip, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a new version of the file
    assert probe(clip) == first and len(opens) == 3
