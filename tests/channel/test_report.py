"""Audit reports: contents, atomic write next to the video, summing, rotation over weeks."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop import __version__
from vidcoop.channel.config import Channel
from vidcoop.channel.policy import check_episode
from vidcoop.channel.report import (
    CaptionSource,
    ReportInputs,
    build_report,
    load_reports,
    partner_totals,
    report_path,
    write_report,
)
from vidcoop.channel.rotation import rotation
from vidcoop.files import file_sha256
from vidcoop.timeline.model import Episode, Overlay, Segment

CARITAS, DIAKONIE, PARITAET = "caritas-musterstadt", "diakonie-musterstadt", "paritaetischer-musterstadt"
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


def _episode(tmp_path: Path) -> Episode:
    files = {}
    for name in ("intro.png", "bumper.png", "job.png", "outro.png", "logo.png"):
        files[name] = tmp_path / name
        files[name].write_bytes(name.encode())
    return Episode(
        segments=[Segment(files["intro.png"], duration=2, kind="intro"),
                  Segment(files["bumper.png"], duration=3, kind="bumper", partner=CARITAS),
                  Segment(files["job.png"], duration=4, kind="card", partner=CARITAS),
                  Segment(files["job.png"], duration=4, kind="card", partner=DIAKONIE),
                  Segment(files["outro.png"], duration=2, kind="outro")],
        overlays=[Overlay(files["logo.png"], partner=CARITAS, kind="logo", start=Fraction(6), end=Fraction(9))],
        format="stellenboerse", name="woche-45", title="Stellenbörse KW 45",
    )


def test_report_contents(tmp_path: Path, channel: Channel) -> None:
    ep = _episode(tmp_path)
    policy = check_episode(ep, channel, image_sizes={tmp_path / "logo.png": (200, 100)})
    captions = CaptionSource(kind="transcribed", backend="faster-whisper", model="base", language="de",
                             style="social")
    data = build_report(ep, ReportInputs(durations=None, policy=policy, captions=captions, channel=channel),
                        output=tmp_path / "out.mp4", created=T0)
    assert data["version"] == 1 and data["vidcoop_version"] == __version__
    assert data["created"] == "2026-11-02T09:00:00+00:00"
    assert data["episode"] == {"name": "woche-45", "title": "Stellenbörse KW 45", "manifest": None, "duration": 15.0}
    assert (data["format"], data["channel"], data["brand_kit"]) == ("stellenboerse", "Wege zum Job", "wege-zum-job")
    caritas, diakonie = data["partners"]
    assert caritas["id"] == CARITAS and caritas["name"] == "Caritas Musterstadt"
    assert [(a["kind"], a["start"], a["length"]) for a in caritas["appearances"]] == [
        ("bumper", 2.0, 3.0), ("card", 5.0, 4.0), ("logo", 6.0, 3.0)]
    assert caritas["screen_time"] == 7.0  # the logo lies within the card: counted once
    assert diakonie["screen_time"] == 4.0 and diakonie["appearances"][0]["start"] == 9.0
    assert data["captions"] == {"kind": "transcribed", "backend": "faster-whisper", "model": "base",
                                "language": "de", "style": "social"}
    hashes = {Path(i["path"]).name: i["sha256"] for i in data["inputs"]}
    assert hashes["bumper.png"] == file_sha256(tmp_path / "bumper.png")
    assert hashes["channel.yaml"] == file_sha256(channel.path)
    assert hashes["kit.yaml"] == file_sha256(channel.kit_path)
    by_path = {i["path"]: i["sha256"] for i in data["inputs"]}
    assert by_path[str(tmp_path / "logo.png")] == file_sha256(tmp_path / "logo.png")
    assert by_path[str(channel.kit().logo.file)] == file_sha256(channel.kit().logo.file)
    assert list(hashes).count("job.png") == 1
    roles = {Path(i["path"]).name: i["role"] for i in data["inputs"]}
    assert roles["bumper.png"] == "segments.1 (bumper)" and roles["channel.yaml"] == "channel"
    assert roles["AtkinsonHyperlegible-Bold.ttf"] == "brand kit font"
    assert data["checks"]["passed"] == list(policy.passed)
    # the overlay's default top-right corner lies under TikTok's action rail: a warning, recorded
    assert [w["rule"] for w in data["checks"]["warnings"]] == ["safe-zone"]
    assert data["checks"]["warnings"][0]["field"] == "overlays.0"


def test_edited_caption_file_is_recorded_and_hashed(tmp_path: Path) -> None:
    srt = tmp_path / "edit.srt"
    srt.write_text("1\n00:00:00,000 --> 00:00:01,000\nHallo\n", encoding="utf-8")
    ep = Episode(segments=[Segment(tmp_path / "a.png", duration=1)])
    data = build_report(ep, ReportInputs(captions=CaptionSource(kind="file", path=srt)), created=T0)
    assert data["captions"] == {"kind": "file", "path": str(srt)}
    assert {"role": "captions", "path": str(srt), "sha256": file_sha256(srt)} in data["inputs"]
    # a missing input is recorded without a hash
    assert {"role": "segments.0 (body)", "path": str(tmp_path / "a.png"), "sha256": None} in data["inputs"]


def test_write_report_next_to_video(tmp_path: Path, channel: Channel) -> None:
    out = tmp_path / "renders" / "woche-45.mp4"
    path = write_report(out, _episode(tmp_path), ReportInputs(channel=channel), created=T0)
    assert path == report_path(out) == tmp_path / "renders" / "woche-45.report.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["output"] == str(out)
    assert [p.name for p in path.parent.iterdir()] == ["woche-45.report.json"]  # no temp file left


def _report(created: datetime, partners: dict[str, float]) -> dict[str, Any]:
    return {
        "created": created.isoformat(),
        "partners": [
            {"id": pid, "name": pid.title(), "screen_time": secs,
             "appearances": [{"kind": "bumper", "source": "segment", "start": 2.0, "length": secs}]}
            for pid, secs in partners.items()
        ],
    }


def test_load_reports_filters_by_date_and_totals(tmp_path: Path) -> None:
    for i, (day, partners) in enumerate([(1, {CARITAS: 3.0}), (8, {DIAKONIE: 2.0, CARITAS: 2.5}),
                                         (15, {PARITAET: 2.0})]):
        created = datetime(2026, 11, day, 10, tzinfo=timezone.utc)
        sub = tmp_path / f"week{i}"
        sub.mkdir()
        (sub / f"ep{i}.report.json").write_text(json.dumps(_report(created, partners)), encoding="utf-8")
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    everything = load_reports(tmp_path)
    assert len(everything) == 3
    week2 = load_reports(tmp_path, since=date(2026, 11, 8), until=date(2026, 11, 8))
    assert [Path(r["_path"]).name for r in week2] == ["ep1.report.json"]
    totals = partner_totals(everything)
    assert totals[CARITAS].seconds == 5.5 and totals[CARITAS].appearances == 2 and totals[CARITAS].episodes == 2
    assert totals[PARITAET].seconds == 2.0
    assert partner_totals([], [CARITAS])[CARITAS].seconds == 0


def test_the_shapes_of_one_render_count_as_one_episode() -> None:
    """A week rendered in 9:16, 4:5, 1:1 and 16:9 writes four reports of one episode: its partners count once
    (screen time, slots, episodes), so a channel with more platforms does not multiply a partner's share."""
    created = datetime(2026, 11, 1, 10, tzinfo=timezone.utc)
    reports = []
    for shape in ("4:5", "9:16", "1:1", "16:9"):
        report = _report(created, {CARITAS: 3.0})
        suffix = "" if shape == "9:16" else "." + shape.replace(":", "x")
        reports.append({**report, "episode": {"name": "w45", "manifest": "/k/episodes/w45.yaml"},
                        "output": f"/k/out/kw45/w45{suffix}.mp4", "extra": {"shape": shape, "profile": "final"}})
    reports[1]["partners"][0]["screen_time"] = 3.5  # the 9:16 one is the one that counts
    again = {**reports[0], "output": "/k/out/kw46/w45.4x5.mp4"}  # posted again in another week: counts again
    totals = partner_totals([*reports, again])[CARITAS]
    assert (totals.episodes, totals.bumper_slots, totals.seconds) == (2, 2, 6.5)


def test_rotation_evens_out_exposure_over_weeks() -> None:
    partners = [PARITAET, CARITAS, DIAKONIE]
    reports: list[dict[str, Any]] = []
    picks = []
    for week in range(6):
        chosen = rotation(partners, reports, 1)
        picks.append(chosen[0])
        reports.append(_report(T0 + timedelta(weeks=week), {chosen[0]: 2.0}))
    # ties break by id; afterwards everyone gets a turn before anyone gets a second one
    assert picks == [CARITAS, DIAKONIE, PARITAET, CARITAS, DIAKONIE, PARITAET]
    totals = partner_totals(reports)
    assert {t.seconds for t in totals.values()} == {4.0}


def _week(created: datetime, bumpers: dict[str, float], cards: dict[str, float]) -> dict[str, Any]:
    ids = sorted({*bumpers, *cards})
    return {"created": created.isoformat(), "partners": [
        {"id": pid, "screen_time": bumpers.get(pid, 0) + cards.get(pid, 0), "appearances": [
            *([{"kind": "bumper", "source": "segment", "length": bumpers[pid]}] if pid in bumpers else []),
            *([{"kind": "card", "source": "segment", "length": cards[pid]}] if pid in cards else [])]}
        for pid in ids]}


def test_rotation_prefers_fewest_slots_then_card_seconds() -> None:
    past = [_week(T0, {CARITAS: 3.0, DIAKONIE: 2.0}, {CARITAS: 10.0, PARITAET: 4.0}),
            _week(T0, {PARITAET: 2.0}, {DIAKONIE: 8.0})]
    totals = partner_totals(past)
    assert (totals[CARITAS].bumper_slots, totals[CARITAS].card_seconds) == (1, 10.0)
    assert (totals[DIAKONIE].bumper_slots, totals[DIAKONIE].card_seconds) == (1, 8.0)
    # one slot each so far; paritaet has the fewest card seconds, then diakonie
    assert rotation([CARITAS, DIAKONIE, PARITAET], past, 2) == [PARITAET, DIAKONIE]
    assert rotation([CARITAS, DIAKONIE, PARITAET], past, 5) == [PARITAET, DIAKONIE, CARITAS, PARITAET, DIAKONIE]
    assert rotation([CARITAS], past, 0) == []


def test_rotation_evens_slot_counts_with_uneven_bumper_lengths(channel: Channel) -> None:
    # two slots a week; caritas' bumper runs longer, but slot counts stay within one
    length = {CARITAS: 3.0, DIAKONIE: 2.0, PARITAET: 2.0}
    reports: list[dict[str, Any]] = []
    for week in range(8):
        chosen = rotation(list(channel.partners.values()), reports, 2)
        assert len(set(chosen)) == 2
        reports.append(_report(T0 + timedelta(weeks=week), {pid: length[pid] for pid in chosen}))
        slots = [t.bumper_slots for t in partner_totals(reports, channel.partners).values()]
        assert max(slots) - min(slots) <= 1


def test_report_counts_partner_media_found_by_content(tmp_path: Path, channel: Channel) -> None:
    logo = channel.partners[CARITAS].logo
    ep = _episode(tmp_path)
    ep = Episode(ep.segments, overlays=(Overlay(logo, kind="image", start=Fraction(2), end=Fraction(4),
                                                field="overlays.0"),
                                        Overlay(logo, kind="logo", partner=DIAKONIE, start=Fraction(9),
                                                end=Fraction(10), field="overlays.1")),
                 format=ep.format, name=ep.name)
    data = build_report(ep, ReportInputs(channel=channel), created=T0)
    caritas = next(p for p in data["partners"] if p["id"] == CARITAS)
    unlabelled = [a for a in caritas["appearances"] if not a["labelled"]]
    assert [(a["field"], a["start"], a["length"]) for a in unlabelled] == [("overlays.0", 2.0, 2.0),
                                                                           ("overlays.1", 9.0, 1.0)]
    assert all(a["labelled"] for a in caritas["appearances"] if a["source"] == "segment")
    assert partner_totals([data])[CARITAS].unlabelled == 2
