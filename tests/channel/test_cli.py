"""``vidcoop check`` and ``vidcoop report`` in-process."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from vidcoop.cli.check import check
from vidcoop.cli.report import report
from vidcoop.errors import ManifestError, PolicyError

from .conftest import EXAMPLE_CHANNEL

PARTNERS = EXAMPLE_CHANNEL.parent / "partners"


def stills(folder: Path, *names: str) -> None:
    """Small real pictures (seeded noise, nothing like a partner logo): check plans every source."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(7)
    for name in names:
        Image.fromarray(rng.integers(0, 255, (192, 108, 3), dtype=np.uint8)).save(folder / name)


def _manifest(tmp_path: Path, fmt: str, *, with_channel: bool = True) -> Path:
    stills(tmp_path, "intro.png", "job.png", "outro.png")
    channel_line = f"channel: {EXAMPLE_CHANNEL}\n" if with_channel else ""
    text = f"""version: 1
name: kw45
format: {fmt}
{channel_line}segments:
  - {{image: intro.png, duration: 2, kind: intro}}
  - {{image: {PARTNERS}/diakonie-musterstadt-bumper.png, duration: 2, kind: bumper, partner: diakonie-musterstadt}}
  - {{image: job.png, duration: 4, kind: card, partner: diakonie-musterstadt}}
  - {{image: outro.png, duration: 2, kind: outro}}
overlays:
  - {{image: {PARTNERS}/diakonie-musterstadt.png, position: center, width: 300, start: 2, end: 8,
      partner: diakonie-musterstadt, kind: logo}}
"""
    path = tmp_path / "ep.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_check_passes_job_board_episode(tmp_path: Path) -> None:
    result = CliRunner().invoke(check, [str(_manifest(tmp_path, "stellenboerse"))])
    assert result.exit_code == 0, result.output
    assert "ok    partner-logo-in-slot" in result.output
    assert result.output.strip().endswith("passed")
    as_json = CliRunner().invoke(check, [str(_manifest(tmp_path, "stellenboerse")), "--json"])
    assert json.loads(as_json.output)["format"] == "stellenboerse"


def test_check_refuses_partner_in_explainer(tmp_path: Path) -> None:
    result = CliRunner().invoke(check, [str(_manifest(tmp_path, "erklaervideo"))])
    assert result.exit_code != 0
    err = result.exception
    assert isinstance(err, PolicyError)
    assert (err.rule, err.format, err.field) == ("no-partner-slots", "erklaervideo", "segments.1")
    assert err.path == str(tmp_path / "ep.yaml")


def test_a_format_needs_its_channel(tmp_path: Path) -> None:
    path = _manifest(tmp_path, "stellenboerse", with_channel=False)
    result = CliRunner().invoke(check, [str(path), "--channel", str(EXAMPLE_CHANNEL)])
    assert isinstance(result.exception, ManifestError)
    assert result.exception.field == "format" and "needs its channel" in str(result.exception)


def test_check_needs_a_channel(tmp_path: Path) -> None:
    stills(tmp_path, "a.png")
    path = tmp_path / "plain.yaml"
    path.write_text("version: 1\nsegments:\n  - {image: a.png, duration: 2}\n", encoding="utf-8")
    result = CliRunner().invoke(check, [str(path)])
    assert result.exit_code == 2 and "pass --channel" in result.output
    ok = CliRunner().invoke(check, [str(path), "--channel", str(EXAMPLE_CHANNEL)])
    assert ok.exit_code == 0, ok.output


def _write_report(folder: Path, name: str, created: str, partners: dict[str, float]) -> None:
    data = {"created": created, "partners": [
        {"id": pid, "name": pid, "screen_time": secs,
         "appearances": [{"kind": "bumper", "source": "segment", "start": 2.0, "length": secs}]}
        for pid, secs in partners.items()]}
    (folder / f"{name}.report.json").write_text(json.dumps(data), encoding="utf-8")


def test_report_table_sums_a_week(tmp_path: Path) -> None:
    _write_report(tmp_path, "a", "2026-11-02T10:00:00+00:00", {"caritas-musterstadt": 2.5})
    _write_report(tmp_path, "b", "2026-11-04T10:00:00+00:00", {"caritas-musterstadt": 2.5, "diakonie-musterstadt": 2})
    _write_report(tmp_path, "c", "2026-11-12T10:00:00+00:00", {"diakonie-musterstadt": 9})
    result = CliRunner().invoke(report, [str(tmp_path), "--since", "2026-11-02", "--until", "2026-11-08",
                                         "--channel", str(EXAMPLE_CHANNEL)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "2 episode(s)" in out
    caritas = next(line for line in out.splitlines() if "Caritas Musterstadt" in line)
    assert "5.0 s" in caritas and "71 %" in caritas  # 5 of 7 s
    diakonie = next(line for line in out.splitlines() if "Diakonie Musterstadt" in line)
    assert "2.0 s" in diakonie
    paritaet = next(line for line in out.splitlines() if "Paritätischer Musterstadt" in line)
    assert "0.0 s" in paritaet  # listed although not shown, because --channel names it


def test_check_sees_the_format_parts_render_adds(tmp_path: Path) -> None:
    # the manifest starts with the bumper; render() adds the kit's intro first, so it sits after the intro
    stills(tmp_path, "job.png")
    path = tmp_path / "ep.yaml"
    path.write_text(f"""version: 1
format: stellenboerse
channel: {EXAMPLE_CHANNEL}
segments:
  - {{image: {PARTNERS}/caritas-musterstadt.png, duration: 2.5, kind: bumper, partner: caritas-musterstadt}}
  - {{image: job.png, duration: 4, kind: card, partner: caritas-musterstadt}}
""", encoding="utf-8")
    result = CliRunner().invoke(check, [str(path)])
    assert result.exit_code == 0, result.output
    assert "ok    structure" in result.output and "ok    slot-position" in result.output


def test_report_json_and_next_slots(tmp_path: Path) -> None:
    _write_report(tmp_path, "a", "2026-11-02T10:00:00+00:00", {"caritas-musterstadt": 2.5, "diakonie-musterstadt": 2})
    result = CliRunner().invoke(report, [str(tmp_path), "--channel", str(EXAMPLE_CHANNEL), "--next", "2", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["reports"] == 1
    assert {r["id"]: r["seconds"] for r in data["partners"]} == {
        "caritas-musterstadt": 2.5, "diakonie-musterstadt": 2.0, "paritaetischer-musterstadt": 0.0}
    assert data["next"] == ["paritaetischer-musterstadt", "diakonie-musterstadt"]
    table = CliRunner().invoke(report, [str(tmp_path), "--channel", str(EXAMPLE_CHANNEL), "--next", "1"])
    assert "next slots: Paritätischer Musterstadt" in table.output
    needs_channel = CliRunner().invoke(report, [str(tmp_path), "--next", "1"])
    assert needs_channel.exit_code == 2 and "--next needs --channel" in needs_channel.output
