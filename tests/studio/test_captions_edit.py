"""Corrected captions: word times survive edits; the manifest is edited round-trip."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from vidcoop.captions.formats import Cues
from vidcoop.captions.model import Cue, Word
from vidcoop.errors import CaptionError
from vidcoop.studio.captions import CueEdit, edited_cues, point_manifest_at, realign_words, save_captions
from vidcoop.timeline.manifest import load_episode


def _words(*spec: tuple[str, str, str]) -> list[Word]:
    return [Word(text, Fraction(s), Fraction(e)) for text, s, e in spec]


def _social() -> Cues:
    a = _words(("Das", "1", "13/10"), ("Bürgergeld", "13/10", "2"), ("kommt", "21/10", "12/5"))
    b = _words(("vom", "5/2", "27/10"), ("Jobkenter", "27/10", "33/10"), ("direkt", "7/2", "4"))
    return Cues(
        (
            Cue(Fraction(1), Fraction(12, 5), ("Das Bürgergeld kommt",), tuple(a)),
            Cue(Fraction(5, 2), Fraction(4), ("vom Jobkenter direkt",), tuple(b)),
        ),
        style="social",
    )


def _edits(cues: Cues, **changes: str) -> list[CueEdit]:
    out = []
    for i, cue in enumerate(cues):
        text = changes.get(f"c{i}", cue.text)
        out.append(CueEdit(round(cue.start * 1000), round(cue.end * 1000), text))
    return out


def test_correcting_one_word_leaves_every_other_word_time_unchanged() -> None:
    cues = _social()
    fixed = edited_cues(cues, _edits(cues, c1="vom Jobcenter direkt"))
    before = [w for c in cues for w in c.words]
    after = [w for c in fixed for w in c.words]
    assert [w.text for w in after] == ["Das", "Bürgergeld", "kommt", "vom", "Jobcenter", "direkt"]
    for old, new in zip(before, after, strict=True):
        if old.text == "Jobkenter":
            assert (new.start, new.end) == (old.start, old.end)  # a replaced word takes the old span
        else:
            assert new == old  # exactly the same object values: text, times, probability


def test_inserted_words_share_the_gap_between_neighbours() -> None:
    old = _words(("a", "0", "1"), ("b", "2", "3"))
    new = realign_words(old, ["a", "neu", "wort", "b"])
    assert new[0] == old[0] and new[3] == old[1]
    assert new[1].start == 1 and new[2].end == 2 and new[1].end == new[2].start
    assert new[1].end - new[1].start < new[2].end - new[2].start  # shared by length: "neu" < "wort"


def test_deleted_words_vanish_and_split_keeps_times() -> None:
    cues = _social()
    # split the first cue in two and drop "direkt" from the second
    edits = [CueEdit(1000, 2000, "Das Bürgergeld"), CueEdit(2000, 2400, "kommt"), CueEdit(2500, 4000, "vom Jobkenter")]
    fixed = edited_cues(cues, edits)
    assert [len(c.words) for c in fixed] == [2, 1, 2]
    assert fixed[1].words[0] == cues[0].words[2]
    assert [w.text for w in fixed[2].words] == ["vom", "Jobkenter"]


def test_a_nudged_cue_pulls_its_words_inside() -> None:
    cues = _social()
    edits = _edits(cues)
    edits[1] = CueEdit(2600, 4100, cues[1].text)  # 0.1 s later
    fixed = edited_cues(cues, edits)
    assert all(fixed[1].start <= w.start and w.end <= fixed[1].end for w in fixed[1].words)


def test_bad_edits_name_the_cue() -> None:
    cues = _social()
    with pytest.raises(CaptionError) as err:
        edited_cues(cues, [CueEdit(1000, 1000, "x")])
    assert err.value.field == "cues.0.end"
    with pytest.raises(CaptionError):
        edited_cues(cues, [CueEdit(1000, 2000, "  \n ")])


MANIFEST = """\
# An explainer (keep this comment)
version: 1
name: demo
title: "Was ist Bürgergeld?"
segments:
  - source: clip.mp4   # the interview
    out: 3
logo: true          # the kit's logo
captions: {mode: auto, style: social, language: de}   # transcribed
audio: {loudness: {integrated: -14}}
"""


def test_save_writes_beside_the_manifest_and_keeps_comments_order_style_and_language(tmp_path: Path) -> None:
    (tmp_path / "clip.mp4").write_bytes(b"")
    manifest = tmp_path / "demo.yaml"
    manifest.write_text(MANIFEST, encoding="utf-8")
    target = save_captions(manifest, _social())
    assert target == tmp_path / "demo.captions.json"  # social keeps its word times in JSON
    text = manifest.read_text(encoding="utf-8")
    for comment in ("# An explainer (keep this comment)", "# the interview", "# the kit's logo", "# transcribed"):
        assert comment in text
    keys = list(yaml.safe_load(text))
    assert keys == ["version", "name", "title", "segments", "logo", "captions", "audio"]
    spec = load_episode(manifest).captions
    assert (spec.mode, spec.path, spec.style, spec.language) == ("file", target, "social", "de")
    again = Cues.load(target, style="social")
    assert [w for c in again for w in c.words] == [w for c in _social() for w in c.words]


def test_shorthand_captions_become_a_mapping(tmp_path: Path) -> None:
    manifest = tmp_path / "ep.yaml"
    manifest.write_text("version: 1\nsegments:\n  - source: a.mp4\ncaptions: auto  # auto\n", encoding="utf-8")
    point_manifest_at(manifest, tmp_path / "ep.captions.srt")
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    assert data["captions"] == {"mode": "file", "file": "ep.captions.srt"}
