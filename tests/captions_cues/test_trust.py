"""Never burn what was not said: flagged cues, short subtitles, capitalised function words."""

from __future__ import annotations

import json
from fractions import Fraction

from vidcoop.captions.cues import CueRules, build
from vidcoop.captions.flags import flag_cues, looks_like_url
from vidcoop.captions.model import CaptionSource, Cue, CueFlag, Word
from vidcoop.captions.words import lower_function_words

from . import helpers as H

f = Fraction


def w(text: str, start: float, end: float, p: float = 0.9) -> Word:
    return Word(text, f(str(start)), f(str(end)), p)


def cue(text: str, start: float, end: float, p: float = 0.9) -> Cue:
    words = text.split()
    step = (end - start) / len(words)
    return Cue(
        f(str(start)),
        f(str(end)),
        (text,),
        tuple(w(t, start + i * step, start + (i + 1) * step, p) for i, t in enumerate(words)),
    )


# -- flags ----------------------------------------------------------------------------------------------


def test_a_cue_of_mostly_unsure_words_is_flagged() -> None:
    cues = [cue("Die Beratung ist kostenlos.", 0, 2), cue("www .mengeld .com", 3, 5, p=0.3)]
    flags = flag_cues(cues)
    assert [(x.reason, x.text) for x in flags] == [("unsure", "www .mengeld .com"), ("url", "www .mengeld .com")]
    # half or fewer unsure: not flagged as unsure
    mixed = Cue(f(0), f(2), ("a b c d",), (w("a", 0, 1, 0.3), w("b", 1, 2, 0.3), w("c", 2, 3), w("d", 3, 4)))
    assert flag_cues([mixed]) == ()


def test_neighbouring_flagged_cues_are_one_flag() -> None:
    cues = [
        cue("www .mengeld .com", 1.5, 3, p=0.2),
        cue("www .mengeld .com", 3, 5, p=0.2),
        cue("www .mengeld .com", 5, 9, p=0.2),
    ]
    flags = flag_cues(cues)
    assert [(x.reason, x.start, x.end) for x in flags] == [
        ("unsure", f("1.5"), f(9)),
        ("url", f("1.5"), f(9)),
        ("repeat", f(3), f(9)),
    ]


def test_a_cue_that_repeats_an_earlier_one_word_for_word_is_flagged() -> None:
    cues = [
        cue("Die Schuldnerberatung hilft sofort.", 0, 2),
        cue("Wer wenig verdient,", 2, 4),
        cue("die Schuldnerberatung hilft sofort", 10, 12),
        cue("Ja, die Schuldnerberatung hilft sofort", 14, 16),
    ]
    flags = flag_cues(cues)
    assert [(x.reason, x.start, x.end) for x in flags] == [("repeat", f(10), f(16))]
    # short cues repeat in natural speech ("Ja, genau.", "in der Regel"): not flagged
    assert (
        flag_cues(
            [cue("Ja, genau.", 0, 1), cue("in der Regel", 2, 3), cue("Ja, genau.", 5, 6), cue("in der Regel", 7, 8)]
        )
        == ()
    )


def test_a_loop_cut_into_social_cues_is_flagged_from_where_it_repeats() -> None:
    said = ["Wer", "wenig", "verdient", "bekommt", "Hilfe", "vom", "Amt"]
    cues = [cue(" ".join(said[i : i + 2]), 10 + i, 11 + i) for i in range(0, len(said), 2)]
    looped = [cue(" ".join(said[i : i + 3]), 20 + i, 21 + i) for i in range(0, len(said), 3)]
    flags = flag_cues([*cues, *looped])
    assert [(x.reason, x.start) for x in flags] == [("repeat", f(20))]
    assert flag_cues(cues) == ()


def test_web_addresses_are_flagged_unless_they_are_glossary_terms() -> None:
    assert looks_like_url("www .mengeld .com") and looks_like_url("Mehr auf caritas.de")
    assert looks_like_url("https colon") and not looks_like_url("Die Beratung ist kostenlos. Denn")
    cues = [cue("Mehr auf caritas.de", 0, 2)]
    assert [x.reason for x in flag_cues(cues)] == ["url"]
    assert flag_cues(cues, terms=["caritas.de", "Jobcenter"]) == ()


def test_short_cues_are_flagged_only_when_a_minimum_is_given() -> None:
    cues = [cue("Die Beratung,", 9.14, 9.6)]
    assert flag_cues(cues) == ()
    assert [x.reason for x in flag_cues(cues, min_duration=f(1))] == ["short"]


def test_flags_are_warnings_and_report_entries() -> None:
    flag = CueFlag(f("1.5"), f(9), "www .mengeld .com", "url")
    source = CaptionSource(kind="transcribed", flagged=(flag,))
    assert source.warnings() == [
        "captions: check the cue at 1.5-9.0s 'www .mengeld .com': it looks like a web address the speaker did not "
        "spell out"
    ]
    assert source.to_dict()["flagged"] == [{"start": 1.5, "end": 9.0, "text": "www .mengeld .com", "reason": "url"}]


def test_built_cues_carry_their_flags_into_the_cue_json_and_back() -> None:
    words = [w("www", 1.5, 2.0, 0.2), w(".mengeld", 2.0, 2.6, 0.3), w(".com", 2.6, 3.0, 0.1)]
    cues = build(H.transcript_of(words), "subtitle")
    assert {x.reason for x in cues.flagged} == {"unsure", "url"}
    data = json.loads(cues.to_string("json"))
    assert {x["reason"] for x in data["flagged"]} == {"unsure", "url"}
    again = type(cues).from_string(cues.to_string("json"), "json")
    assert again.flagged == cues.flagged


# -- no subtitle shorter than the rules allow ----------------------------------------------------------


def test_a_short_subtitle_before_a_cut_joins_the_cue_before_it() -> None:
    # the shipped example: "Die Beratung," had 0.46 s before the cut to the phone clip
    words = [
        w("bekommt", 6.88, 7.16),
        w("Hilfe", 7.16, 7.66),
        w("vom", 7.66, 8.0),
        w("Jobcenter?", 8.0, 8.66),
        w("Die", 9.14, 9.22),
        w("Beratung,", 9.22, 9.58),
    ]
    cues = build(H.transcript_of(words), "subtitle", cuts=[f("9.6")])
    assert [(c.start, c.end) for c in cues] == [(f("6.88"), f("9.58"))]
    assert " ".join(c.text.replace("\n", " ") for c in cues) == "bekommt Hilfe vom Jobcenter? Die Beratung,"
    assert cues.flagged == ()


def test_a_short_subtitle_that_cannot_join_starts_earlier_or_is_flagged() -> None:
    rules = CueRules()
    # alone between two cuts (2.0 and 2.6): no neighbour, no time before it: flagged
    alone = [w("Vorher", 0.2, 1.0), w("Kurz.", 2.05, 2.5), w("Nachher", 3.0, 4.0)]
    cues = build(H.transcript_of(alone), "subtitle", cuts=[f(2), f("2.6")], rules=rules)
    short = [c for c in cues if c.end - c.start < rules.min_duration]
    assert [c.text for c in short] == ["Kurz."]
    assert [(x.reason, x.text) for x in cues.flagged] == [("short", "Kurz.")]
    # with free time before it (no cut there) it starts up to half a second early instead
    free = [w("Vorher.", 0.2, 1.0), w("Kurz.", 2.05, 2.5), w("Nachher", 3.0, 4.0)]
    cues = build(H.transcript_of(free[:1], free[1:2]), "subtitle", cuts=[f("2.6")], rules=rules)
    assert [(c.text, c.start, c.end) for c in cues][1] == ("Kurz.", f("1.6"), f("2.6"))
    assert cues.flagged == ()


def test_social_cues_have_no_minimum_and_are_not_flagged_short() -> None:
    cues = build(H.transcript_of([w("Ja", 0, 0.2), w("nein", 0.25, 0.4)]), "social", cuts=[f("0.45")])
    assert cues.flagged == ()


# -- capitalised function words mid-sentence -------------------------------------------------------------


def model_words(*texts: str) -> list[Word]:
    """Words as faster-whisper returns them: a leading space, punctuation attached."""
    return [w(t, i * 0.4, i * 0.4 + 0.35) for i, t in enumerate(texts)]


def test_function_words_are_never_capitalised_mid_sentence() -> None:
    got = lower_function_words(model_words(" Wie", " spät", " ist", " Es?", " Öffne", " Das", " Fenster."))
    assert [x.text for x in got] == [" Wie", " spät", " ist", " es?", " Öffne", " das", " Fenster."]
    got = lower_function_words(model_words("Sätze", "Putzen", "Auf", "Die", "Liste", "Haushalt."))
    assert [x.text for x in got] == ["Sätze", "Putzen", "auf", "die", "Liste", "Haushalt."]


def test_sentence_starts_polite_forms_nouns_and_glossary_words_keep_their_capital() -> None:
    texts = [
        "Das",
        "ist",
        "gut.",
        "Die",
        "Frage:",
        "Wer",
        "hilft?",
        "Können",
        "Sie",
        "mir",
        "Ihr",
        "Formular",
        "geben?",
        "Das",
        "ist",
        "das",
        "Aus",
        "für",
        "ES",
        "„Die",
        "Zeit“",
    ]
    got = [x.text for x in lower_function_words(model_words(*texts))]
    assert got == texts
    assert [x.text for x in lower_function_words(model_words("Hallo", "Die"), language="en")] == ["Hallo", "Die"]


def test_after_a_long_pause_or_a_cut_a_capital_may_start_a_sentence_whisper_did_not_end() -> None:
    words = [
        w("Öffne", 0, 0.4),
        w("das", 0.4, 0.6),
        w("Fenster", 0.6, 1.0),
        w("Das", 3.0, 3.2),
        w("Wetter", 3.2, 3.6),
        w("Die", 4.0, 4.2),
        w("Sonne", 4.2, 4.6),
    ]
    assert [x.text for x in lower_function_words(words, pause=f(1), cuts=[f("3.9")])] == [
        "Öffne",
        "das",
        "Fenster",
        "Das",
        "Wetter",
        "Die",
        "Sonne",
    ]
    assert [x.text for x in lower_function_words(words)][3:6] == ["das", "Wetter", "die"]


def test_built_cues_never_show_a_capitalised_function_word_mid_sentence() -> None:
    words = model_words(" Wie", " spät", " ist", " Es?", " Öffne", " Das", " Fenster.")
    text = " ".join(c.text.replace("\n", " ") for c in build(H.transcript_of(words), "subtitle"))
    assert text == "Wie spät ist es? Öffne das Fenster."
