import pickle

import pytest

from vidcoop.errors import (
    CaptionError,
    ManifestError,
    MediaError,
    PolicyError,
    RenderError,
    TranscriptionError,
    VidcoopError,
)


@pytest.mark.parametrize(
    "error",
    [
        ManifestError("unknown key 'foo'", path="ep.yaml", field="segments.0.foo"),
        MediaError("file not found", path="a.mp4", field="segments.1.source", hint="check the path"),
        PolicyError("partner logo outside a slot", episode="ep1", format="erklaervideo", rule="no-partner-slots"),
        RenderError("ffmpeg failed", command=["ffmpeg", "-i", "x"], stderr_tail="boom", returncode=1),
        TranscriptionError("no model", hint="pip install vidcoop[offline-models]"),
        CaptionError("bad srt", path="x.srt"),
    ],
)
def test_errors_pickle_with_their_data(error):
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is type(error)
    assert clone.__dict__ == error.__dict__
    assert str(clone) == str(error)
    assert isinstance(clone, VidcoopError)


def test_message_names_file_and_field():
    err = ManifestError("expected a number", path="ep.yaml", field="segments.2.out")
    assert str(err) == "ep.yaml [segments.2.out]: expected a number"


def test_policy_message_names_episode_format_rule():
    err = PolicyError("2 bumpers but 1 slot", episode="woche48", format="stellenboerse", rule="too-many-bumpers")
    assert str(err) == "episode 'woche48', format 'stellenboerse', rule too-many-bumpers: 2 bumpers but 1 slot"


CONTROLS = "\x1b[2J\x07\r\u202e"  # clear screen, bell, carriage return, right-to-left override


def test_printable_escapes_control_characters_and_keeps_text() -> None:
    from vidcoop.errors import printable

    assert printable(f"Köchin{CONTROLS}[m/w/d]\tx") == "Köchin\\x1b[2J\\x07\\x0d\\u202e[m/w/d]\tx"
    assert printable("a\nb\x9bc\u2066") == "a\\x0ab\\x9bc\\u2066"  # a newline would break the one line; CSI; isolate
    assert printable("👩\u200d🔧 Fachkraft \u2013 Straße") == "👩\u200d🔧 Fachkraft \u2013 Straße"  # emoji joiners stay
