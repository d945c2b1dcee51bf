from fractions import Fraction
from pathlib import Path

import pytest

from vidcoop.errors import ManifestError
from vidcoop.timeline.manifest import episode_from_dict, load_episode

GOOD = """\
version: 1
title: "Was ist Bürgergeld?"
format: erklaervideo
channel: channel/channel.yaml
crossfade: 0.25
segments:
  - source: "footage/it's [1]: a.mp4"
    in: 00:00:01.500
    out: 9
    reframe: {mode: crop, focus: [{at: 0, value: 0.3}, {at: 5, value: 0.7}]}
  - image: cards/fakt.png
    duration: 3
    reframe: fit-blur
overlays:
  - image: logo.png
    position: top-right
    width: 180
    opacity: 0.9
    end: 5
captions: edited/final.srt
"""


def test_good_manifest_resolves_paths_against_its_folder(tmp_path):
    (tmp_path / "ep.yaml").write_text(GOOD, encoding="utf-8")
    ep = load_episode(tmp_path / "ep.yaml")
    assert ep.title == "Was ist Bürgergeld?"
    assert ep.segments[0].source == tmp_path / "footage/it's [1]: a.mp4"
    assert ep.segments[0].start == Fraction(3, 2) and ep.segments[0].end == 9
    assert [k.value for k in ep.segments[0].reframe.focus] == [0.3, 0.7]
    assert ep.segments[1].reframe.mode == "fit-blur" and ep.segments[1].duration == 3
    assert ep.overlays[0].anchor == "top-right" and ep.overlays[0].end == 5
    assert ep.captions.mode == "file" and ep.captions.path == tmp_path / "edited/final.srt"
    assert ep.crossfade == Fraction(1, 4)
    assert ep.name == "ep" and ep.manifest == tmp_path / "ep.yaml"
    assert ep.format == "erklaervideo" and ep.channel == tmp_path / "channel/channel.yaml"


def test_a_format_needs_its_channel(tmp_path):
    (tmp_path / "ep.yaml").write_text(GOOD.replace("channel: channel/channel.yaml\n", ""), encoding="utf-8")
    with pytest.raises(ManifestError) as err:
        load_episode(tmp_path / "ep.yaml")
    assert err.value.field == "format" and "needs its channel" in str(err.value)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"segments": [{"source": "a"}]}, "version", "missing 'version'"),
        ({"version": 2, "segments": [{"source": "a"}]}, "version", "unsupported manifest version 2"),
        ({"version": 1, "segments": [{"source": "a", "speed": 2}]}, "segments.0.speed", "unknown key 'speed'"),
        ({"version": 1, "segments": [{"source": "a", "in": "1:xx"}]}, "segments.0.in", "not a timecode"),
        ({"version": 1, "segments": [{"source": "a", "in": 5, "out": 2}]}, "segments.0.in", "must be before"),
        ({"version": 1, "segments": [{"source": "a", "reframe": "zoom"}]}, "segments.0.reframe",
         "unknown reframe mode 'zoom'"),
        ({"version": 1, "segments": [{"source": "a", "volume": "laut"}]}, "segments.0.volume", "valid number"),
        ({"version": 1, "segments": [{"image": "a.png"}]}, "segments.0", "needs a 'duration'"),
        ({"version": 1, "segments": [{"source": "a", "image": "b"}]}, "segments.0", "exactly one of"),
        ({"version": 1, "segments": []}, "segments", "at least 1"),
        ({"version": 1, "segments": [{"source": "a"}], "overlays": [{"image": "l", "position": "middle"}]},
         "overlays.0.position", "'top-left'"),
        ({"version": 1, "segments": [{"source": "a", "reframe": {"focus": [{"at": 0, "value": 1.5}]}}]},
         "segments.0.reframe.focus.0.value", "less than or equal to 1"),
        ({"version": 1, "segments": [{"source": "a"}], "captions": {"mode": "file"}}, "captions", "needs 'file"),
        ({"version": 1, "segments": [{"source": "a", "fade": 2}]}, "segments.0.fade", "less than or equal to 1/2"),
    ],
)
def test_bad_manifests_name_the_field(data, field, message):
    with pytest.raises(ManifestError) as exc:
        episode_from_dict(data, base=Path("."), source=Path("week/ep.yaml"))
    assert exc.value.path == "week/ep.yaml"
    assert exc.value.field == field
    assert message in exc.value.message


def test_yaml_syntax_error_names_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nsegments:\n  - source: [unclosed\n")
    with pytest.raises(ManifestError, match="not valid YAML at line"):
        load_episode(bad)


def test_missing_manifest(tmp_path):
    with pytest.raises(ManifestError, match="file not found"):
        load_episode(tmp_path / "nope.yaml")


def test_a_segment_edge_fade_is_read_exactly():
    ep = episode_from_dict({"version": 1, "segments": [{"source": "a", "in": 1, "out": 2, "fade": 0.008},
                                                       {"source": "b"}]}, base=Path("/m"))
    assert [s.fade for s in ep.segments] == [Fraction(1, 125), Fraction(0)]
