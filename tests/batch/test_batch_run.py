"""Running a week with the fake render: skipping, re-rendering, failure isolation, reports."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from vidcoop.batch import BatchOptions, check_week, run_batch
from vidcoop.batch.executors import EXECUTORS, InlineExecutor, LocalExecutor, make_executor, threads_per_worker
from vidcoop.batch.state import STATE_NAME
from vidcoop.cli.batch import batch

INLINE = BatchOptions(final=True, all_episodes=True, scheduler="inline")


def _renders(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").split() if log.exists() else []


def test_second_run_skips_and_one_changed_source_rerenders_only_its_episode(
    fake_render: Path, make_week, tiny_clips
) -> None:
    week = make_week(profiles=("final", "preview"))
    first = run_batch(week, INLINE)
    assert [e.status for e in first.episodes] == ["rendered"] * 3
    out = week.parent / "out"
    assert sorted(p.name for p in out.glob("*.mp4")) == [
        "ep1.mp4", "ep1.preview.mp4", "ep2.mp4", "ep2.preview.mp4", "ep3.mp4", "ep3.preview.mp4"
    ]
    assert len(_renders(fake_render)) == 6

    second = run_batch(week, INLINE)
    assert [e.status for e in second.episodes] == ["skipped"] * 3
    assert len(_renders(fake_render)) == 6

    shutil.copyfile(tiny_clips[1], week.parent / "clips" / "ep2.mp4")
    third = run_batch(week, INLINE)
    assert [(e.name, e.status) for e in third.episodes] == [
        ("ep1", "skipped"), ("ep2", "rendered"), ("ep3", "skipped")
    ]
    assert _renders(fake_render)[6:] == ["ep2:final", "ep2:preview"]
    body = json.loads((out / "ep2.mp4").read_text(encoding="utf-8"))
    assert body["sources"]["ep2.mp4"] != json.loads((out / "ep1.mp4").read_text(encoding="utf-8"))["sources"][
        "ep1.mp4"]

    forced = run_batch(week, BatchOptions(final=True, all_episodes=True, scheduler="inline", force=True))
    assert [e.status for e in forced.episodes] == ["rendered"] * 3


def test_editing_an_episode_manifest_rerenders_it(fake_render: Path, make_week) -> None:
    week = make_week()
    run_batch(week, INLINE)
    manifest = week.parent / "episodes" / "ep3.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("title: ep3", "title: Neu"), encoding="utf-8")
    again = run_batch(week, INLINE)
    assert [e.status for e in again.episodes] == ["skipped", "skipped", "rendered"]


def test_deleted_output_is_rendered_again(fake_render: Path, make_week) -> None:
    week = make_week()
    run_batch(week, INLINE)
    (week.parent / "out" / "ep1.mp4").unlink()
    assert [e.status for e in run_batch(week, INLINE).episodes] == ["rendered", "skipped", "skipped"]


def test_broken_episodes_fail_alone(fake_render: Path, make_week) -> None:
    week = make_week(("ep1", "bad", "ep3", "policy", "nofile"), titles={"policy": "policy-violation"})
    (week.parent / "clips" / "bad.mp4").write_text("not a video", encoding="utf-8")
    (week.parent / "episodes" / "nofile.yaml").write_text("version: 1\nsegments: [{source: x.mp4, foo: 1}]\n",
                                                         encoding="utf-8")
    report = run_batch(week, INLINE)
    status = {e.name: e.status for e in report.episodes}
    assert status == {"ep1": "rendered", "bad": "failed", "ep3": "rendered", "policy": "failed",
                      "nofile": "failed"}
    errors = {e.name: (e.error_type, e.error) for e in report.episodes if e.error}
    assert errors["bad"][0] == "MediaError"  # raised in the worker, same type in the report
    assert "not a readable media file" in (errors["bad"][1] or "")
    assert errors["policy"][0] == "PolicyError"
    assert "rule no-partner-slots" in (errors["policy"][1] or "")
    assert errors["nofile"][0] == "ManifestError" and "segments.0.foo" in (errors["nofile"][1] or "")
    saved = json.loads((week.parent / "out" / "batch-report.json").read_text(encoding="utf-8"))
    assert saved["counts"] == {"failed": 3, "rendered": 2}
    assert [e["status"] for e in saved["episodes"]] == ["rendered", "failed", "rendered", "failed", "failed"]
    assert not (week.parent / "out" / "bad.mp4").exists()
    state = json.loads((week.parent / "out" / STATE_NAME).read_text(encoding="utf-8"))
    assert sorted(state["outputs"]) == ["ep1.mp4", "ep3.mp4"]


def test_check_validates_without_rendering(fake_render: Path, make_week) -> None:
    week = make_week(("ep1", "bad"))
    (week.parent / "clips" / "bad.mp4").write_text("not a video", encoding="utf-8")
    report = check_week(week)
    assert [(e.name, e.status) for e in report.episodes] == [("ep1", "ok"), ("bad", "failed")]
    assert report.episodes[1].error_type == "MediaError"
    assert not (week.parent / "out").exists()
    assert _renders(fake_render) == []


def test_executor_registry() -> None:
    assert isinstance(make_executor(None, 2), LocalExecutor)
    assert make_executor(None, 2).workers == 2
    assert isinstance(make_executor("inline", 4), InlineExecutor)
    assert set(EXECUTORS) == {"local", "inline", "dask"}


def test_threads_are_divided_among_workers() -> None:
    assert threads_per_worker(2, cores=2) == 1
    assert threads_per_worker(1, cores=2) == 2
    assert threads_per_worker(3, cores=8) == 2
    assert threads_per_worker(4, cores=2) == 1


def test_local_pool_two_workers_and_cli(fake_render: Path, make_week) -> None:
    week = make_week(("ep1", "ep2", "broken"), titles={"broken": "ffmpeg-fails"})
    result = CliRunner().invoke(batch, [str(week), "--final", "--all", "-j", "2", "--quiet"])
    assert result.exit_code == 1, result.output
    assert "rendered" in result.output and "failed" in result.output and "boom" in result.output
    out = week.parent / "out"
    bodies = [json.loads((out / f"{n}.mp4").read_text(encoding="utf-8")) for n in ("ep1", "ep2")]
    assert all(b["threads"] == threads_per_worker(2) for b in bodies)
    assert bodies[0]["pid"] != __import__("os").getpid()  # rendered in a worker process
    saved = json.loads((out / "batch-report.json").read_text(encoding="utf-8"))
    broken = next(e for e in saved["episodes"] if e["episode"] == "broken")
    assert broken["error_type"] == "RenderError"  # the worker's typed error came back through the pool
    rerun = CliRunner().invoke(batch, [str(week), "--final", "--all", "-j", "2", "--quiet"])
    assert rerun.exit_code == 1
    assert rerun.output.count("skipped") >= 2


def test_render_warnings_reach_the_summary_and_the_report(fake_render: Path, make_week) -> None:
    # Speech left without captions (the model looped) is said after the table, on stderr, and kept in
    # batch-report.json; the episode still counts as rendered. The text is printed literally ([sic]).
    week = make_week(("ep1", "ep2"), titles={"ep2": "left-out-speech"})
    result = CliRunner().invoke(batch, [str(week), "--final", "--all", "-j", "2", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "warning: ep2 (ep2.mp4): captions: no captions at 1.0-2.0s: [sic] check it" in result.stderr
    saved = json.loads((week.parent / "out" / "batch-report.json").read_text(encoding="utf-8"))
    warned = {e["episode"]: e["outputs"][0]["warnings"] for e in saved["episodes"]}
    assert warned == {"ep1": [], "ep2": ["captions: no captions at 1.0-2.0s: [sic] check it"]}


def test_cli_check_exit_codes(fake_render: Path, make_week) -> None:
    week = make_week(("ep1",))
    ok = CliRunner().invoke(batch, [str(week), "--check"])
    assert ok.exit_code == 0, ok.output
    assert "ok" in ok.output
    (week.parent / "clips" / "ep1.mp4").write_bytes(b"")
    bad = CliRunner().invoke(batch, [str(week), "--check"])
    assert bad.exit_code == 1
    assert "file is empty" in bad.output


@pytest.mark.parametrize("scheduler", ["inline"])
def test_progress_events_reach_the_display(fake_render: Path, make_week, scheduler: str) -> None:
    week = make_week(("ep1",))
    events = []
    run_batch(week, BatchOptions(final=True, all_episodes=True, scheduler=scheduler), on_event=events.append)
    kinds = [e.kind for e in events]
    assert kinds[0] == "queued" and kinds[-1] == "done"
    assert [e.fraction for e in events if e.kind == "progress"][-1] == 1.0


def test_covers_are_made_and_skipped_like_videos(fake_render: Path, make_week) -> None:
    from PIL import Image

    week = make_week(("ep1", "ep2"), covers=True)
    first = run_batch(week, INLINE)
    out = week.parent / "out"
    assert [o.output.name for o in first.episodes[0].outputs] == ["ep1.mp4", "ep1.cover.jpg"]
    with Image.open(out / "ep1.cover.jpg") as img:
        assert img.size == (1080, 1920) and img.format == "JPEG"
    assert all(o.status == "skipped" for e in run_batch(week, INLINE).episodes for o in e.outputs)
    entry = "  - {path: episodes/ep2.yaml, cover_at: 0.5}"
    text = week.read_text(encoding="utf-8").replace("  - episodes/ep2.yaml", entry)
    week.write_text(text, encoding="utf-8")
    third = run_batch(week, INLINE)
    assert [(o.output.name, o.status) for o in third.episodes[1].outputs] == [
        ("ep2.mp4", "skipped"), ("ep2.cover.jpg", "rendered")
    ]


def test_a_failed_episode_leaves_no_cover_or_video_under_its_final_name(fake_render: Path, make_week) -> None:
    """ep2's video fails while rendering after its cover was made: the cover is removed and not recorded."""
    week = make_week(("ep1", "ep2"), covers=True, titles={"ep2": "ffmpeg-fails"})
    report = run_batch(week, INLINE)
    out = week.parent / "out"
    assert [e.status for e in report.episodes] == ["rendered", "failed"]
    assert sorted(p.name for p in out.glob("ep*")) == ["ep1.cover.jpg", "ep1.mp4"]
    statuses = {o.output.name: (o.status, o.error or "") for o in report.episodes[1].outputs}
    assert statuses["ep2.cover.jpg"][0] == "failed" and "removed" in statuses["ep2.cover.jpg"][1]
    recorded = json.loads((out / STATE_NAME).read_text(encoding="utf-8"))["outputs"]
    assert set(recorded) == {"ep1.mp4", "ep1.cover.jpg"}


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.slow  # the job board draws its cards
@pytest.mark.skipif(not (EXAMPLES / "jobs.csv").is_file(), reason="example channel not present")
def test_jobboard_entry_becomes_episodes(fake_render: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    week = tmp_path / "week.yaml"
    week.write_text(
        "version: 1\noutput: out\ncovers: false\n"
        f"jobboard: {{jobs: {EXAMPLES / 'jobs.csv'}, channel: {EXAMPLES / 'channel' / 'channel.yaml'}, "
        "week: 2026-W48, name: stellen}\n",
        encoding="utf-8",
    )
    report = run_batch(week, INLINE)
    assert report.ok, [e.error for e in report.episodes]
    names = [e.name for e in report.episodes]
    assert names and all(n == "stellen" or n.startswith("stellen-teil") for n in names)
    assert all(e.field == "jobboard" for e in report.episodes)
    assert _renders(fake_render) == [f"{n}:final" for n in names]
    # The cards' text as sidecars beside each part, as `vidcoop jobboard` writes them.
    srt = (tmp_path / "out" / f"{names[0]}.srt").read_text(encoding="utf-8")
    assert "Heilerziehungspflegerin" in srt
    assert "Heilerziehungspflegerin" in (tmp_path / "out" / f"{names[0]}.vtt").read_text(encoding="utf-8")


def _example_copy(tmp_path: Path) -> Path:
    root = tmp_path / "examples"  # the channel names its kit by name, so the copy works anywhere
    for folder in ("channel", "episodes", "footage"):
        shutil.copytree(EXAMPLES / folder, root / folder)
    return root


needs_example_channel = pytest.mark.skipif(
    not (EXAMPLES / "channel" / "channel.yaml").is_file(), reason="example channel not present"
)


@needs_example_channel
def test_check_catches_a_partner_in_a_neutral_format(fake_render: Path, tmp_path: Path) -> None:
    root = _example_copy(tmp_path)
    good = (root / "episodes" / "was-ist-buergergeld.yaml").read_text(encoding="utf-8")
    bad = good.replace("name: was-ist-buergergeld", "name: mit-partner").replace(
        "segments:\n", "segments:\n  - {image: ../channel/partners/caritas-musterstadt.png, duration: 2,"
        " kind: bumper, partner: caritas-musterstadt}\n", 1)
    (root / "episodes" / "mit-partner.yaml").write_text(bad, encoding="utf-8")
    week = root / "week.yaml"
    week.write_text("version: 1\nepisodes: [episodes/was-ist-buergergeld.yaml, episodes/mit-partner.yaml]\n",
                    encoding="utf-8")
    report = check_week(week)
    assert [(e.name, e.status) for e in report.episodes] == [("was-ist-buergergeld", "ok"), ("mit-partner", "failed")]
    assert report.episodes[1].error_type == "PolicyError"
    assert "erklaervideo" in (report.episodes[1].error or "")
    ran = run_batch(week, INLINE)  # the same rule stops it before rendering, the other episode renders
    assert [e.status for e in ran.episodes] == ["rendered", "failed"]
    assert _renders(fake_render) == ["was-ist-buergergeld:final"]


@needs_example_channel
def test_channel_files_are_inputs(fake_render: Path, tmp_path: Path) -> None:
    root = _example_copy(tmp_path)
    week = root / "week.yaml"
    week.write_text("version: 1\noutput: out\ncovers: false\nepisodes: [episodes/was-ist-buergergeld.yaml]\n",
                    encoding="utf-8")
    first = run_batch(week, INLINE)
    assert first.ok, first.episodes[0].error
    assert [e.status for e in run_batch(week, INLINE).episodes] == ["skipped"]
    glossary = next((root / "channel").glob("glossary.*"))
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert [e.status for e in run_batch(week, INLINE).episodes] == ["rendered"]


def test_live_display_tracks_outputs_and_total(fake_render: Path, make_week) -> None:
    import io

    from rich.console import Console
    from rich.progress import Progress

    from vidcoop.cli.batch import _Display

    week = make_week(("ep1", "ep2", "ep3"), titles={"ep2": "ffmpeg-fails"})
    run_batch(week, INLINE)
    # ep1 fails to probe now (planned before any render), ep2 fails again while rendering, ep3 is skipped.
    (week.parent / "clips" / "ep1.mp4").write_bytes(b"changed")
    with Progress(console=Console(file=io.StringIO(), force_terminal=False)) as progress:
        display = _Display(progress)
        run_batch(week, INLINE, on_event=display)
        tasks = {t.description.split()[0]: t for t in progress.tasks}
    assert tasks["[bold]total"].completed == 3 and tasks["[bold]total"].total == 3
    assert "failed" in tasks["ep1"].description  # failed before rendering (its media)
    assert "failed" in tasks["ep2:final"].description  # failed while rendering
    assert tasks["ep3:final"].completed == 1.0 and "skipped" in tasks["ep3:final"].description


def test_a_second_batch_on_the_same_folder_is_refused(fake_render: Path, make_week) -> None:
    from vidcoop.batch.state import folder_lock
    from vidcoop.errors import VidcoopError

    week = make_week(("ep1",))
    with folder_lock(week.parent / "out"), pytest.raises(VidcoopError, match="another vidcoop batch"):
        run_batch(week, INLINE)
    assert run_batch(week, INLINE).ok  # free again once the first one is done


def test_two_entries_with_one_name_do_not_share_outputs(fake_render: Path, make_week) -> None:
    week = make_week(("ep1", "ep2"))
    text = week.read_text(encoding="utf-8").replace(
        "  - episodes/ep2.yaml", "  - {path: episodes/ep2.yaml, name: ep1x}\n  - {path: episodes/ep1.yaml, name: ep1x}"
    )
    week.write_text(text, encoding="utf-8")
    with pytest.raises(Exception, match="used twice"):
        run_batch(week, INLINE)  # names fixed in the week are checked when it is loaded
    week.write_text(text.replace("name: ep1x}\n  - {path: episodes/ep1.yaml, name: ep1x}",
                                 "name: ep1x}\n  - {path: episodes/ep1.yaml}"), encoding="utf-8")
    report = run_batch(week, INLINE)  # ep1.yaml is listed twice under its own name
    assert [(e.name, e.status) for e in report.episodes] == [
        ("ep1", "rendered"), ("ep1x", "rendered"), ("ep1#episodes.2", "failed")
    ]
    assert "already used by episodes.0" in (report.episodes[2].error or "")


def test_covers_are_made_per_rendition_shape(fake_render: Path, make_week) -> None:
    """An episode posted in 9:16 and 1:1 gets a cover of each shape, each its own output and key (issue 30)."""
    from PIL import Image

    week = make_week(("ep1",), covers=True)
    manifest = week.parent / "episodes" / "ep1.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + 'renditions: ["9:16", "1:1"]\n', encoding="utf-8")
    first = run_batch(week, INLINE)
    out = week.parent / "out"
    made = {o.output.name: o.status for o in first.episodes[0].outputs}
    assert made["ep1.cover.jpg"] == "rendered" and made["ep1.1x1.cover.jpg"] == "rendered", made
    with Image.open(out / "ep1.cover.jpg") as img:
        assert img.size == (1080, 1920)
    with Image.open(out / "ep1.1x1.cover.jpg") as img:
        assert img.size == (1080, 1080) and img.format == "JPEG"
    again = {o.output.name: o.status for o in run_batch(week, INLINE).episodes[0].outputs}
    assert again["ep1.cover.jpg"] == again["ep1.1x1.cover.jpg"] == "skipped"
    (out / "ep1.1x1.cover.jpg").unlink()
    third = {o.output.name: o.status for o in run_batch(week, INLINE).episodes[0].outputs}
    assert third["ep1.1x1.cover.jpg"] == "rendered" and third["ep1.cover.jpg"] == "skipped"
