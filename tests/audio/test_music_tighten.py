"""Music bed ducking and silence tightening, on generated audio."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from vidcoop.audio import MusicBed, music_bed_filter, tighten_ranges
from vidcoop.errors import MediaError
from vidcoop.media.audio import decode_audio
from vidcoop.media.runner import run_ffmpeg


def test_music_bed_filter_text() -> None:
    text = music_bed_filter("1:a", "[speech]", "mix", duration=Fraction(10), bed=MusicBed(level_db=-10))
    parts = text.split(";")
    assert parts[0] == (
        "[1:a]aloop=loop=-1:size=2147483647,atrim=duration=10,asetpts=N/SR/TB,"
        "aresample=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,"
        "volume=-10dB,afade=t=in:st=0:d=1,afade=t=out:st=8:d=2[bed_music]"
    )
    assert parts[2] == (
        "[bed_music][bed_key]sidechaincompress=threshold=0.02:ratio=20:attack=20:release=400:makeup=1[bed_ducked]"
    )
    assert parts[3].endswith("amix=inputs=2:duration=first:dropout_transition=0:normalize=0[mix]")


def test_music_bed_short_episode_fades_fit() -> None:
    text = music_bed_filter("m", "s", "o", duration=Fraction(2), bed=MusicBed(fade_in=Fraction(3)))
    assert "afade=t=in:st=0:d=1," in text and "afade=t=out:st=1:d=1[" in text


def test_music_bed_rejects_bad_labels() -> None:
    with pytest.raises(ValueError, match="label"):
        music_bed_filter("a;b", "s", "o", duration=Fraction(1))


def _tone_level_db(samples, rate: int, freq: float, start: float, end: float) -> float:
    import numpy as np

    chunk = samples[int(start * rate) : int(end * rate)]
    window = np.hanning(len(chunk))
    spectrum = np.abs(np.fft.rfft(chunk * window))
    freqs = np.fft.rfftfreq(len(chunk), 1 / rate)
    band = (freqs > freq - 15) & (freqs < freq + 15)
    return float(20 * np.log10(spectrum[band].max() + 1e-12))


def test_music_ducks_at_least_8_db_under_speech(tmp_path: Path, make_media) -> None:
    music = make_media("music220.wav", audio="sine=f=220:r=48000:d=3")  # shorter than the episode: loops
    # "Speech": a 1 kHz tone on during 2-4 s and 6-8 s, silent otherwise.
    speech = make_media(
        "pulsed_speech.wav", audio="aevalsrc='gte(mod(t,4),2)*0.3*sin(2*PI*1000*t)':s=48000:d=8"
    )
    graph = music_bed_filter(
        "1:a", "0:a", "out", duration=Fraction(8), bed=MusicBed(level_db=0, fade_in=Fraction(0), fade_out=0)
    )
    out = tmp_path / "bed.wav"
    run_ffmpeg(["-loglevel", "error", "-i", str(speech), "-i", str(music), "-filter_complex", graph,
                "-map", "[out]", str(out)])  # fmt: skip
    samples = decode_audio(out)  # 16 kHz mono
    rate = 16000
    assert len(samples) == pytest.approx(8 * rate, abs=1024)  # looped to the episode length
    alone = _tone_level_db(samples, rate, 220, 0.5, 1.8)
    ducked = _tone_level_db(samples, rate, 220, 2.5, 3.8)
    alone_again = _tone_level_db(samples, rate, 220, 4.8, 5.8)
    assert alone - ducked >= 8.0
    assert alone_again - ducked >= 8.0
    assert _tone_level_db(samples, rate, 1000, 2.5, 3.8) > ducked  # speech is on top


@pytest.fixture(scope="module")
def tone_gap_tone(make_media) -> Path:
    """1 s tone, 1.5 s silence, 1 s tone (sample exact)."""
    source = "aevalsrc='(1-between(t,1,2.5))*0.5*sin(2*PI*440*t)':s=16000:d=3.5"
    return make_media("tone_gap_tone.wav", audio=source)


def _close(ranges, expected, tol=0.02) -> bool:
    if len(ranges) != len(expected):
        return False
    pairs = zip(ranges, expected, strict=True)
    return all(abs(float(a) - ea) <= tol and abs(float(b) - eb) <= tol for (a, b), (ea, eb) in pairs)


def test_tighten_shortens_the_long_pause(tone_gap_tone: Path) -> None:
    ranges = tighten_ranges(
        tone_gap_tone, Fraction(0), Fraction(7, 2), min_silence=Fraction(1, 2), keep_pause=Fraction(1, 5),
        threshold_db=-40,
    )  # fmt: skip
    assert _close(ranges, [(0.0, 1.1), (2.4, 3.5)]), ranges
    assert all(isinstance(a, Fraction) and isinstance(b, Fraction) for a, b in ranges)
    again = tighten_ranges(
        tone_gap_tone, Fraction(0), Fraction(7, 2), min_silence=Fraction(1, 2), keep_pause=Fraction(1, 5),
        threshold_db=-40,
    )  # fmt: skip
    assert again == ranges


def test_tighten_on_a_sub_span_reports_source_times(tone_gap_tone: Path) -> None:
    ranges = tighten_ranges(tone_gap_tone, Fraction(1, 2), Fraction(3), min_silence=Fraction(1, 2),
                            keep_pause=Fraction(0), threshold_db=-40)  # fmt: skip
    assert _close(ranges, [(0.5, 1.0), (2.5, 3.0)]), ranges


def test_tighten_keeps_short_pauses_and_drops_pure_silence(tone_gap_tone: Path) -> None:
    one = tighten_ranges(tone_gap_tone, Fraction(0), Fraction(7, 2), min_silence=Fraction(2),
                         keep_pause=Fraction(1, 5), threshold_db=-40)  # fmt: skip
    assert _close(one, [(0.0, 3.5)]), one
    assert tighten_ranges(tone_gap_tone, Fraction(6, 5), Fraction(23, 10), min_silence=Fraction(1, 5),
                          keep_pause=Fraction(0), threshold_db=-40) == []  # fmt: skip


def test_tighten_errors(tmp_path: Path, tone_gap_tone: Path) -> None:
    with pytest.raises(MediaError):
        tighten_ranges(tmp_path / "missing.wav", Fraction(0), Fraction(1))
    with pytest.raises(ValueError, match="empty span"):
        tighten_ranges(tone_gap_tone, Fraction(2), Fraction(1))
