"""Caption file formats: string round trips, literal text, independent parsers."""

from __future__ import annotations

import io
import json
from fractions import Fraction
from pathlib import Path

import pytest

from vidcoop.captions.formats import (
    FORMATS,
    Cues,
    ass_escape,
    ass_unescape,
    cues_from_lines,
    format_for_path,
)
from vidcoop.captions.model import Correction, Cue, Word
from vidcoop.errors import CaptionError

F = Fraction

TRICKY = [
    "{\\b1}fett{\\b0} und {\\c&H0000FF&}rot",
    "Pfad C:\\Neu\\Ordner \\N kein Umbruch \\n \\h",
    "100 % sicher: \"Zitat\" 'einfach' \u2013 ok; [a],b",
    "Grüße aus Köln, Straße Ä Ö Ü ß 😀👍",
    "a { b } c \\",
    "Antwort:\n42",
]


def _tricky_cues() -> Cues:
    items = [(F(i * 2) + F(1, 1000) * i, F(i * 2 + 1) + F(7, 1000), text) for i, text in enumerate(TRICKY)]
    return cues_from_lines(items)


def _triples(cues: Cues) -> list[tuple[Fraction, Fraction, tuple[str, ...]]]:
    return [(c.start, c.end, c.lines) for c in cues]


@pytest.mark.parametrize("name", ["srt", "vtt", "json"])
def test_round_trip_exact_ms_and_literal_text(name: str) -> None:
    cues = _tricky_cues()
    text = cues.to_string(name)
    back = Cues.from_string(text, name)
    assert _triples(back) == _triples(cues)


def test_ass_round_trip_literal_text_at_centiseconds() -> None:
    cues = _tricky_cues()
    back = Cues.from_string(cues.to_string("ass"), "ass")
    assert [c.lines for c in back] == [c.lines for c in cues]
    for a, b in zip(back, cues, strict=True):
        assert abs(a.start - b.start) <= F(1, 100) and abs(a.end - b.end) <= F(1, 100)


def test_ass_escape_leaves_no_override_block_or_break() -> None:
    for text in TRICKY:
        escaped = ass_escape(text.replace("\n", " "))
        assert "{" not in escaped.replace("\\{", "")
        assert "\\N" not in escaped and "\\n" not in escaped and "\\h" not in escaped
        assert ass_unescape(escaped) == text.replace("\n", " ")
    assert ass_unescape("{\\k20}Hal{\\k30}lo\\Nda") == "Hallo\nda"


def test_json_keeps_word_times_and_metadata() -> None:
    words = (Word("Hallo", F(1, 3), F(2, 3), 0.75), Word("du", F(2, 3), F(1)))
    cues = Cues((Cue(F(1, 3), F(1), ("Hallo du",), words),), style="social", language="de")
    back = Cues.from_string(cues.to_string("json"), "json")
    assert back == cues


def test_json_keeps_each_words_correction() -> None:
    fixed = Word("Jobcenter", F(1), F(2), 0.5, correction=Correction("Job Kenter", "Jobcenter", 0.9))
    cues = Cues((Cue(F(1), F(3), ("Jobcenter hilft",), (fixed, Word("hilft", F(2), F(3)))),), style="social")
    text = cues.to_string("json")
    data = json.loads(text)
    first, second = data["cues"][0]["words"]
    assert first["correction"] == {"original": "Job Kenter", "term": "Jobcenter", "score": 0.9}
    assert "correction" not in second  # uncorrected words carry no key
    assert Cues.from_string(text, "json") == cues


@pytest.mark.parametrize(
    ("correction", "field"),
    [
        ("Jobkenter", "cues.0.words.0.correction"),
        ({"original": "Jobkenter", "term": 3, "score": 0.9}, "cues.0.words.0.correction.term"),
        ({"original": "Jobkenter", "term": "Jobcenter", "score": "hoch"}, "cues.0.words.0.correction.score"),
    ],
)
def test_json_bad_correction_names_the_field(correction: object, field: str) -> None:
    cues = Cues((Cue(F(1), F(2), ("Jobcenter",), (Word("Jobcenter", F(1), F(2)),)),))
    data = json.loads(cues.to_string("json"))
    data["cues"][0]["words"][0]["correction"] = correction
    with pytest.raises(CaptionError) as err:
        Cues.from_string(json.dumps(data), "json")
    assert err.value.field == field


def test_srt_edit_round_trip_as_a_producer_would_do_it(tmp_path: Path) -> None:
    cues = _tricky_cues()
    path = cues.save(tmp_path / "ep.srt")
    edited = path.read_text(encoding="utf-8").replace("fett", "{\\i1}sehr fett").replace("Köln", "München")
    edited = edited.replace("00:00:02,001", "00:00:02,345")
    path.write_text(edited, encoding="utf-8")
    back = Cues.load(path)
    assert back[0].lines == ("{\\b1}{\\i1}sehr fett{\\b0} und {\\c&H0000FF&}rot",)
    assert back[1].start == F(2345, 1000)
    assert back[3].lines == ("Grüße aus München, Straße Ä Ö Ü ß 😀👍",)
    assert back[5].lines == ("Antwort:", "42")


def test_srt_html_formatting_tags_are_dropped_other_angles_literal() -> None:
    text = "1\n00:00:01,000 --> 00:00:02,500\n<i>kursiv</i> und <b>fett</b> <3 a<b\n\n"
    cue = Cues.from_string(text, "srt")[0]
    assert cue.lines == ("kursiv und fett <3 a<b",)
    assert (cue.start, cue.end) == (F(1), F(5, 2))


def test_srt_from_other_editors_crlf_bom_and_numbers(tmp_path: Path) -> None:
    raw = (
        "\ufeff1\r\n00:00:00,500 --> 00:00:01,000\r\nZeile 1\r\nZeile 2\r\n\r\n"
        "2\r\n00:00:01,000 --> 00:00:02,000\r\n2024\r\n"
    )
    path = tmp_path / "win.srt"
    path.write_bytes(raw.encode("utf-8"))
    cues = Cues.load(path)
    assert [c.lines for c in cues] == [("Zeile 1", "Zeile 2"), ("2024",)]


def test_vtt_escapes_entities_and_drops_markup() -> None:
    cues = cues_from_lines([(F(0), F(1), "a < b & c > d")])
    text = cues.to_string("vtt")
    assert text.startswith("WEBVTT")
    assert "a &lt; b &amp; c &gt; d" in text
    assert Cues.from_string(text, "vtt")[0].lines == ("a < b & c > d",)
    foreign = "WEBVTT\n\n00:00.000 --> 00:01.200 line:90%\n<v Anna>Hallo <c.yellow>du</c> &amp; ich\n"
    cue = Cues.from_string(foreign, "vtt")[0]
    assert cue.lines == ("Hallo du & ich",)
    assert cue.end == F(6, 5)


def test_independent_parsers_read_our_files(tmp_path: Path) -> None:
    import pysubs2
    import webvtt

    cues = _tricky_cues()
    srt = cues.save(tmp_path / "x.srt")
    vtt = cues.save(tmp_path / "x.vtt")
    ass = cues.save(tmp_path / "x.ass")
    assert len(pysubs2.load(str(srt))) == len(cues)
    assert len(pysubs2.load(str(ass))) == len(cues)
    parsed = list(webvtt.read(str(vtt)))
    assert len(parsed) == len(cues)
    assert parsed[3].text == "Grüße aus Köln, Straße Ä Ö Ü ß 😀👍"
    assert parsed[5].text == "Antwort:\n42"
    assert parsed[1].start == "00:00:02.001"
    from_srt = webvtt.from_srt(str(srt))
    assert len(list(from_srt)) == len(cues)
    assert isinstance(io.StringIO(ass.read_text(encoding="utf-8")).read(), str)


@pytest.mark.slow
def test_ffmpeg_reads_srt_vtt_and_ass(tmp_path: Path) -> None:
    from vidcoop.media.runner import run_ffmpeg

    cues = _tricky_cues()
    for name in ("srt", "vtt", "ass"):
        src = cues.save(tmp_path / f"in.{name}")
        out = tmp_path / f"out_{name}.ass"
        run_ffmpeg(["-loglevel", "error", "-i", str(src), str(out)], what=f"reading {name}")
        assert len(Cues.load(out)) == len(cues)


def test_save_is_atomic_and_format_follows_extension(tmp_path: Path) -> None:
    cues = _tricky_cues()
    for name, cls in FORMATS.items():
        path = tmp_path / f"c{cls.extensions[0]}"
        cues.save(path)
        assert format_for_path(path) == name
        assert Cues.load(path).items[0].lines == cues[0].lines
    assert not [p for p in tmp_path.iterdir() if ".part" in p.name]
    forced = cues.save(tmp_path / "plain.txt", format="srt")
    assert Cues.load(forced, "srt")[2].lines == cues[2].lines


def test_bad_files_raise_caption_error_with_path_and_field(tmp_path: Path) -> None:
    with pytest.raises(CaptionError) as info:
        Cues.load(tmp_path / "missing.srt")
    assert info.value.path and info.value.path.endswith("missing.srt")
    bad = tmp_path / "latin1.srt"
    bad.write_bytes("1\n00:00:01,000 --> 00:00:02,000\nGr\xfc\xdfe\n".encode("latin-1"))
    with pytest.raises(CaptionError, match="UTF-8"):
        Cues.load(bad)
    with pytest.raises(CaptionError) as info:
        Cues.load(tmp_path / "x.docx")
    assert info.value.field == "format"
    reversed_srt = "1\n00:00:05,000 --> 00:00:02,000\nrückwärts\n"
    with pytest.raises(CaptionError) as info:
        Cues.from_string(reversed_srt, "srt")
    assert info.value.field == "cues.0.end"
    with pytest.raises(CaptionError) as info:
        Cues.from_string('{"schema": "vidcoop.cues", "version": 1, "cues": [{"start": "x"}]}', "json")
    assert info.value.field == "cues.0.start"
    with pytest.raises(CaptionError):
        Cues.from_string("das ist kein untertitel", "srt")
    with pytest.raises(CaptionError):
        Cues.to_string(Cues(), "docx")
