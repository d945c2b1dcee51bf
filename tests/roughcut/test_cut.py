"""The rough cut's pure parts on synthetic sources: fillers, retakes, pauses, uncovered voice, clean edges."""

from __future__ import annotations

from fractions import Fraction

import pytest

from tests.roughcut.synthetic import SOURCE, audio, transcript, words
from vidcoop.errors import ManifestError
from vidcoop.roughcut import CutOptions, is_filler, parse_keep, plan_cut, suggest
from vidcoop.roughcut.suggest import retakes

NTSC = Fraction(30000, 1001)


def _on_grid(t: Fraction, fps: Fraction) -> bool:
    return (t * fps).denominator == 1


@pytest.mark.parametrize("text", ["äh", "Äh,", "ähm", "Ähm...", "öh", "öhm", "hm", "Hmm.", "ähhm", "Eeeh,", "Eehm"])
def test_german_fillers_are_fillers(text: str) -> None:
    assert is_filler(text)


@pytest.mark.parametrize(
    "text", ["um", "Um", "er", "Er,", "eh", "Eher", "ähnlich", "Öhringen", "hmm-hmm-Tag", "ehrlich", ""]
)
def test_um_and_er_are_german_words_not_fillers(text: str) -> None:
    assert not is_filler(text)


def test_filler_suggestions_keep_um_and_er_as_words() -> None:
    # "Er kommt um neun Uhr, äh, morgen." : only "äh," is a filler.
    ws = words(("Er", 0.5, 0.7), ("kommt", 0.7, 1.0), ("um", 1.0, 1.2), ("neun", 1.2, 1.5), ("Uhr,", 1.5, 1.8),
               ("äh,", 1.9, 2.3), ("morgen.", 2.4, 2.9))
    st = transcript(ws)
    found = suggest(st, audio([(w.start, w.end) for w in ws]))
    fillers = [s for s in found if s.kind == "filler"]
    assert [(s.text, s.after, s.before) for s in fillers] == [("äh,", 4, 6)]
    cut = plan_cut(st, audio([(w.start, w.end) for w in ws]), [1], fillers)
    assert [w.text for w in cut.words] == ["Er", "kommt", "um", "neun", "Uhr,", "morgen."]
    assert len(cut.pieces) == 2  # cut out around the filler
    assert cut.pieces[0].end <= Fraction("1.9") and cut.pieces[1].start >= Fraction("2.3")


def _said(start: float, text: str) -> list:
    """``text``'s words, 0.4 s each from ``start``."""
    return words(*((w, start + 0.4 * i, start + 0.4 * (i + 1)) for i, w in enumerate(text.split())))


def test_retakes_heard_differently_behind_a_short_aside_and_inside_one_sentence() -> None:
    """The takes of real recordings: heard a little differently each time (compared by sound too), a short
    "Äh, nochmal." between them, and a start said again inside one sentence; distinct sentences are not."""
    cases = [
        (["Als Juppkenta hilft beim Bügergeld.", "Das Joppkenta fehlt ein Buchagelt."], [(1, None)]),
        (["Das Jobcenter hilft beim Bürgergeld.", "Äh, nochmal.", "Das Jobcenter hilft beim Bürgergeld."],
         [(1, None)]),
        (["Wer Arbeit sucht, wer Arbeit sucht, bekommt Hilfe."], [(1, "Wer Arbeit sucht,")]),
        (["Das Jobcenter hilft beim Bürgergeld.", "Die Miete zahlt das Amt.", "Der Antrag ist kostenlos."], []),
        (["Das ist gut, das ist wichtig.", "Das Jobcenter zahlt die Miete."], []),
        (["Das Jobcenter hilft beim Bürgergeld.", "Ein langer Satz dazwischen mit vielen Worten.",
          "Das Jobcenter hilft beim Bürgergeld."], []),  # a real sentence between: said twice on purpose
    ]
    for texts, expected in cases:
        st = transcript(*(_said(10.0 * k, text) for k, text in enumerate(texts)))
        found = [(t.sentence, t.text if t.text != st.sentences[t.sentence - 1].text else None) for t in retakes(st)]
        assert found == expected, texts


def test_a_restart_inside_a_sentence_cuts_only_the_earlier_start() -> None:
    st = transcript(_said(0.5, "Wer Arbeit sucht, wer Arbeit sucht, bekommt Hilfe."))
    (take,) = retakes(st)
    sound = audio([(w.start, w.end) for w in st.sentences[0].words])
    cut = plan_cut(st, sound, [1], [take])
    assert [w.text for w in cut.words] == ["wer", "Arbeit", "sucht,", "bekommt", "Hilfe."]


def test_repeated_take_marks_the_earlier_sentence_and_keeps_the_later() -> None:
    first = words(("Das", 0.5, 0.7), ("Jobcenter", 0.7, 1.2), ("hilft", 1.2, 1.5), ("beim", 1.5, 1.7),
                  ("Bürgergeld.", 1.7, 2.3))
    again = words(("Das", 3.5, 3.7), ("Jobcenter", 3.7, 4.2), ("hilft", 4.2, 4.5), ("dir", 4.5, 4.7),
                  ("beim", 4.7, 4.9), ("Bürgergeld.", 4.9, 5.5))
    other = words(("Der", 6.5, 6.7), ("Antrag", 6.7, 7.1), ("ist", 7.1, 7.3), ("kostenlos.", 7.3, 8.0))
    st = transcript(first, again, other)
    takes = retakes(st)
    assert [(s.kind, s.sentence, s.text) for s in takes] == [("retake", 1, "Das Jobcenter hilft beim Bürgergeld.")]
    sound = audio([(w.start, w.end) for w in (*first, *again, *other)])
    kept = plan_cut(st, sound, [1, 2, 3], takes)
    assert [w.text for w in kept.words] == [w.text for w in (*again, *other)]
    assert kept.pieces[0].start >= Fraction("2.3")
    both = plan_cut(st, sound, [1, 2, 3])  # not accepted: nothing changes
    assert len(both.words) == 15 and len(both.pieces) == 1


def test_edges_fall_on_the_ntsc_frame_grid_outside_every_word_at_the_quietest_spot() -> None:
    ws = words(("Erster", 0.50, 0.90), ("Satz.", 0.92, 1.40), ("Zweiter", 2.00, 2.50), ("Satz.", 2.52, 3.00),
               ("Dritter", 3.60, 4.10), ("Satz.", 4.12, 4.60))
    st = transcript(ws[:2], ws[2:4], ws[4:])
    # A hum 50-0 ms before "Zweiter" (quieter than voice, louder than silence): the in-point avoids it.
    sound = audio([(w.start, w.end) for w in ws], louder=[(1.93, 2.0)])
    cut = plan_cut(st, sound, [2], options=CutOptions(fps=NTSC))
    (piece,) = cut.pieces
    for edge in (piece.start, piece.end):
        assert _on_grid(edge, NTSC)
        assert not any(w.start < edge < w.end for w in ws)
    assert Fraction("1.88") <= piece.start < Fraction("1.93")  # before the hum, within 120 ms
    assert Fraction(3) <= piece.end <= Fraction("3.12")
    assert cut.segments[0].fade == Fraction(8, 1000)
    assert [(s.start, s.end) for s in cut.segments] == [(piece.start, piece.end)]


def test_a_long_pause_is_suggested_by_silence_and_shortened_only_when_accepted() -> None:
    ws = words(("Wir", 0.5, 0.8), ("helfen", 0.8, 1.3), ("gern.", 2.6, 3.0))
    st = transcript(ws)
    sound = audio([(w.start, w.end) for w in ws])
    pauses = [s for s in suggest(st, sound) if s.kind == "pause"]
    assert len(pauses) == 1 and Fraction("1.3") <= pauses[0].start < pauses[0].end <= Fraction("2.6")
    assert len(plan_cut(st, sound, [1]).pieces) == 1
    cut = plan_cut(st, sound, [1], pauses, CutOptions(keep_pause=Fraction(3, 10)))
    first, second = cut.pieces
    kept_pause = (first.end - Fraction("1.3")) + (Fraction("2.6") - second.start)
    assert abs(kept_pause - Fraction(3, 10)) <= Fraction(2, 30)
    assert all(_on_grid(t, Fraction(30)) for t in (first.start, first.end, second.start, second.end))


def test_a_short_pause_is_no_suggestion() -> None:
    ws = words(("Wir", 0.5, 0.8), ("helfen", 0.8, 1.3), ("gern.", 1.8, 2.2))
    assert not [s for s in suggest(transcript(ws), audio([(w.start, w.end) for w in ws])) if s.kind == "pause"]


def test_voice_no_word_covers_is_suggested_and_cut_out() -> None:
    # Whisper left an "ähm" out of the text: voice at 1.6-2.0 s between "helfen" and "gern".
    ws = words(("Wir", 0.5, 0.8), ("helfen", 0.8, 1.3), ("gern.", 2.3, 2.7))
    st = transcript(ws)
    sound = audio([*((w.start, w.end) for w in ws), (1.6, 2.0)])
    voice = [s for s in suggest(st, sound) if s.kind == "voice"]
    assert [(s.start, s.end) for s in voice] == [(Fraction("1.6"), Fraction("2.0"))]
    cut = plan_cut(st, sound, [1], voice)
    first, second = cut.pieces
    assert first.end <= Fraction("1.6") and second.start >= Fraction("2.0")
    assert [w.text for w in cut.words] == ["Wir", "helfen", "gern."]


def test_captions_are_the_kept_words_on_the_episode_timeline() -> None:
    ws = words(("Eins.", 0.5, 1.0), ("Zwei.", 2.0, 2.5), ("Drei.", 3.5, 4.0))
    st = transcript(ws[:1], ws[1:2], ws[2:])
    cut = plan_cut(st, audio([(w.start, w.end) for w in ws]), [3, 1])
    episode = cut.transcript()
    assert [w.text for w in episode.words] == ["Drei.", "Eins."]
    first, second = cut.pieces
    assert episode.words[0].start == ws[2].start - first.start
    assert episode.words[1].start == first.duration + ws[0].start - second.start
    assert episode.duration == first.duration + second.duration


def test_keep_is_checked_and_names_the_field() -> None:
    assert parse_keep("1-3,5,8", 9) == [1, 2, 3, 5, 8]
    assert parse_keep(" 2 , 1-2 ", 3) == [2, 1]
    for bad, words_ in (("1-3,x", "'x'"), ("4", "no sentence 4"), ("3-1", "backwards"), ("", "''")):
        with pytest.raises(ManifestError) as info:
            parse_keep(bad, 3, path=SOURCE)
        assert info.value.field == "keep" and words_ in info.value.message


def test_word_ranges_reorder_nudge_and_join_for_the_studio() -> None:
    from vidcoop.roughcut import WordRange, join_cuts

    ws = words(("Eins", 0.5, 0.9), ("zwei", 0.9, 1.3), ("drei.", 1.3, 1.8), ("Vier", 2.8, 3.2), ("fünf.", 3.2, 3.7))
    st = transcript(ws[:3], ws[3:])
    sound = audio([(w.start, w.end) for w in ws])
    cut = plan_cut(st, sound, [WordRange(1, 2), 2])  # "zwei drei." then sentence 2: one run, words 1..4
    assert [w.text for w in cut.words] == ["zwei", "drei.", "Vier", "fünf."] and len(cut.pieces) == 1
    assert cut.pieces[0].start >= Fraction("0.9")  # never inside "Eins"
    apart = plan_cut(st, sound, [2, WordRange(0, 0)])
    assert [[w.text for w in p.words] for p in apart.pieces] == [["Vier", "fünf."], ["Eins"]]
    assert [[w.text for w in p.words] for p in apart.moved([1, 0]).pieces] == [["Eins"], ["Vier", "fünf."]]
    nudged = apart.nudged(0, "start", -1)
    assert nudged.pieces[0].start == apart.pieces[0].start - Fraction(1, 30)
    assert nudged.pieces[1:] == apart.pieces[1:]
    with pytest.raises(ValueError):
        apart.nudged(1, "end", -100)
    both = join_cuts(apart, cut)
    assert len(both.pieces) == 3 and both.sources == (SOURCE,)
    with pytest.raises(ManifestError) as info:
        plan_cut(st, sound, [WordRange(3, 9)])
    assert info.value.field == "keep"


def test_transcript_and_suggestions_as_json_for_a_page() -> None:
    import json

    ws = words(("Hallo.", 0.5, 0.9), ("äh", 1.0, 1.3), ("Tschüss.", 2.5, 3.0))
    st = transcript(ws[:1], ws[1:])
    data = json.loads(json.dumps(st.to_dict()))
    assert [[s["number"] for s in p["sentences"]] for p in data["paragraphs"]] == [[1, 2]]
    assert [w["index"] for p in data["paragraphs"] for s in p["sentences"] for w in s["words"]] == [0, 1, 2]
    found = suggest(st, audio([(w.start, w.end) for w in ws]))
    assert {"key": "filler@1000", "kind": "filler"}.items() <= json.loads(json.dumps(found[0].to_dict())).items()


def test_corrections_in_the_rough_cut_carry_over_to_the_captions() -> None:
    from vidcoop.errors import CaptionError
    from vidcoop.roughcut import corrected

    ws = words(("Das", 0.5, 0.7), ("Joppkenta", 0.7, 1.3), ("hilft.", 1.3, 1.8))
    st = corrected(transcript(ws), {1: "Jobcenter"})
    assert st.sentences[0].text == "Das Jobcenter hilft."
    assert st.words[1].start == Fraction("0.7") and st.words[1].probability == 1.0
    cut = plan_cut(st, audio([(w.start, w.end) for w in ws]), [1])
    assert [w.text for w in cut.transcript().words] == ["Das", "Jobcenter", "hilft."]
    with pytest.raises(CaptionError) as info:
        corrected(st, {5: "x"})
    assert info.value.field == "words.5"


def test_ranges_from_a_page_snap_to_frames_and_take_their_words() -> None:
    import json

    from vidcoop.roughcut import cut_from_ranges

    ws = words(("Eins.", 0.5, 1.0), ("Zwei.", 2.0, 2.5))
    st = transcript(ws[:1], ws[1:])
    cut = cut_from_ranges({SOURCE: st}, [(SOURCE, Fraction("1.9"), Fraction("2.61")),
                                         (SOURCE, Fraction("0.41"), Fraction("1.1"))], CutOptions(fps=NTSC))
    assert [[w.text for w in p.words] for p in cut.pieces] == [["Zwei."], ["Eins."]]
    assert all(_on_grid(t, NTSC) for p in cut.pieces for t in (p.start, p.end))
    data = json.loads(json.dumps(cut.to_dict()))
    assert [Fraction(p["start_exact"]) for p in data["pieces"]] == [p.start for p in cut.pieces]
    with pytest.raises(ManifestError) as info:
        cut_from_ranges({SOURCE: st}, [(SOURCE, Fraction(1), Fraction(1))])
    assert info.value.field == "ranges.0"


def test_a_first_word_stranded_at_the_end_of_the_voice_before_joins_its_sentence() -> None:
    # Whisper put the second take's "Als" at the tail of the first take (seen on the generated interview with
    # the long-form decoding): a cut before the second take would keep the first take's last 0.3 s.
    from vidcoop.roughcut.transcript import fit_words

    first = words(("Als", 1.0, 1.2), ("Jobcenter", 1.2, 1.8), ("hilft.", 1.8, 2.3))
    second = words(("Als", 2.3, 2.5), ("Jobcenter", 4.2, 4.8), ("hilft.", 4.8, 5.3))
    st = fit_words(transcript(first, second), audio([(1.0, 2.5), (4.1, 5.3)]))
    moved = st.sentences[1].words[0]
    assert (moved.text, moved.start) == ("Als", Fraction("4.1"))
    assert moved.end <= Fraction("4.2")
    assert st.sentences[0].words[0].start == Fraction(1)  # a first word in its own voice stays
