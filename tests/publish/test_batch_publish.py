"""The batch writes the post packages, the link page and week.ics; text rules stop an episode before rendering."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from vidcoop.batch import BatchOptions, check_week, run_batch
from vidcoop.files import atomic_path

INLINE = BatchOptions(final=True, all_episodes=True, scheduler="inline")


@pytest.fixture
def copy_render(monkeypatch: pytest.MonkeyPatch, short_video: Path) -> None:
    """Render by copying a short real clip (fast; the publishing step then probes a real video).

    The inline executor imports the render function by path in this process, so a module placed in
    ``sys.modules`` is enough.
    """
    import sys
    import types

    def render(episode, output, *, progress=None, options=None, profile=None):
        with atomic_path(Path(output)) as tmp:
            shutil.copyfile(short_video, tmp)
        return Path(output)

    monkeypatch.setenv("VIDCOOP_BATCH_RENDER", "tests_publish_copy_render:render")
    module = types.ModuleType("tests_publish_copy_render")
    module.render = render  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tests_publish_copy_render", module)


def test_batch_publishes_the_week(example: Path, tmp_path: Path, monkeypatch, copy_render) -> None:
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    week = example / "week.yaml"
    text = re.sub(r"(?m)^output: .*$", "output: out", week.read_text(encoding="utf-8"))
    week.write_text(text.replace("profiles: [final]", "profiles: [final]\ncovers: false"), encoding="utf-8")
    report = run_batch(week, INLINE)
    assert report.ok, [e.error for e in report.episodes]
    out = example / "out"
    post = json.loads((out / "was-ist-buergergeld.post.json").read_text(encoding="utf-8"))
    assert set(post["platforms"]) == {"tiktok", "instagram", "youtube"}
    assert post["publish_at"] == "2026-11-24T17:00:00+01:00"
    board = json.loads((out / "stellenboerse-kw48.post.json").read_text(encoding="utf-8"))
    assert board["publish_at"] == "2026-11-26T16:00:00+01:00" and board["jobs"]
    assert (out / "week.ics").is_file() and (out / "jobs" / "index.html").is_file()
    assert (out / "jobs" / "2026-W48.html").is_file()


def test_a_text_rule_fails_the_episode_before_rendering(example: Path, tmp_path: Path, monkeypatch,
                                                        copy_render) -> None:
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    channel = example / "channel" / "channel.yaml"
    channel.write_text(channel.read_text(encoding="utf-8").replace(
        "Fragen? Schreib sie in die Kommentare!", "Mit Dank an die Caritas Musterstadt!"), encoding="utf-8")
    week = example / "week.yaml"
    week.write_text("version: 1\noutput: out\ncovers: false\nepisodes: [episodes/was-ist-buergergeld.yaml]\n",
                    encoding="utf-8")
    checked = check_week(week)
    assert checked.episodes[0].status == "failed" and checked.episodes[0].error_type == "PolicyError"
    assert "partner-in-post-text" in (checked.episodes[0].error or "")
    ran = run_batch(week, INLINE)
    assert ran.episodes[0].status == "failed" and not (example / "out" / "was-ist-buergergeld.mp4").exists()


def _description_at_instagram_limit(example: Path, duration: str) -> None:
    """Pad the explainer's description so that, with ``{duration}`` filled as ``duration``, its
    Instagram post (description, link line and hashtags) is exactly 2,200 characters, Instagram's limit.

    The length is the library's own count: pad too far, read the count the post-limit rule reports, cut back.
    """
    import re
    from fractions import Fraction

    from vidcoop.batch.publish import check_texts
    from vidcoop.channel.config import load_channel
    from vidcoop.errors import PolicyError
    from vidcoop.timeline.manifest import load_episode

    channel = example / "channel" / "channel.yaml"
    text = channel.read_text(encoding="utf-8")
    line = "in {duration} Sekunden erklärt. Fragen? Schreib sie in die Kommentare!"
    assert line in text
    episode = load_episode(example / "episodes" / "was-ist-buergergeld.yaml")

    def instagram_length(pad: int) -> int:
        channel.write_text(text.replace(line, line + "x" * pad), encoding="utf-8")
        try:
            check_texts(episode, load_channel(channel), duration=Fraction(duration))
        except PolicyError as exc:
            found = re.search(r"instagram\.description: (\d+) characters", exc.message)
            assert found, exc.message
            return int(found.group(1))
        raise AssertionError("the padding did not reach the limit")

    pad = 2300
    pad -= instagram_length(pad) - 2200
    channel.write_text(text.replace(line, line + "x" * pad), encoding="utf-8")


def test_check_fills_duration_with_the_planned_length(example: Path, tmp_path: Path, monkeypatch,
                                                      copy_render) -> None:
    """At the limit with "0" seconds, over it with the planned 21 s: refused by --check and before rendering."""
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    _description_at_instagram_limit(example, "0")
    week = example / "week.yaml"
    week.write_text("version: 1\noutput: out\ncovers: false\nepisodes: [episodes/was-ist-buergergeld.yaml]\n",
                    encoding="utf-8")
    checked = check_week(week).episodes[0]
    assert checked.status == "failed" and checked.error_type == "PolicyError", checked.error
    assert "instagram.description: 2201 characters" in (checked.error or "")
    ran = run_batch(week, INLINE).episodes[0]
    assert ran.status == "failed" and "2201 characters" in (ran.error or "")
    assert not (example / "out" / "was-ist-buergergeld.mp4").exists()  # refused before rendering


def test_a_post_that_fails_after_the_render_leaves_no_video(example: Path, tmp_path: Path, monkeypatch,
                                                            make_media) -> None:
    """The planned 21 s pass; the video rendered is 101 s long ("{duration}" one digit longer): the
    episode fails, and its MP4 is neither left under its final name nor recorded as done."""
    import sys
    import types

    from vidcoop.batch.state import STATE_NAME

    long_clip = make_media("publish_long.mp4", "testsrc2=s=108x192:r=1:d=101", "sine=f=440:r=8000:d=101")

    def render(episode, output, *, progress=None, options=None, profile=None):
        with atomic_path(Path(output)) as tmp:
            shutil.copyfile(long_clip, tmp)
        return Path(output)

    module = types.ModuleType("tests_publish_long_render")
    module.render = render  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tests_publish_long_render", module)
    monkeypatch.setenv("VIDCOOP_BATCH_RENDER", "tests_publish_long_render:render")
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    _description_at_instagram_limit(example, "21")
    week = example / "week.yaml"
    week.write_text("version: 1\noutput: out\ncovers: false\nepisodes: [episodes/was-ist-buergergeld.yaml]\n",
                    encoding="utf-8")
    assert check_week(week).ok
    report = run_batch(week, INLINE)
    episode = report.episodes[0]
    assert episode.status == "failed" and "2201 characters" in (episode.error or ""), episode.error
    out = example / "out"
    assert not (out / "was-ist-buergergeld.mp4").exists()
    assert not list(out.glob("was-ist-buergergeld*.post.*"))
    assert episode.outputs[0].status == "failed" and "removed" in (episode.outputs[0].error or "")
    assert "was-ist-buergergeld.mp4" not in json.loads((out / STATE_NAME).read_text(encoding="utf-8"))["outputs"]
    assert not report.ok
