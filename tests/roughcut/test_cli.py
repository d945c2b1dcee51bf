"""``vidcoop cut``: bad input is one line naming the file and the field, before any transcription."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from vidcoop.cli.main import main
from vidcoop.errors import ManifestError


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


def _record(monkeypatch: pytest.MonkeyPatch, name: str) -> list[Any]:
    """Replace ``vidcoop.roughcut.<name>`` with a recorder that stops the command after the call."""
    import vidcoop.roughcut

    calls: list[Any] = []

    def recorder(*args: Any, **kwargs: Any) -> Any:
        calls.append((args, kwargs))
        raise ManifestError("recorded, not transcribed", field="test")

    monkeypatch.setattr(vidcoop.roughcut, name, recorder)
    return calls


def test_the_cut_transcribes_with_the_channel_the_manifest_names(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The kept sentences become captions: heard with the channel's language and glossary, as renders hear them."""
    root = Path(__file__).resolve().parents[2] / "examples"
    manifest = tmp_path / "folge.yaml"
    manifest.write_text(f"version: 1\nchannel: {root / 'channel' / 'channel.yaml'}\nsegments: []\n", encoding="utf-8")
    calls = _record(monkeypatch, "cut_source")
    _run(["cut", str(manifest), "--source", str(root / "footage" / "interview.mp4"), "--keep", "1"], capsys)
    options = calls[0][1]["transcribe"]
    assert options.language == "de" and options.glossary is not None
    assert "Caritas" in options.glossary.terms

    # a new manifest names no channel: the defaults, unless --channel gives one
    calls.clear()
    _run(["cut", str(tmp_path / "neu.yaml"), "--source", str(root / "footage" / "interview.mp4"), "--keep", "1"],
         capsys)
    assert calls[0][1]["transcribe"].glossary is None
    calls.clear()
    _run(["cut", str(tmp_path / "neu.yaml"), "--source", str(root / "footage" / "interview.mp4"), "--keep", "1",
          "--channel", str(root / "channel" / "channel.yaml")], capsys)
    assert calls[0][1]["transcribe"].glossary is not None


def test_the_sentence_list_uses_the_channel_given(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(__file__).resolve().parents[2] / "examples"
    calls = _record(monkeypatch, "read_source")
    _run(["cut", str(root / "footage" / "interview.mp4"), "--channel", str(root / "channel" / "channel.yaml")], capsys)
    assert calls[0][0][1].glossary is not None
    code, err = _run(["cut", str(root / "footage" / "interview.mp4"), "--channel", str(tmp_path / "nix.yaml")], capsys)
    assert code == 1 and "nix.yaml" in err and len(err.strip().splitlines()) == 1


def test_a_new_manifest_cut_for_a_channel_names_it(tmp_path: Path) -> None:
    from tests.roughcut.synthetic import audio, transcript, words
    from vidcoop.channel.cutsave import save_episode_cut
    from vidcoop.roughcut import plan_cut
    from vidcoop.roughcut.transcript import from_transcript
    from vidcoop.timeline.manifest import load_episode

    root = Path(__file__).resolve().parents[2] / "examples"
    ws = words(("Hallo", 0.5, 0.9), ("zusammen.", 0.9, 1.5))
    st = from_transcript(root / "footage" / "interview.mp4", transcript(ws).transcript)
    cut = plan_cut(st, audio([(w.start, w.end) for w in ws]), [1])
    (tmp_path / "episodes").mkdir()
    manifest = tmp_path / "episodes" / "folge.yaml"
    channel = root / "channel" / "channel.yaml"
    save_episode_cut(manifest, cut, channel=channel)
    assert Path(load_episode(manifest).channel or "").resolve() == channel.resolve()
    # an existing manifest keeps the channel it names
    other = tmp_path / "other.yaml"
    other.write_text("version: 1\nsegments: []\n", encoding="utf-8")
    save_episode_cut(other, cut, channel=channel)
    assert load_episode(other).channel is None
