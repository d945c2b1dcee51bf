"""The CLI answers bad input with one line and a non-zero exit, never a traceback (issue #9)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from vidcoop.cli.main import EXIT_INTERNAL, main


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    err = capsys.readouterr().err
    return int(info.value.code or 0), err


def _huge_png(path: Path) -> Path:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 30000, 30000, 8, 6, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b""))
    return path


def _card(path: Path) -> Path:
    from PIL import Image

    Image.new("RGB", (64, 64)).save(path)
    return path


def _one_line(code: int, err: str) -> None:
    assert code != 0
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err


def test_threads_are_validated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(["render", str(tmp_path / "ep.yaml"), "--threads", "100000"], capsys)
    assert code == 2 and "100000 is not in the range 1<=x<=64" in err


def test_a_huge_overlay_image_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _card(tmp_path / "card.png")
    _huge_png(tmp_path / "huge.png")
    (tmp_path / "ep.yaml").write_text(
        "version: 1\nsegments: [{image: card.png, duration: 1}]\noverlays: [{image: huge.png}]\n", encoding="utf-8"
    )
    code, err = _run(["render", str(tmp_path / "ep.yaml"), "-o", str(tmp_path / "out.mp4")], capsys)
    _one_line(code, err)
    assert "huge.png [overlays.0.image]: image is too large" in err
    assert not (tmp_path / "out.mp4").exists()


def test_deep_nesting_and_alias_bombs_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text("version: 1\nsegments: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    code, err = _run(["render", str(deep)], capsys)
    _one_line(code, err)
    assert "nested more than" in err


def test_an_unexpected_exception_is_one_line_too(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import vidcoop.timeline.manifest as manifest

    def broken(path: object) -> None:
        raise RuntimeError("something nobody foresaw\nsecond line")

    monkeypatch.setattr(manifest, "load_episode", broken)
    monkeypatch.delenv("VIDCOOP_DEBUG", raising=False)
    code, err = _run(["check", "ep.yaml", "--channel", "c.yaml"], capsys)
    _one_line(code, err)
    assert code == EXIT_INTERNAL and "internal error: RuntimeError: something nobody foresaw" in err
    assert "VIDCOOP_DEBUG=1" in err


RAW_CONTROLS = ("\x1b", "\x07", "\r", "\u202e")  # ESC, BEL, CR, a bidi override


def test_control_characters_in_an_error_are_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = tmp_path / "ep\x1b[2J\x07\r\u202e.yaml"
    code, err = _run(["render", str(name)], capsys)
    _one_line(code, err)
    assert not any(c in err for c in RAW_CONTROLS), repr(err)
    assert "ep\\x1b[2J\\x07\\x0d\\u202e.yaml" in err


def test_control_characters_in_a_job_title_are_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The title's ESC has no glyph in the card font: it is named in "no glyph for ..." and shown in the table.
    repo = Path(__file__).resolve().parents[2]
    rows = (repo / "examples" / "jobs.csv").read_text(encoding="utf-8-sig").splitlines()
    rows[1] = rows[1].replace("Heilerziehungspflegerin", "Heil\x1b[31mrot\x07\u202eerzieh", 1)  # a CR would end the row
    jobs = tmp_path / "jobs.csv"
    jobs.write_text("\n".join(rows[:2]) + "\n", encoding="utf-8")
    code = main(["jobboard", str(jobs), "--channel", str(repo / "examples" / "channel" / "channel.yaml"),
                 "--week", "2026-W48", "--check"])
    assert code == 2  # the row is invalid
    out = capsys.readouterr()
    printed = out.out + out.err
    assert "no glyph for" in printed and "\\x1b" in printed
    assert not any(c in printed for c in RAW_CONTROLS), repr(printed)


def test_control_characters_in_warnings_and_usage_errors_are_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    from vidcoop.cli._echo import warn

    warn("the card font has no glyph for \x1b (drawn as empty boxes): 'Heil\x1b[31mrot\x07\r\u202eerzieh'")
    err = capsys.readouterr().err
    assert err == "warning: the card font has no glyph for \\x1b (drawn as empty boxes): " \
                  "'Heil\\x1b[31mrot\\x07\\x0d\\u202eerzieh'\n"
    code, err = _run(["re\x1b[2Jnder"], capsys)  # click quotes what was typed with repr()
    assert code == 2
    assert "re\\x1b[2Jnder" in err and not any(c in err for c in RAW_CONTROLS), repr(err)
