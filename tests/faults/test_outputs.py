"""An output never replaces an input, a folder or a device, and never leaves the project unasked.

Every refusal happens before any work (no probe, no ffmpeg), names the output
and its field, and leaves the input byte for byte as it was.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from vidcoop.errors import OutputError
from vidcoop.timeline.manifest import load_episode

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path, landscape_clip: Path, still_png: Path) -> Path:
    """A project with one of each kind of input: footage, still, overlay, captions, music, channel, kit."""
    shutil.copytree(REPO / "brand_kits" / "wege-zum-job", tmp_path / "brand_kits" / "wege-zum-job")
    root = tmp_path / "proj"
    shutil.copytree(REPO / "examples" / "channel", root / "channel")
    # The example names its kit; this project uses its own copy, as a folder relative to the channel file.
    config = root / "channel" / "channel.yaml"
    text = config.read_text(encoding="utf-8")
    own_kit = re.sub(r"(?m)^brand_kit: .*$", "brand_kit: ../../brand_kits/wege-zum-job", text)
    config.write_text(own_kit, encoding="utf-8")
    shutil.copyfile(landscape_clip, root / "clip.mp4")
    shutil.copyfile(still_png, root / "still.png")
    shutil.copyfile(still_png, root / "logo.png")
    shutil.copyfile(landscape_clip, root / "bed.m4a")
    (root / "ep.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\n<i>Hallo</i>\n\n", encoding="utf-8")
    (root / "ep.yaml").write_text(
        "version: 1\ntitle: Alles\nchannel: channel/channel.yaml\nformat: erklaervideo\n"
        "segments:\n  - source: clip.mp4\n  - image: still.png\n    duration: 1\n"
        "overlays:\n  - image: logo.png\ncaptions: ep.srt\naudio: {music: bed.m4a}\n",
        encoding="utf-8",
    )
    return root


INPUTS = {
    "source": "clip.mp4",
    "image": "still.png",
    "overlay": "logo.png",
    "music": "bed.m4a",
    "captions": "ep.srt",
    "manifest": "ep.yaml",
    "channel": "channel/channel.yaml",
    "glossary": "channel/glossary.yaml",
    "partner logo": "channel/partners/caritas-musterstadt.png",
    "kit": "../brand_kits/wege-zum-job/kit.yaml",
    "kit logo": "../brand_kits/wege-zum-job/logo.png",
}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("kind", sorted(INPUTS))
def test_render_refuses_every_kind_of_input_before_any_work(project: Path, kind: str) -> None:
    from vidcoop.pipeline import render

    target = project / INPUTS[kind]
    before = _digest(target)
    started = time.monotonic()
    with pytest.raises(OutputError, match="never overwrites an input") as info:
        render(load_episode(project / "ep.yaml"), target)
    assert time.monotonic() - started < 5  # refused at once, not after a render
    assert info.value.field == "output" and info.value.path == str(target)
    assert _digest(target) == before


@pytest.mark.parametrize("how", ["symlink", "hardlink"])
def test_links_to_an_input_are_the_input(project: Path, how: str) -> None:
    from vidcoop.pipeline import render

    link = project / "out.mp4"
    if how == "symlink":
        link.symlink_to(project / "clip.mp4")
    else:
        os.link(project / "clip.mp4", link)
    with pytest.raises(OutputError, match=r"segments\.0 source"):
        render(load_episode(project / "ep.yaml"), link)


def test_sidecars_and_report_are_checked_too(project: Path) -> None:
    from vidcoop.pipeline import render

    ep = load_episode(project / "ep.yaml")
    (project / "clip.report.json").symlink_to(project / "channel" / "glossary.yaml")
    with pytest.raises(OutputError) as info:  # clip.report.json would replace the glossary
        render(ep, project / "clip.mov")
    assert info.value.field == "report"


def test_cover_captions_and_brand_preview_refuse_their_inputs(project: Path) -> None:
    from vidcoop.brand.kit import load_kit
    from vidcoop.brand.preview import render_preview
    from vidcoop.cover import make_cover

    with pytest.raises(OutputError, match="never overwrites"):
        make_cover(load_episode(project / "ep.yaml"), project / "still.png")
    kit = load_kit(project.parent / "brand_kits" / "wege-zum-job")
    with pytest.raises(OutputError, match="never overwrites"):
        render_preview(kit, kit.root / "logo.png")


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    from vidcoop.cli.main import main

    with pytest.raises(SystemExit) as info:
        main(args)
    err = capsys.readouterr().err
    return int(info.value.code or 0), err


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (["render", "ep.yaml", "-o", "channel"], "is a folder"),
        (["render", "ep.yaml", "-o", "clip.mp4/out.mp4"], "lies below the file"),
        (["render", "ep.yaml", "-o", "/dev/null"], "not a regular file"),
        (["render", "ep.yaml", "-o", "ep.yaml"], "never overwrites an input"),
        (["cover", "ep.yaml", "-o", "clip.mp4"], "never overwrites an input"),
        (
            [
                "captions",
                "ep.srt",
                "-o",
                "channel/glossary.yaml",
                "--format",
                "srt",
                "--glossary",
                "channel/glossary.yaml",
            ],
            "never overwrites an input",
        ),
        (["captions", "ep.srt", "-o", "channel", "--format", "vtt"], "is a folder"),
        (
            ["jobboard", "../jobs.csv", "--channel", "channel/channel.yaml", "--week", "2026-W48", "-o", "ep.srt"],
            "is a file, not a folder",
        ),
    ],
    ids=["dir", "below-file", "dev-null", "manifest", "cover", "captions-glossary", "captions-dir", "jobboard-file"],
)
def test_cli_refusals_are_one_line(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: list[str], message: str
) -> None:
    shutil.copyfile(REPO / "examples" / "jobs.csv", project.parent / "jobs.csv")
    monkeypatch.chdir(project)
    code, err = _cli(command, capsys)
    assert code == 1
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert Path("/dev/null").is_char_device()


def test_read_only_output_folder(project: Path, small_disk: Any, capsys: pytest.CaptureFixture[str]) -> None:
    disk = small_disk(64, read_only=True)
    code, err = _cli(["render", str(project / "ep.yaml"), "-o", str(disk / "ep.mp4")], capsys)
    assert code == 1 and "read-only" in err and "Traceback" not in err
    code, err = _cli(["cover", str(project / "ep.yaml"), "-o", str(disk / "ep.jpg")], capsys)
    assert code == 1 and "read-only" in err


def test_manifest_output_stays_in_the_project(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = project / "ep.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "output: ../../elsewhere.mp4\n", encoding="utf-8")
    code, err = _cli(["render", str(manifest)], capsys)
    assert code == 1 and "[output]" in err and "leaves the manifest's folder" in err and "-o" in err
    assert not (project.parent.parent / "elsewhere.mp4").exists()


def test_week_output_stays_in_the_project_unless_given(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from vidcoop.batch import load_week

    week = tmp_path / "proj" / "week.yaml"
    week.parent.mkdir()
    week.write_text("version: 1\noutput: /etc/vidcoop\nepisodes: [ep.yaml]\n", encoding="utf-8")
    with pytest.raises(OutputError, match="leaves the manifest's folder"):
        load_week(week)
    assert load_week(week, output=tmp_path / "out").output == tmp_path / "out"
    week.write_text("version: 1\noutput: out\nepisodes: [ep.yaml]\n", encoding="utf-8")
    (week.parent / "out").write_text("a file", encoding="utf-8")
    code, err = _cli(["batch", str(week), "--final", "--all", "--quiet"], capsys)
    assert code == 1 and "[output]: is a file, not a folder" in err and "Traceback" not in err


@pytest.mark.slow
def test_sidecar_never_rewrites_the_episodes_own_caption_file(tmp_path: Path, landscape_clip: Path) -> None:
    from vidcoop.engine import RenderOptions
    from vidcoop.pipeline import render

    shutil.copyfile(landscape_clip, tmp_path / "clip.mp4")
    own = tmp_path / "ep.srt"
    own.write_text("1\n00:00:00,000 --> 00:00:01,000\n<i>Hallo</i> um 00:00:00,500\n\n", encoding="utf-8")
    before = own.read_bytes()
    (tmp_path / "ep.yaml").write_text(
        "version: 1\nsegments:\n  - source: clip.mp4\n    out: 1\ncaptions: ep.srt\n", encoding="utf-8"
    )
    result = render(
        load_episode(tmp_path / "ep.yaml"),
        tmp_path / "ep.mp4",
        options=RenderOptions(profile="preview", loudness=False),
    )
    assert own.read_bytes() == before  # the hand-edited file is kept, <i> and all
    assert set(result.captions) == {own, tmp_path / "ep.vtt"}
    assert "Hallo" in (tmp_path / "ep.vtt").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", ["index.html", "2026-W48.html"])
def test_jobboard_link_page_is_checked_like_every_output(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], page: str
) -> None:
    # The week's link page is a link to the job list: refused before any card is drawn, like any output.
    jobs = project / "jobs.csv"
    shutil.copyfile(REPO / "examples" / "jobs.csv", jobs)
    (project / "out" / "jobs").mkdir(parents=True)
    (project / "out" / "jobs" / page).symlink_to(jobs)
    before = _digest(jobs)
    monkeypatch.chdir(project)
    command = ["jobboard", "jobs.csv", "--channel", "channel/channel.yaml", "--week", "2026-W48", "-o", "out"]
    code, err = _cli(command, capsys)
    assert code == 1 and "never overwrites an input" in err and page in err and "Traceback" not in err
    assert _digest(jobs) == before
    assert not (project / "out" / "cards").exists() or not any((project / "out" / "cards").iterdir())
