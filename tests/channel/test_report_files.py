"""Audit reports list the user's files; what vidcoop drew itself in its temp or cache folders apart."""

from __future__ import annotations

from pathlib import Path

from vidcoop.channel.report import ReportInputs, build_report
from vidcoop.files import cache_dir, file_sha256, work_dir
from vidcoop.timeline.model import Episode, Segment


def test_report_lists_user_files_not_temporary_ones(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    mine = tmp_path / "footage.png"
    mine.write_bytes(b"user picture")
    cached = cache_dir("cards") / "card-1.png"
    cached.write_bytes(b"drawn card")
    with work_dir("render") as work:
        intro = work / "intro.png"
        intro.write_bytes(b"title card")
        episode = Episode(segments=(Segment(intro, duration=2, kind="intro"), Segment(mine, duration=3),
                                    Segment(cached, duration=3, kind="card")), title="t", name="ep")
        data = build_report(episode, ReportInputs())
    paths = {entry["path"]: entry["sha256"] for entry in data["inputs"]}
    assert paths == {str(mine.resolve()): file_sha256(mine)}
    assert {(g["role"], g["name"]) for g in data["generated"]} == {
        ("segments.0 (intro)", "intro.png"), ("segments.2 (card)", "card-1.png")}
