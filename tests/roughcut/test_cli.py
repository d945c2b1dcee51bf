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


def test_a_formats_intro_moves_the_captions_to_where_the_body_plays(tmp_path: Path) -> None:
    from fractions import Fraction

    from tests.roughcut.synthetic import audio, transcript, words
    from vidcoop.captions.formats import Cues
    from vidcoop.channel.cutsave import body_offset
    from vidcoop.roughcut import plan_cut, save_cut
    from vidcoop.roughcut.transcript import from_transcript

    root = Path(__file__).resolve().parents[2] / "examples"
    manifest = tmp_path / "folge.yaml"
    manifest.write_text(f"version: 1\nformat: erklaervideo\nchannel: {root / 'channel' / 'channel.yaml'}\n"
                        "segments: []\n", encoding="utf-8")
    ws = words(("Hallo", 0.5, 0.9), ("zusammen.", 0.9, 1.5))
    st = from_transcript(root / "footage" / "interview.mp4", transcript(ws).transcript)
    cut = plan_cut(st, audio([(w.start, w.end) for w in ws]), [1])
    save_cut(manifest, cut, style="social")
    offset = body_offset(manifest)
    assert offset > 1  # the kit's intro card
    saved = save_cut(manifest, cut, style="social", offset=offset)
    first = Cues.load(saved.captions, style="social")[0].words[0]
    assert first.start == offset + Fraction("0.5") - cut.pieces[0].start
