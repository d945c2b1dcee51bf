"""Week manifests: structure, paths, names, readable errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from vidcoop.batch import load_week, resolve_episodes
from vidcoop.errors import ManifestError


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "week.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_loads_paths_inline_episodes_and_profiles(tmp_path: Path) -> None:
    p = _write(tmp_path, """
version: 1
name: kw48
output: renders
profiles: [final, preview]
episodes:
  - episodes/a.yaml
  - {path: episodes/b.yaml, name: b-teil-1}
  - name: kurz
    episode: {version: 1, title: Kurz, segments: [{source: clips/k.mp4}]}
""")
    week = load_week(p)
    assert week.name == "kw48"
    assert week.output == tmp_path / "renders"
    assert week.profiles == ("final", "preview")
    assert [e.field for e in week.entries] == ["episodes.0", "episodes.1", "episodes.2"]
    assert week.entries[0].path == tmp_path / "episodes/a.yaml"
    assert week.entries[1].name == "b-teil-1"
    inline = resolve_episodes(week, week.entries[2])[0]
    assert inline.name == "kurz" and inline.title == "Kurz"
    assert inline.segments[0].source == tmp_path / "clips/k.mp4"


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ("version: 1\nepisodes: [a.yaml]\nextra: 1\n", "extra", "unknown key"),
        ("episodes: [a.yaml]\n", "version", "missing 'version'"),
        ("version: 2\nepisodes: [a.yaml]\n", "version", "unsupported"),
        ("version: 1\nprofiles: [final, huge]\nepisodes: [a.yaml]\n", "profiles.1", "unknown output profile"),
        ("version: 1\nepisodes: [{path: a.yaml, nmae: x}]\n", "episodes.0.nmae", "unknown key"),
        ("version: 1\nepisodes: [{name: x}]\n", "episodes.0", "either 'path'"),
        ("version: 1\nepisodes: [{path: a.yaml, name: 'bad name'}]\n", "episodes.0.name", "letters"),
        ("version: 1\nepisodes: [{path: a.yaml, name: x}, {path: b.yaml, name: x}]\n", "episodes.1.name",
         "used twice"),
        ("version: 1\nepisodes: []\n", "episodes", "no episodes"),
        ("version: 1\nepisodes: [a.yaml]\njobboard: {jobs: j.csv}\n", "jobboard.channel", "missing"),
    ],
)
def test_errors_name_file_and_field(tmp_path: Path, text: str, field: str, message: str) -> None:
    p = _write(tmp_path, text)
    with pytest.raises(ManifestError) as info:
        load_week(p)
    assert info.value.path == str(p)
    assert info.value.field == field
    assert message in info.value.message


def test_inline_episode_errors_point_into_the_week(tmp_path: Path) -> None:
    p = _write(tmp_path, """
version: 1
episodes:
  - name: kaputt
    episode: {version: 1, segments: [{source: a.mp4, in: 5, out: 2}]}
""")
    week = load_week(p)
    with pytest.raises(ManifestError) as info:
        resolve_episodes(week, week.entries[0])
    assert info.value.path == str(p)
    assert info.value.field == "episodes.0.episode.segments.0.in"


def test_episode_file_errors_name_the_episode_file(tmp_path: Path) -> None:
    (tmp_path / "e.yaml").write_text("version: 1\nsegments: [{source: a.mp4, colour: red}]\n", encoding="utf-8")
    week = load_week(_write(tmp_path, "version: 1\nepisodes: [e.yaml]\n"))
    with pytest.raises(ManifestError) as info:
        resolve_episodes(week, week.entries[0])
    assert info.value.path == str(tmp_path / "e.yaml")
    assert info.value.field == "segments.0.colour"


def test_direct_inline_episode(tmp_path: Path) -> None:
    p = _write(tmp_path, """
version: 1
episodes:
  - {version: 1, name: direkt, title: Direkt, segments: [{source: a.mp4}]}
  - {version: 1, name: kaputt, segments: [{source: a.mp4, in: 5, out: 2}]}
""")
    week = load_week(p)
    episode = resolve_episodes(week, week.entries[0])[0]
    assert (episode.name, episode.title) == ("direkt", "Direkt")
    with pytest.raises(ManifestError) as info:
        resolve_episodes(week, week.entries[1])
    assert info.value.field == "episodes.1.segments.0.in"


def test_one_loop_gives_every_row_a_name_and_fails_twins_after_the_first(tmp_path: Path) -> None:
    # batch and studio read the week through week_episodes(): names equal but for case, and x.yaml beside
    # x.yml (one caption file), fail after the first; the row keeps a name of its own.
    from vidcoop.batch.manifest import load_week, week_episodes

    clip = tmp_path / "c.png"
    from PIL import Image

    Image.new("RGB", (64, 64)).save(clip)
    body = f"version: 1\nsegments:\n  - image: {clip}\n    duration: 1\n"
    (tmp_path / "eps").mkdir()
    for name in ("a.yaml", "a.yml", "B.yaml"):
        (tmp_path / "eps" / name).write_text(body, encoding="utf-8")
    (tmp_path / "week.yaml").write_text(
        "version: 1\nepisodes:\n  - eps/a.yaml\n  - {path: eps/a.yml, name: other}\n  - eps/B.yaml\n"
        "  - {path: eps/B.yaml, name: b}\n", encoding="utf-8")
    found = week_episodes(load_week(tmp_path / "week.yaml"))
    assert [f.error is None for f in found] == [True, False, True, False]
    assert "same file as a.yaml" in str(found[1].error)
    assert "already used by episodes.2" in str(found[3].error)
    assert len({f.name for f in found}) == 4
