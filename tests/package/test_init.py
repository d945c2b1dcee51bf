"""``vidcoop init`` and ``vidcoop --version``, in-process (fast). The wheel test checks both installed."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import vidcoop
from vidcoop.channel.config import load_channel
from vidcoop.channel.skeleton import SKELETON_FILES, init_channel
from vidcoop.cli.main import cli
from vidcoop.errors import VidcoopError
from vidcoop.resources import example_dir, kit_dir
from vidcoop.timeline.manifest import load_episode


def test_version_comes_from_one_place() -> None:
    from importlib.metadata import version

    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.split()[-1] == vidcoop.__version__ == version("vidcoop")


def test_kits_and_the_example_are_found_in_a_checkout() -> None:
    assert (kit_dir("neutral") / "kit.yaml").is_file()
    assert (example_dir() / "channel" / "channel.yaml").is_file()


def test_init_writes_a_channel_that_loads_and_checks(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "kanal"), "--name", 'Wege "ins" {Leben}: Ä\\'])
    assert result.exit_code == 0, result.output
    root = tmp_path / "kanal"
    for rel in SKELETON_FILES:
        assert (root / rel).is_file(), rel
    assert sorted(p.name for p in (root / "footage").iterdir()) == ["interview.mp4", "phone.mp4"]
    channel = load_channel(root / "channel" / "channel.yaml")
    assert channel.name == 'Wege "ins" {Leben}: Ä\\'  # literal, quotes and braces included
    assert channel.kit_path == (kit_dir("wege-zum-job") / "kit.yaml").resolve()  # the kit by its name
    episode = load_episode(root / "episodes" / "was-ist-buergergeld.yaml")
    assert all(Path(s.source).is_file() for s in episode.segments)
    assert "output: out/kw48" in (root / "week.yaml").read_text(encoding="utf-8")
    assert "editorial team" in (root / "README.md").read_text(encoding="utf-8")
    assert (root / "jobs.csv").read_bytes() == (example_dir() / "jobs.csv").read_bytes()
    checked = CliRunner().invoke(cli, ["check", str(root / "episodes" / "was-ist-buergergeld.yaml")])
    assert checked.exit_code == 0, checked.output


def test_init_never_overwrites(tmp_path: Path) -> None:
    init_channel(tmp_path)
    (tmp_path / "week.yaml").write_text("mine\n", encoding="utf-8")
    with pytest.raises(VidcoopError, match="exists already; nothing was written"):
        init_channel(tmp_path)
    assert (tmp_path / "week.yaml").read_text(encoding="utf-8") == "mine\n"


def test_the_example_channel_names_its_kit_and_works_when_copied(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(example_dir() / "channel", tmp_path / "anywhere" / "channel")
    channel = load_channel(tmp_path / "anywhere" / "channel" / "channel.yaml")
    assert channel.kit_path == (kit_dir("wege-zum-job") / "kit.yaml").resolve()


def test_init_week_says_how_to_run_it_from_the_new_folder(tmp_path: Path) -> None:
    init_channel(tmp_path / "kanal")
    week = (tmp_path / "kanal" / "week.yaml").read_text(encoding="utf-8")
    assert "vidcoop batch week.yaml" in week and "examples/" not in week
    for line in week.splitlines():  # every path the week names exists, from the folder it is in
        if line.startswith(("  - path:", "  jobs:", "  channel:")):
            assert (tmp_path / "kanal" / line.split(":", 1)[1].split("#")[0].strip()).is_file(), line
