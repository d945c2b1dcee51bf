"""``vidcoop captions``: in-process with click's CliRunner, transcription faked where it would load a model."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from vidcoop.captions.formats import Cues, cues_from_lines
from vidcoop.captions.model import Transcript, TranscriptSegment, Word
from vidcoop.cli.captions import captions
from vidcoop.errors import CaptionError, MediaError

F = Fraction


def _fake_transcript() -> Transcript:
    texts = [
        "Hallo",
        "und",
        "willkommen",
        "bei",
        "der",
        "Caritas.",
        "Heute",
        "zeigen",
        "wir",
        "euch",
        "die",
        "Werkstatt.",
    ]
    words = []
    at = F(0)
    for t in texts:
        words.append(Word(t, at, at + F(3, 10)))
        at += F(4, 10)
    return Transcript(
        (TranscriptSegment(" ".join(texts), words[0].start, words[-1].end, tuple(words)),),
        language="de", backend="fake", model="fake", duration=at + 1,
    )  # fmt: skip


@pytest.fixture
def fake_transcribe(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    calls: list[object] = []

    def fake(path: object, options: object = None) -> Transcript:
        calls.append((path, options))
        return _fake_transcript()

    monkeypatch.setattr("vidcoop.captions.transcribe.transcribe", fake)
    return calls


def test_transcribes_media_and_writes_srt(tmp_path: Path, fake_transcribe: list[object]) -> None:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"not really a video; transcription is faked")
    result = CliRunner().invoke(captions, [str(clip), "--language", "de", "--model", "tiny"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "clip.srt"
    cues = Cues.load(out)
    assert len(cues) >= 1
    assert "Caritas." in " ".join(c.text for c in cues)
    assert "wrote" in result.output and "subtitle" in result.output
    ((_, options),) = fake_transcribe  # type: ignore[misc]
    assert options.language == "de" and options.model == "tiny"  # type: ignore[attr-defined]


def test_social_style_json_keeps_word_times(tmp_path: Path, fake_transcribe: list[object]) -> None:
    clip = tmp_path / "clip.wav"
    clip.write_bytes(b"x")
    out = tmp_path / "out" / "cues.json"
    result = CliRunner().invoke(captions, [str(clip), "-o", str(out), "--style", "social", "--language", "auto"])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["style"] == "social"
    assert all(1 <= len(c["words"]) <= 3 for c in data["cues"])
    ((_, options),) = fake_transcribe  # type: ignore[misc]
    assert options.language is None  # type: ignore[attr-defined]


def test_converts_caption_files_without_transcribing(tmp_path: Path, fake_transcribe: list[object]) -> None:
    src = cues_from_lines([(F(1), F(2), "{\\b1} bleibt wörtlich"), (F(3), F(4), "zwei\nZeilen")]).save(
        tmp_path / "edit.srt"
    )
    for fmt in ("vtt", "ass", "json"):
        result = CliRunner().invoke(captions, [str(src), "--format", fmt])
        assert result.exit_code == 0, result.output
        back = Cues.load(tmp_path / f"edit.{fmt}")
        assert [c.lines for c in back] == [("{\\b1} bleibt wörtlich",), ("zwei", "Zeilen")]
    assert fake_transcribe == []


def test_transcript_json_is_segmented_without_transcribing(tmp_path: Path, fake_transcribe: list[object]) -> None:
    from vidcoop.captions.transcript_io import save_transcript

    path = save_transcript(_fake_transcript(), tmp_path / "t.json")
    result = CliRunner().invoke(captions, [str(path), "-o", str(tmp_path / "t.vtt")])
    assert result.exit_code == 0, result.output
    assert "Werkstatt." in (tmp_path / "t.vtt").read_text(encoding="utf-8")
    assert fake_transcribe == []


def test_kit_option_uses_the_kit_caption_style(tmp_path: Path, fake_transcribe: list[object]) -> None:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"x")
    result = CliRunner().invoke(captions, [str(clip), "--kit", "neutral", "--style", "social"])
    assert result.exit_code == 0, result.output


def test_errors_are_typed(tmp_path: Path) -> None:
    result = CliRunner().invoke(captions, [str(tmp_path / "missing.mp4")])
    assert isinstance(result.exception, MediaError)
    src = cues_from_lines([(F(0), F(1), "x")]).save(tmp_path / "a.srt")
    result = CliRunner().invoke(captions, [str(src)])
    assert result.exit_code != 0 and "overwrite itself" in result.output
    result = CliRunner().invoke(captions, [str(src), "-o", str(tmp_path / "a.docx")])
    assert isinstance(result.exception, CaptionError)


def test_registered_in_main_cli() -> None:
    from vidcoop.cli.main import cli

    result = CliRunner().invoke(cli, ["captions", "--help"])
    assert result.exit_code == 0
    assert "--style" in result.output and "--glossary" in result.output


REPO = Path(__file__).resolve().parents[2]
EPISODE = "was-ist-buergergeld"


def _example_episode(tmp_path: Path, srt: str) -> Path:
    """A copy of the example channel whose explainer burns ``srt`` (no speech model involved)."""
    import shutil

    root = tmp_path / "repo"
    shutil.copytree(REPO / "examples", root / "examples", ignore=shutil.ignore_patterns("*.py", "out"))
    shutil.copytree(REPO / "brand_kits", root / "brand_kits", ignore=shutil.ignore_patterns("*.py"))
    episodes = root / "examples" / "episodes"
    (episodes / "given.srt").write_text(srt, encoding="utf-8")
    manifest = episodes / f"{EPISODE}.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("captions: {mode: auto}", "captions: {mode: file, file: given.srt}"),
                        encoding="utf-8")
    return manifest


EPISODE_SRT = ("1\n00:00:03,000 --> 00:00:05,000\nWas ist Bürgergeld?\n\n"
               "2\n00:00:06,000 --> 00:00:08,500\nDas Jobcenter hilft.\n")


def test_an_episode_gets_its_captions_on_the_episode_timeline(tmp_path: Path) -> None:
    from vidcoop.pipeline import episode_cues
    from vidcoop.timeline.manifest import load_episode

    manifest = _example_episode(tmp_path, EPISODE_SRT)
    out = tmp_path / "episode.srt"
    result = CliRunner().invoke(captions, [str(manifest), "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = Cues.load(out)
    expected = episode_cues(load_episode(manifest))
    assert expected is not None
    assert [(c.start, c.end, c.text) for c in written] == [(c.start, c.end, c.text) for c in expected]
    assert [c.text for c in written] == ["Was ist Bürgergeld?", "Das Jobcenter hilft."]
    refused = CliRunner().invoke(captions, [str(manifest), "-o", str(manifest.parent / "given.srt")])
    assert refused.exit_code != 0 and (manifest.parent / "given.srt").read_text(encoding="utf-8") == EPISODE_SRT


@pytest.mark.parametrize(("srt", "says"), [
    ("1\n00:00:00,400 --> 00:00:02,000\nHallo und willkommen.\n\n2\n00:00:03,000 --> 00:00:05,000\nWeiter.\n",
     "cue 1 (0.4-2.0s) shows over the intro card"),
    ("1\n00:00:03,000 --> 00:00:05,000\nHallo.\n\n2\n00:00:30,000 --> 00:00:32,000\nZu spät.\n",
     "cue 2 ends at 32.0s, after the episode's end"),
])
def test_a_caption_file_timed_to_a_clip_is_refused_by_name(tmp_path: Path, srt: str, says: str) -> None:
    manifest = _example_episode(tmp_path, srt)
    result = CliRunner().invoke(captions, [str(manifest), "-o", str(tmp_path / "out.srt")])
    assert isinstance(result.exception, CaptionError), result.output
    assert says in str(result.exception)
    assert result.exception.field == "captions.file"
    assert str(result.exception.path) == str(manifest.parent / "given.srt")
    assert not (tmp_path / "out.srt").exists()
