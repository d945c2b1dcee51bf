"""Saving a rough cut: segments into the manifest by the round trip, the kept words as its captions."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from tests.roughcut.synthetic import audio, transcript, words
from vidcoop.captions.formats import Cues
from vidcoop.errors import ManifestError
from vidcoop.roughcut import RoughCut, plan_cut, save_cut
from vidcoop.roughcut.transcript import from_transcript
from vidcoop.timeline.edit import SegmentEntry, set_segments
from vidcoop.timeline.manifest import load_episode

MANIFEST = """\
version: 1   # schema
title: Beratung   # the episode's title
# Reframe and lower thirds stay as they are.
lower_thirds:
  - {name: Aylin Demir, role: Beraterin, start: 1, end: 4}
segments: []   # filled by the rough cut
captions: {mode: auto, style: social}
"""


def _cut(source: Path) -> RoughCut:
    ws = words(("Hallo", 0.5, 0.9), ("zusammen.", 0.9, 1.5), ("Heute", 2.5, 2.9), ("Wohngeld.", 2.9, 3.6),
               ("Tschüss.", 4.5, 5.0))
    st = transcript(ws[:2], ws[2:4], ws[4:])
    st = from_transcript(source, st.transcript)
    sound = audio([(w.start, w.end) for w in ws])
    return plan_cut(st, sound, [1, 2, 3][::2])


def test_save_fills_segments_keeps_comments_and_writes_the_kept_words_as_captions(tmp_path: Path) -> None:
    source = tmp_path / "footage" / "interview.mp4"
    source.parent.mkdir()
    source.write_bytes(b"not read")
    manifest = tmp_path / "folge.yaml"
    manifest.write_text(MANIFEST, encoding="utf-8")
    cut = _cut(source)
    saved = save_cut(manifest, cut)
    text = manifest.read_text(encoding="utf-8")
    for comment in ("# schema", "# the episode's title", "# Reframe and lower thirds stay", "# filled by"):
        assert comment in text
    assert "source: footage/interview.mp4" in text and "{name: Aylin Demir" in text
    episode = load_episode(manifest)
    assert [(s.source, s.fade) for s in episode.segments] == [(source, Fraction(8, 1000))] * 2
    for seg, piece in zip(episode.segments, cut.pieces, strict=True):
        assert seg.start is not None and seg.end is not None
        assert abs(seg.start - piece.start) < Fraction(1, 10**6) and abs(seg.end - piece.end) < Fraction(1, 10**6)
    assert episode.captions.mode == "file" and episode.captions.path == saved.captions
    assert saved.captions == tmp_path / "folge.captions.json"
    cues = Cues.load(saved.captions, style="social")
    assert [w.text for cue in cues for w in cue.words] == ["Hallo", "zusammen.", "Tschüss."]
    second = cut.pieces[0].duration
    assert cues[-1].words[-1].start == second + Fraction("4.5") - cut.pieces[1].start


def test_save_creates_a_new_manifest(tmp_path: Path) -> None:
    source = tmp_path / "a.mp4"
    source.write_bytes(b"x")
    manifest = tmp_path / "neu.yaml"
    saved = save_cut(manifest, _cut(source))
    episode = load_episode(manifest)
    assert len(episode.segments) == 2 and episode.captions.mode == "file"
    assert saved.captions == tmp_path / "neu.captions.json"  # JSON in the subtitle style too: unsure words kept
    cues = Cues.load(saved.captions)
    assert cues.style == "subtitle" and [w.probability for c in cues for w in c.words] == [0.9, 0.9, 0.9]
    assert manifest.read_text(encoding="utf-8").startswith("version: 1\nsegments:\n")


def test_a_cut_into_a_channel_file_or_other_yaml_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    """``vidcoop cut channel/channel.yaml --source ... --keep 1`` named the wrong file: it stays byte for byte."""
    source = tmp_path / "a.mp4"
    source.write_bytes(b"x")
    channel = tmp_path / "channel.yaml"
    channel.write_bytes((Path(__file__).resolve().parents[2] / "examples" / "channel" / "channel.yaml").read_bytes())
    glossary = tmp_path / "glossary.yaml"
    glossary.write_text("terms: [Caritas]\n", encoding="utf-8")
    no_segments = tmp_path / "notes.yaml"
    no_segments.write_text("version: 1\ntitle: Notizen\n", encoding="utf-8")
    for path, field in ((channel, "brand_kit"), (glossary, "version"), (no_segments, "segments")):
        before = path.read_bytes()
        with pytest.raises(ManifestError) as info:
            save_cut(path, _cut(source))
        assert info.value.field == field and path.read_bytes() == before
        assert not path.with_name(f"{path.stem}.captions.json").exists()


def test_set_segments_refuses_an_empty_cut_naming_the_field(tmp_path: Path) -> None:
    with pytest.raises(ManifestError) as info:
        set_segments(tmp_path / "x.yaml", [])
    assert info.value.field == "segments"
    assert not (tmp_path / "x.yaml").exists()


def test_set_segments_replaces_old_segments_and_keeps_crlf(tmp_path: Path) -> None:
    manifest = tmp_path / "e.yaml"
    manifest.write_bytes(b"version: 1\r\n# kept\r\nsegments:\r\n  - source: old.mp4\r\n    in: 1\r\n")
    set_segments(manifest, [SegmentEntry(tmp_path / "new.mp4", Fraction(1, 30), Fraction(2))])
    raw = manifest.read_bytes()
    assert b"\r\n# kept\r\n" in raw and b"old.mp4" not in raw and b"source: new.mp4" in raw
    assert b"fade" not in raw
    (seg,) = load_episode(manifest).segments
    assert (seg.start, seg.end) == (Fraction("0.033333"), Fraction(2))


def test_set_segments_keeps_a_sources_reframe_and_volume(tmp_path: Path) -> None:
    manifest = tmp_path / "e.yaml"
    manifest.write_text("version: 1\nsegments:\n  - source: a.mp4\n    in: 1\n    out: 2\n"
                        "    reframe: {mode: crop, focus: 0.3}   # the speaker sits left\n    volume: 0.8\n"
                        "  - source: b.mp4\n    reframe: fit-blur\n", encoding="utf-8")
    set_segments(manifest, [SegmentEntry(tmp_path / "a.mp4", Fraction(3), Fraction(4)),
                            SegmentEntry(tmp_path / "c.mp4", Fraction(0), Fraction(1)),
                            SegmentEntry(tmp_path / "a.mp4", Fraction(5), Fraction(6))])
    text = manifest.read_text(encoding="utf-8")
    assert text.count("# the speaker sits left") >= 1
    first, other, again = load_episode(manifest).segments
    assert (first.reframe.focus[0].value, first.volume) == (0.3, 0.8) == (again.reframe.focus[0].value, again.volume)
    assert (other.reframe.mode, other.volume) == ("crop", 1.0)
    assert "b.mp4" not in text


def test_a_source_beside_the_manifests_folder_is_written_relative(tmp_path: Path) -> None:
    """A week's ``episodes/`` beside its ``footage/``: ``../footage/NAME``, so the project can move."""
    source = tmp_path / "footage" / "interview.mp4"
    source.parent.mkdir()
    source.write_bytes(b"not read")
    manifest = tmp_path / "episodes" / "folge.yaml"
    manifest.parent.mkdir()
    set_segments(manifest, [SegmentEntry(source, Fraction(1), Fraction(2))])
    assert "source: ../footage/interview.mp4" in manifest.read_text(encoding="utf-8")
    assert Path(str(load_episode(manifest).segments[0].source)).resolve() == source.resolve()


def test_the_manifest_lock_is_reentrant_in_one_thread(tmp_path: Path) -> None:
    """The studio holds it around its version check while the rough cut's save takes it again."""
    import threading

    from vidcoop.timeline.edit import manifest_lock

    manifest = tmp_path / "folge.yaml"
    manifest.write_text(MANIFEST, encoding="utf-8")
    done = threading.Event()

    def nested() -> None:
        with manifest_lock(manifest), manifest_lock(manifest):
            done.set()

    worker = threading.Thread(target=nested, daemon=True)
    worker.start()
    assert done.wait(10), "the second manifest_lock waited for the first (same thread)"
    worker.join(5)
    other = threading.Event()  # another thread still waits while one holds it
    def waiting() -> None:
        with manifest_lock(manifest):
            other.set()

    with manifest_lock(manifest):
        t = threading.Thread(target=waiting, daemon=True)
        t.start()
        assert not other.wait(0.5)
    assert other.wait(10)
    t.join(5)
