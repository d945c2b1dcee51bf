"""transcribe / transcribe_spans with a fake backend: decoding, caching, timeline mapping."""

from __future__ import annotations

import pickle
import sys
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from vidcoop.captions.backends import BACKENDS, SAMPLE_RATE, Transcriber, get_backend
from vidcoop.captions.glossary import Glossary
from vidcoop.captions.model import Transcript, TranscriptSegment, Word
from vidcoop.captions.options import TranscribeOptions
from vidcoop.captions.transcribe import AudioSpan, transcribe, transcribe_spans
from vidcoop.errors import ManifestError, MediaError, TranscriptionError
from vidcoop.media.audio import decode_audio

TONE = "sine=f=1000:r=44100:d=1"


@pytest.fixture(scope="session")
def beep_clip(make_media) -> Path:  # type: ignore[no-untyped-def]
    """6 s stereo 48 kHz in Matroska/Opus: silence, a 1 kHz beep from 3.0 to 4.0 s, silence."""
    return make_media(
        "beep.mkv",
        audio="anullsrc=r=48000:cl=stereo:d=3[a];sine=f=1000:r=48000:d=1,pan=stereo|c0=c0|c1=c0[b];"
        "anullsrc=r=48000:cl=stereo:d=2[c];[a][b][c]concat=n=3:v=0:a=1[out0]",
        extra=("-c:a", "libopus", "-b:a", "64k"),
    )


def loud_region(audio: np.ndarray) -> tuple[float, float]:
    """First and last time (s) where 10 ms windows are loud."""
    frames = len(audio) // 160
    rms = np.sqrt((audio[: frames * 160].reshape(frames, 160) ** 2).mean(axis=1))
    loud = np.nonzero(rms > 0.05)[0]
    return loud[0] / 100, (loud[-1] + 1) / 100


def test_decode_audio_whole_and_range(beep_clip: Path) -> None:
    whole = decode_audio(beep_clip)
    assert whole is not None and whole.dtype == np.float32 and whole.ndim == 1
    assert abs(len(whole) - 6 * SAMPLE_RATE) < SAMPLE_RATE // 50
    assert loud_region(whole) == pytest.approx((3.0, 4.0), abs=0.03)
    part = decode_audio(beep_clip, Fraction(5, 2), Fraction(9, 2))  # seeks: start > 1 s
    assert part is not None and len(part) == 2 * SAMPLE_RATE
    assert loud_region(part) == pytest.approx((0.5, 1.5), abs=0.03)


def test_decode_audio_without_audio_stream(red_blue_clip: Path) -> None:
    assert decode_audio(red_blue_clip) is None


def test_decode_audio_not_media(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"not a video at all" * 100)
    with pytest.raises(MediaError) as info:
        decode_audio(junk)
    assert info.value.path == str(junk)


def test_cache_transcribes_unchanged_audio_once(fake_backend, beep_clip: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    opts = TranscribeOptions(backend="fake", cache_dir=tmp_path / "cache")
    first = transcribe(beep_clip, opts)
    second = transcribe(beep_clip, opts)
    assert len(fake_backend.calls) == 1
    assert first == second
    assert len(list((tmp_path / "cache").glob("*.json"))) == 1
    # The model's inputs changed: transcribe again.
    transcribe(beep_clip, TranscribeOptions(backend="fake", cache_dir=tmp_path / "cache", language="en"))
    transcribe(beep_clip, TranscribeOptions(backend="fake", cache_dir=tmp_path / "cache", glossary=Glossary(("X",))))
    assert len(fake_backend.calls) == 3
    # Only replacements changed: served from the cache, replacements applied anew.
    g = Glossary(terms=("X",), replacements=(("Job Center", "Jobcenter"),))
    replaced = transcribe(beep_clip, TranscribeOptions(backend="fake", cache_dir=tmp_path / "cache", glossary=g))
    assert len(fake_backend.calls) == 3
    assert [w.text for w in replaced.words] == ["Hallo", "Jobcenter,", "Ende"]
    assert replaced.words[1].start == Fraction(1, 2) and replaced.words[1].end == Fraction(1)
    # Caching off: always transcribes.
    transcribe(beep_clip, TranscribeOptions(backend="fake", cache=False))
    assert len(fake_backend.calls) == 4


def test_damaged_cache_entry_is_made_again(fake_backend, beep_clip: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    opts = TranscribeOptions(backend="fake", cache_dir=tmp_path)
    transcribe(beep_clip, opts)
    (entry,) = tmp_path.glob("*.json")
    entry.write_text("{broken", encoding="utf-8")
    assert transcribe(beep_clip, opts).words
    assert len(fake_backend.calls) == 2


class BeepTranscriber(Transcriber):
    """Hears beeps: one word "beep" per loud stretch of the audio it is given."""

    name = "beeps"
    calls: ClassVar[list[int]] = []

    def model_identity(self) -> str:
        return "beeps"

    def transcribe(self, audio: np.ndarray, *, plain: bool = False) -> Transcript:
        type(self).calls.append(len(audio))
        frames = len(audio) // 160
        loud = [*(np.sqrt((audio[:frames * 160].reshape(frames, 160) ** 2).mean(axis=1)) > 0.05).tolist(), False]
        words, begin = [], None
        for i, on in enumerate(loud):
            if on and begin is None:
                begin = i
            elif not on and begin is not None:
                words.append(Word("beep", Fraction(begin, 100), Fraction(i, 100)))
                begin = None
        segs = tuple(TranscriptSegment("beep", w.start, w.end, (w,)) for w in words)
        return Transcript(segs, "de", "beeps", "ears", Fraction(len(audio), SAMPLE_RATE))


def test_spans_map_onto_the_timeline(
    monkeypatch: pytest.MonkeyPatch, beep_clip: Path, red_blue_clip: Path, tmp_path: Path
) -> None:
    monkeypatch.setitem(BACKENDS, "beeps", BeepTranscriber)
    BeepTranscriber.calls = []
    opts = TranscribeOptions(backend="beeps", cache_dir=tmp_path, vad=False)
    spans = [
        AudioSpan(beep_clip, Fraction(5, 2), Fraction(9, 2), Fraction(10)),  # beep at 0.5-1.5 in the span
        AudioSpan(red_blue_clip, Fraction(0), Fraction(1), Fraction(12)),  # no audio: contributes nothing
        AudioSpan(beep_clip, Fraction(0), Fraction(3, 2), Fraction(1)),  # silence
        AudioSpan(beep_clip, Fraction(7, 2), Fraction(5), Fraction(20)),  # beep at 0-0.5 in the span
    ]
    t = transcribe_spans(spans, opts)
    # Only the spans' audio was decoded, and the three with audio went to the model in one pass,
    # joined by a second of silence each.
    assert BeepTranscriber.calls == [(2 + 1 + Fraction(3, 2) + 1 + Fraction(3, 2)) * SAMPLE_RATE]
    assert [w.text for w in t.words] == ["beep", "beep"]
    (a, b) = t.words
    assert float(a.start) == pytest.approx(10.5, abs=0.03) and float(a.end) == pytest.approx(11.5, abs=0.03)
    assert b.start == 20 and float(b.end) == pytest.approx(20.5, abs=0.03)
    assert t.duration == Fraction(43, 2)
    assert t.language == "de" and t.backend == "beeps" and t.model == "ears"
    # The pass is cached as a unit: the same spans again cost nothing. With one more span the
    # model hears the others in a new context, so the new pass is recognised whole.
    assert transcribe_spans(spans, opts) == t
    assert len(BeepTranscriber.calls) == 1
    more = transcribe_spans([*spans, AudioSpan(beep_clip, Fraction(3), Fraction(4), Fraction(30))], opts)
    assert BeepTranscriber.calls[1:] == [BeepTranscriber.calls[0] + (1 + 1) * SAMPLE_RATE]
    assert float(more.words[-1].start) == pytest.approx(30, abs=0.03)
    assert transcribe_spans(spans[:1], opts).words != ()  # one span alone is its own pass
    assert len(BeepTranscriber.calls) == 3


def test_repeated_cut_is_recognised_once(monkeypatch: pytest.MonkeyPatch, beep_clip: Path, tmp_path: Path) -> None:
    monkeypatch.setitem(BACKENDS, "beeps", BeepTranscriber)
    BeepTranscriber.calls = []
    cut = (Fraction(5, 2), Fraction(9, 2))
    spans = [AudioSpan(beep_clip, *cut, Fraction(0)), AudioSpan(beep_clip, *cut, Fraction(10))]
    t = transcribe_spans(spans, TranscribeOptions(backend="beeps", cache=False, vad=False))
    assert BeepTranscriber.calls == [2 * SAMPLE_RATE]
    assert [round(float(w.start), 1) for w in t.words] == [0.5, 10.5]


def test_words_straddling_a_span_end_are_dropped(fake_backend, beep_clip: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    t = transcribe_spans(
        [AudioSpan(beep_clip, Fraction(5, 2), Fraction(9, 2), Fraction(10))],
        TranscribeOptions(backend="fake", cache_dir=tmp_path),
    )
    # "Ende" runs from 0.05 s before the span's end to 0.2 s after it: its middle is outside.
    assert [w.text for w in t.words] == ["Hallo", "Job", "Center,"]
    assert t.segments[0].text == "Hallo Job Center,"
    assert [(w.start, w.end) for w in t.words] == [
        (Fraction(101, 10), Fraction(104, 10)),
        (Fraction(105, 10), Fraction(107, 10)),
        (Fraction(107, 10), Fraction(11)),
    ]


def test_split_transcript() -> None:
    from vidcoop.captions.alignment import split_transcript

    f = Fraction
    words = (Word("a", f(1), f(2)), Word("gap", f(4), f(5)), Word("b", f(5), f(7)))
    joined = Transcript((TranscriptSegment("a gap b", f(1), f(7), words),), "de", "x", "m", f(9))
    first, second = split_transcript(joined, [(f(0), f(4)), (f(5), f(9))])
    assert [(w.text, w.start, w.end) for w in first.words] == [("a", f(1), f(2))]
    assert [(w.text, w.start, w.end) for w in second.words] == [("b", f(0), f(2))]
    assert (first.segments[0].text, second.segments[0].text) == ("a", "b")
    assert (first.duration, second.duration) == (f(4), f(4))


def test_language_none_reports_detected(fake_backend, beep_clip: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    opts = TranscribeOptions(backend="fake", language=None, cache_dir=tmp_path)
    assert transcribe_spans([AudioSpan(beep_clip, 0, 2, 0)], opts).language == "xx"


def test_spans_are_checked_before_work(fake_backend, beep_clip: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    opts = TranscribeOptions(backend="fake", cache_dir=tmp_path)
    with pytest.raises(MediaError) as info:
        transcribe_spans([AudioSpan(beep_clip, 0, 1, 0), AudioSpan(tmp_path / "gone.mp4", 0, 1, 1)], opts)
    assert info.value.field == "spans.1.source"
    assert fake_backend.calls == []
    with pytest.raises(ManifestError) as info:
        transcribe_spans([(beep_clip, 0, 1, 0)], opts)  # type: ignore[list-item]
    assert info.value.field == "spans.0"
    with pytest.raises(ManifestError) as info:
        AudioSpan(beep_clip, Fraction(2), Fraction(1), Fraction(0))
    assert info.value.field == "source_end"
    assert transcribe_spans([], opts).segments == ()


def test_audio_span_coerces_times() -> None:
    span = AudioSpan("a.mp4", 0.1, "00:00:01.5", 2)  # type: ignore[arg-type]
    assert span.source == Path("a.mp4")
    assert (span.source_start, span.source_end, span.timeline_start) == (Fraction(1, 10), Fraction(3, 2), 2)
    with pytest.raises(ManifestError) as info:
        AudioSpan(Path("a.mp4"), Fraction(-1), Fraction(1))
    assert info.value.field == "source_start"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"beam_size": 0}, "beam_size"), ({"batch_size": -1}, "batch_size"), ({"language": ""}, "language"),
     ({"cpu_threads": 0}, "cpu_threads"), ({"glossary": ["x"]}, "glossary")],
)
def test_bad_options(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(TranscriptionError) as info:
        TranscribeOptions(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_registry_and_unknown_backend(beep_clip: Path) -> None:
    assert set(BACKENDS) >= {"faster-whisper", "openai-whisper"}
    with pytest.raises(TranscriptionError) as info:
        get_backend("nope")
    assert info.value.field == "backend" and "faster-whisper" in str(info.value)
    with pytest.raises(TranscriptionError):
        transcribe(beep_clip, TranscribeOptions(backend="nope"))
    err = pickle.loads(pickle.dumps(info.value))
    assert isinstance(err, TranscriptionError) and err.field == "backend"


def test_missing_file() -> None:
    with pytest.raises(MediaError) as info:
        transcribe("/nonexistent/clip.opus")
    assert info.value.path == "/nonexistent/clip.opus"


def test_openai_whisper_missing_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, beep_clip: Path, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "whisper", None)  # import whisper -> ImportError
    with pytest.raises(TranscriptionError) as info:
        transcribe(beep_clip, TranscribeOptions(backend="openai-whisper", cache_dir=tmp_path))
    assert "vidcoop[openai-whisper]" in str(info.value)


def test_import_is_light() -> None:
    import subprocess

    code = (
        "import sys, vidcoop.captions.transcribe, vidcoop.captions.backends, vidcoop.captions.offline;"
        "heavy = {'av', 'numpy', 'faster_whisper', 'ctranslate2', 'torch', 'whisper'} & set(sys.modules);"
        "print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_tidy_keeps_output_inside_the_audio() -> None:
    from vidcoop.captions.backends.base import tidy

    f = Fraction
    segs = [
        TranscriptSegment("late", f(29), f(30), (Word("late", f(29), f(30)),)),
        TranscriptSegment("", f(5), f(5)),
        TranscriptSegment("b", f(4), f(9), (Word("b", f(4), f(9)),)),
        TranscriptSegment("a", f(1), f(2), (Word("a", f(1), f(2)),)),
    ]
    out = tidy(segs, f(7))
    assert [s.text for s in out] == ["a", "b"]
    assert (out[1].end, out[1].words[0].end) == (f(7), f(7))


def test_word_edges_snap_to_speech() -> None:
    from vidcoop.captions.alignment import snap_to_speech

    f = Fraction
    words = (
        Word("Das", f(11, 100), f(65, 100)),  # starts in the leading silence
        Word("Haus.", f(65, 100), f(2)),  # runs on into the pause
        Word("Der", f(3), f(32, 10)),  # starts in the pause
        Word("nichts", f(5), f(6)),  # no speech under it at all: untouched
    )
    t = Transcript((TranscriptSegment("Das Haus. Der nichts", f(11, 100), f(6), words),), "de", "x", "y")
    regions = [(f(1, 2), f(3, 2)), (f(31, 10), f(4))]
    out = snap_to_speech(t, regions)
    assert [(w.start, w.end) for w in out.words] == [
        (f(1, 2), f(65, 100)),
        (f(65, 100), f(3, 2)),
        (f(31, 10), f(32, 10)),
        (f(5), f(6)),
    ]
    assert (out.segments[0].start, out.segments[0].end) == (f(1, 2), f(6))
    assert snap_to_speech(t, []) is t


class LoopyBeepTranscriber(BeepTranscriber):
    """Beeps it is unsure of, and a segment it left out as a loop (as faster-whisper's backend reports it)."""

    name = "loopy-beeps"

    def transcribe(self, audio: np.ndarray, *, plain: bool = False) -> Transcript:
        t = super().transcribe(audio)  # the joined pass: 2 s, 1 s of silence, then the second span
        segments = tuple(replace(s, words=tuple(replace(w, probability=0.3) for w in s.words)) for s in t.segments)
        loops = [{"start": 3.2, "end": 4.0, "text": "ja ja ja ja"}]
        return replace(t, segments=segments, extra={"dropped_loops": loops})


def test_text_left_out_as_a_loop_is_named_on_the_episode_transcript(
    monkeypatch: pytest.MonkeyPatch, beep_clip: Path, tmp_path: Path
) -> None:
    monkeypatch.setitem(BACKENDS, "loopy-beeps", LoopyBeepTranscriber)
    spans = [
        AudioSpan(beep_clip, Fraction(5, 2), Fraction(9, 2), Fraction(0)),
        AudioSpan(beep_clip, Fraction(7, 2), Fraction(5), Fraction(10)),
    ]
    opts = TranscribeOptions(backend="loopy-beeps", cache_dir=tmp_path, vad=False)
    for _ in range(2):  # recognised, then read from the cache
        t = transcribe_spans(spans, opts)
        # once, not per span, and where it is on the episode timeline: the second span, 0.2 s in
        assert t.extra["dropped_loops"] == [{"start": 10.2, "end": 11.0, "text": "ja ja ja ja"}]


def test_speech_left_out_as_a_loop_is_a_warning_and_in_the_report(
    monkeypatch: pytest.MonkeyPatch, make_media, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from vidcoop.cli.main import main

    clip = make_media(
        "beep-video.mp4",
        "testsrc2=s=320x180:r=30:d=6",
        "anullsrc=r=48000:cl=stereo:d=3[a];sine=f=1000:r=48000:d=1,pan=stereo|c0=c0|c1=c0[b];"
        "anullsrc=r=48000:cl=stereo:d=2[c];[a][b][c]concat=n=3:v=0:a=1[out0]",
    )
    monkeypatch.setitem(BACKENDS, "loopy-beeps", LoopyBeepTranscriber)
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    manifest = tmp_path / "ep.yaml"
    manifest.write_text(
        f"version: 1\nprofile: preview\nsegments:\n  - {{source: {clip}, in: 2.5, out: 4.5}}\n"
        f"  - {{source: {clip}, in: 3.5, out: 5}}\ncaptions: {{mode: auto, backend: loopy-beeps}}\n",
        encoding="utf-8",
    )
    try:
        main(["render", str(manifest), "-o", str(tmp_path / "ep.mp4"), "--quiet"])
    except SystemExit as exc:
        assert exc.code in (0, None), capsys.readouterr().err
    err = capsys.readouterr().err
    assert "warning: captions: no captions at 2.2-3.0s" in err and "ja ja ja ja" in err, err
    report = json.loads((tmp_path / "ep.report.json").read_text(encoding="utf-8"))
    assert report["captions"]["left_out"] == [
        {"start": 2.2, "end": 3.0, "reason": "repeated itself", "repeated": "ja ja ja ja"}
    ]
    # the beeps the model was unsure of, on the episode timeline: the clip's beep (3-4 s) in both spans
    unsure = report["captions"]["unsure"]
    assert [(u["text"], u["probability"]) for u in unsure] == [("beep", 0.3)] * 2
    assert [(u["start"], u["end"]) for u in unsure] == [
        (pytest.approx(0.5, abs=0.05), pytest.approx(1.5, abs=0.05)),
        (pytest.approx(2.0, abs=0.05), pytest.approx(2.5, abs=0.05)),
    ]


def test_a_cue_file_with_speech_left_out_still_warns_and_reports_it(
    monkeypatch: pytest.MonkeyPatch, make_media, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The studio saves cue JSON while speech is still uncaptioned: rendering that file must not go quiet."""
    import json

    from vidcoop.captions.formats import Cues
    from vidcoop.captions.model import Cue, CueFlag, LeftOut
    from vidcoop.cli.main import main

    clip = make_media("plain-video.mp4", "testsrc2=s=320x180:r=30:d=4", "sine=f=440:r=48000:d=4")
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    hello = Cue(Fraction(1, 2), Fraction(3, 2), ("Hallo zusammen.",))
    Cues((hello,), style="subtitle", language="de", left_out=(LeftOut(Fraction(2), Fraction(3)),),
         flagged=(CueFlag(hello.start, hello.end, hello.text, "unsure"),)).save(tmp_path / "ep.cues.json")
    manifest = tmp_path / "ep.yaml"
    manifest.write_text(f"version: 1\nprofile: preview\nsegments:\n  - {{source: {clip}, out: 3.5}}\n"
                        "captions: {mode: file, file: ep.cues.json}\n", encoding="utf-8")
    try:
        main(["render", str(manifest), "-o", str(tmp_path / "ep.mp4"), "--quiet"])
    except SystemExit as exc:
        assert exc.code in (0, None), capsys.readouterr().err
    err = capsys.readouterr().err
    assert "warning: captions: no captions at 2.0-3.0s" in err, err
    assert "warning: captions: check the cue at 0.5-1.5s 'Hallo zusammen.'" in err, err
    report = json.loads((tmp_path / "ep.report.json").read_text(encoding="utf-8"))
    assert report["captions"]["left_out"] == [{"start": 2.0, "end": 3.0, "reason": "not recognised"}]
    assert [f["reason"] for f in report["captions"]["flagged"]] == ["unsure"]
