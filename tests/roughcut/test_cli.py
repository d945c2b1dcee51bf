"""``vidcoop cut``: bad input is one line naming the file and the field, before any transcription."""

from __future__ import annotations

from pathlib import Path

import pytest

from vidcoop.cli.main import main


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    return int(info.value.code or 0), capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ([], "folge.yaml [source]: --source is needed"),
        (["--source", "{src}"], "folge.yaml [keep]: --keep is needed"),
        (["--source", "{src}", "--keep", "1-x"], "interview.mp4 [keep]: keep: '1-x' is not a sentence number"),
        (["--source", "{src}", "--keep", "3-1"], "interview.mp4 [keep]: keep: range 3-1 runs backwards"),
        (["--source", "{src}", "--keep", "1", "--tighten-pauses", "0"], "interview.mp4 [tighten_pauses]"),
        (["--source", "{missing}", "--keep", "1"], "nowhere.mp4 [source]: file not found"),
    ],
)
def test_bad_input_is_one_line_naming_file_and_field(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      extra: list[str], expected: str) -> None:
    source = tmp_path / "interview.mp4"
    source.write_bytes(b"never decoded: the check comes first")
    args = [a.format(src=source, missing=tmp_path / "nowhere.mp4") for a in extra]
    code, err = _run(["cut", str(tmp_path / "folge.yaml"), *args], capsys)
    assert code == 1 and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert expected in err
    assert not (tmp_path / "folge.yaml").exists()


def test_keep_without_a_manifest_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(["cut", str(tmp_path / "a.mp4"), "--keep", "1"], capsys)
    assert code == 1 and "a.mp4 [target]: give an episode manifest (.yaml)" in err
