"""A face analysis that cannot be cached still renders, with one warning (issue #31, item 19)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from vidcoop.faces.analysis import analyse


@pytest.fixture
def clip(make_media: Any) -> Path:
    return make_media("uncached.mp4", "testsrc2=s=320x180:r=25:d=1")  # no face: the analysis is quick


def test_an_analysis_is_returned_when_the_cache_folder_is_a_file(
    clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "cache-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(blocker))
    result = analyse(clip)
    assert result.tracks == () and result.duration > 0
    assert result.cache_problem is not None
    assert f"VIDCOOP_CACHE_DIR={blocker}" in result.cache_problem and str(blocker / "faces") in result.cache_problem


def test_an_analysis_is_returned_when_the_cache_disk_is_read_only(
    clip: Path, small_disk: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = small_disk(64, read_only=True)
    monkeypatch.delenv("VIDCOOP_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(disk))
    result = analyse(clip)
    assert result.cache_problem is not None and "Read-only" in result.cache_problem
    assert "VIDCOOP_CACHE_DIR" in result.cache_problem


def test_render_warns_once_when_faces_cannot_be_cached(
    clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from vidcoop.cli.main import main

    blocker = tmp_path / "cache-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(blocker))
    manifest = tmp_path / "ep.yaml"
    manifest.write_text(f"version: 1\nsegments:\n  - source: {clip}\n    reframe: auto\n"
                        f"  - source: {clip}\n    reframe: auto\n", encoding="utf-8")
    main(["render", str(manifest), "--profile", "preview", "--quiet"])
    err = capsys.readouterr().err
    assert (tmp_path / "ep.preview.mp4").is_file()
    warnings = [line for line in err.splitlines() if "face analysis was not cached" in line]
    assert len(warnings) == 1 and "VIDCOOP_CACHE_DIR" in warnings[0], err
