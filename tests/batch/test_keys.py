"""Incremental keys: what changes them and what does not."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

from vidcoop.batch import load_week
from vidcoop.batch.manifest import week_episodes
from vidcoop.channel.config import ChannelCache
from vidcoop.jobboard.episode import board_part
from vidcoop.review import content_key
from vidcoop.review.keys import FileHasher, normalise, output_key, referenced_files
from vidcoop.timeline.model import AudioSpec, Episode, MusicSpec, Overlay, Segment


def _episode(root: Path) -> Episode:
    return Episode(
        segments=(Segment(root / "a.mp4", start=Fraction(1, 3)),),
        overlays=(Overlay(root / "logo.png"),),
        title="T",
        name="ep",
        manifest=root / "ep.yaml",
        extra={"output": root / "out.mp4", "audio": {"target": -14}},
    )


def _files(root: Path) -> None:
    (root / "a.mp4").write_bytes(b"video-a")
    (root / "logo.png").write_bytes(b"logo")


def test_normalise_is_plain_data_with_absolute_paths(tmp_path: Path) -> None:
    data = normalise(_episode(tmp_path))
    assert data["segments"][0]["start"] == {"__fraction__": "1/3"}
    assert {str(p) for p in referenced_files(data)} == {
        str(tmp_path / "a.mp4"), str(tmp_path / "logo.png"), str(tmp_path / "out.mp4"), str(tmp_path / "ep.yaml")
    }


def test_key_follows_content_sources_kit_profile_and_version(tmp_path: Path) -> None:
    _files(tmp_path)
    kit = tmp_path / "kit"
    kit.mkdir()
    (kit / "kit.yaml").write_text("colors: {}\n", encoding="utf-8")
    ep = _episode(tmp_path)
    hasher = FileHasher()
    base = output_key(ep, "final", hasher=hasher, kit_dirs=[kit])
    assert output_key(ep, "final", hasher=FileHasher(), kit_dirs=[kit]) == base
    assert output_key(ep, "preview", hasher=hasher, kit_dirs=[kit]) != base
    assert output_key(ep, "final", hasher=hasher, kit_dirs=[kit], version="9.9") != base
    assert output_key(replace(ep, title="U"), "final", hasher=hasher, kit_dirs=[kit]) != base
    # Where the manifest sits and where the output goes are not inputs.
    moved = replace(ep, manifest=tmp_path / "elsewhere.yaml", extra={**ep.extra, "output": tmp_path / "x.mp4"})
    assert output_key(moved, "final", hasher=hasher, kit_dirs=[kit]) == base
    (kit / "kit.yaml").write_text("colors: {primary: '#fff'}\n", encoding="utf-8")
    changed_kit = output_key(ep, "final", hasher=FileHasher(), kit_dirs=[kit])
    assert changed_kit != base
    (tmp_path / "logo.png").write_bytes(b"logo-2")
    assert output_key(ep, "final", hasher=FileHasher(), kit_dirs=[kit]) not in (base, changed_kit)


def test_hash_cache_is_keyed_by_size_and_mtime(tmp_path: Path) -> None:
    src = tmp_path / "a.mp4"
    src.write_bytes(b"one")
    hasher = FileHasher()
    first = hasher.digest(src)
    cached = FileHasher(hasher.cache)
    assert cached.digest(src) == first
    st = src.stat()
    src.write_bytes(b"two")
    os.utime(src, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert cached.digest(src) != first
    assert FileHasher().digest(tmp_path / "missing.mp4") == "missing"


def test_copied_identical_file_keeps_the_key(tmp_path: Path) -> None:
    _files(tmp_path)
    ep = _episode(tmp_path)
    before = output_key(ep, "final", hasher=FileHasher())
    shutil.copyfile(tmp_path / "a.mp4", tmp_path / "b.mp4")
    os.replace(tmp_path / "b.mp4", tmp_path / "a.mp4")  # same bytes, new mtime
    assert output_key(ep, "final", hasher=FileHasher()) == before


def test_tree_hash_skips_hidden_files_and_excluded_folders(tmp_path: Path) -> None:
    channel = tmp_path / "channel"
    (channel / "partners").mkdir(parents=True)
    (channel / "glossary.yaml").write_text("terms: []\n", encoding="utf-8")
    (channel / "partners" / "logo.png").write_bytes(b"png")
    (channel / ".cache").write_bytes(b"x")
    (channel / "out").mkdir()
    (channel / "out" / "ep.mp4").write_bytes(b"video")
    tree = FileHasher(exclude=[channel / "out"]).tree(channel)
    assert sorted(tree) == ["glossary.yaml", "partners/logo.png"]


def test_music_named_in_audio_settings_is_an_input(tmp_path: Path) -> None:
    _files(tmp_path)
    (tmp_path / "bed.mp3").write_bytes(b"music-1")
    ep = replace(_episode(tmp_path), audio=AudioSpec(music=MusicSpec(tmp_path / "bed.mp3")))
    before = output_key(ep, "final", hasher=FileHasher())
    (tmp_path / "bed.mp3").write_bytes(b"music-2")
    assert output_key(ep, "final", hasher=FileHasher()) != before


def test_only_used_hashes_are_kept(tmp_path: Path) -> None:
    (tmp_path / "a.mp4").write_bytes(b"a")
    hasher = FileHasher({"/gone/old.mp4": [1, 2, "abc"]})
    hasher.digest(tmp_path / "a.mp4")
    assert list(hasher.used()) == [str((tmp_path / "a.mp4").absolute())]


def test_the_job_boards_key_does_not_change_when_its_cards_come_from_the_cache(tmp_path: Path, monkeypatch) -> None:
    """An approval made right after the cards were first drawn still counts the next time the week loads."""
    repo = Path(__file__).resolve().parents[2]
    shutil.copytree(repo / "examples", tmp_path / "examples", ignore=shutil.ignore_patterns("out"))
    shutil.copytree(repo / "brand_kits", tmp_path / "brand_kits")
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    week = tmp_path / "examples" / "week.yaml"

    def board_key() -> tuple[str, int]:
        wk = load_week(week)
        found = next(f for f in week_episodes(wk) if f.episode is not None and board_part(f.episode) is not None)
        assert found.episode is not None
        part = board_part(found.episode)
        assert part is not None
        return content_key(found.episode, FileHasher(exclude=[wk.output]), ChannelCache(), wk.brand_kit), \
            part.rendered_cards

    first, drawn = board_key()
    again, redrawn = board_key()
    assert drawn > 0 and redrawn == 0  # the first load drew the cards, the second took them from the cache
    assert first == again
