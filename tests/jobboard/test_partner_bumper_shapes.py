"""A partner's own still bumper per picture shape on the job board (issue 30, fairness between partners):
a board built for 1:1 shows the partner's 1:1 still (``bumper.images``), 9:16 keeps its ``image:``, and a new
1:1 still re-renders only the 1:1 output."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from vidcoop.channel.config import load_channel
from vidcoop.jobboard.episode import build_episode
from vidcoop.jobboard.parts import BoardOptions
from vidcoop.jobboard.validation import validate
from vidcoop.timeline.model import SHAPE_STILLS, Episode, episode_for_shape

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
WEEK = "2026-W49"
DIAKONIE = "diakonie-musterstadt"


def _square(path: Path, colour: tuple[int, int, int]) -> Path:
    from PIL import Image

    Image.new("RGB", (1080, 1080), colour).save(path)
    return path


@pytest.fixture
def channel_yaml(tmp_path: Path) -> Path:
    """The example channel, its Diakonie bumper with a 1:1 still of its own."""
    folder = tmp_path / "channel"
    shutil.copytree(EXAMPLES / "channel", folder)
    _square(folder / "partners" / "diakonie-bumper-1x1.png", (10, 80, 160))
    path = folder / "channel.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["partners"][DIAKONIE]["bumper"]["images"] = {"1:1": "partners/diakonie-bumper-1x1.png"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _board(channel_yaml: Path, cards: Path) -> Episode:
    channel = load_channel(channel_yaml)
    report = validate(EXAMPLES / "jobs.csv", channel, WEEK)
    one_each = list({job.partner: job for job in report.ok}.values())  # a card per partner: each gets its bumper
    return build_episode(one_each, channel, WEEK, options=BoardOptions(cards_dir=cards, shapes=("1:1", "4:5")))[0]


def test_board_for_1x1_shows_the_partners_own_1x1_still(channel_yaml: Path, tmp_path: Path) -> None:
    episode = _board(channel_yaml, tmp_path / "cards")
    image = channel_yaml.parent / "partners" / "diakonie-musterstadt-bumper.png"
    square = channel_yaml.parent / "partners" / "diakonie-bumper-1x1.png"
    (bumper,) = [s for s in episode.segments if s.kind == "bumper" and s.partner == DIAKONIE]
    assert bumper.source == image.resolve()  # 9:16 keeps image:
    stills = episode.extra[SHAPE_STILLS]
    assert stills[str(bumper.source)] == {"1:1": str(square.resolve())}  # 4:5 has none: the 9:16 still, fitted
    shown = {shape: [s.source for s in episode_for_shape(episode, shape).segments
                     if s.kind == "bumper" and s.partner == DIAKONIE] for shape in ("9:16", "1:1", "4:5")}
    assert shown == {"9:16": [image.resolve()], "1:1": [square.resolve()], "4:5": [image.resolve()]}


def test_a_new_1x1_still_changes_only_the_1x1_rendition_key(channel_yaml: Path, tmp_path: Path) -> None:
    from vidcoop.channel.config import ChannelCache
    from vidcoop.review import FileHasher, input_dirs
    from vidcoop.review.keys import rendition_key

    episode = _board(channel_yaml, tmp_path / "cards")
    dirs = input_dirs(episode, ChannelCache())  # as the batch keys it: the channel's folder and kit are inputs
    assert channel_yaml.parent.resolve() in [d.resolve() for d in dirs]

    def keys() -> dict[str, str]:
        return {s: rendition_key(episode, "final", s, hasher=FileHasher(), kit_dirs=dirs)
                for s in ("9:16", "4:5", "1:1")}

    before = keys()
    _square(channel_yaml.parent / "partners" / "diakonie-bumper-1x1.png", (200, 30, 30))
    after = keys()
    assert after["1:1"] != before["1:1"]
    assert {s: after[s] for s in ("9:16", "4:5")} == {s: before[s] for s in ("9:16", "4:5")}


def test_example_diakonie_bumper_is_its_own_still_in_every_shape(tmp_path: Path) -> None:
    """The example partner with its own still shows one laid out for each frame (its badge as large as in 9:16),
    so a board in every shape passes the check without the partner-bumper-shape warning."""
    from PIL import Image

    from vidcoop.channel.policy import check_episode
    from vidcoop.shapes import SHAPES

    channel = load_channel(EXAMPLES / "channel" / "channel.yaml")
    report = validate(EXAMPLES / "jobs.csv", channel, WEEK)
    one_each = list({job.partner: job for job in report.ok}.values())
    others = tuple(s for s in SHAPES if s != "9:16")
    episode = build_episode(one_each, channel, WEEK, options=BoardOptions(cards_dir=tmp_path, shapes=others))[0]
    for shape in SHAPES:
        (bumper,) = [s for s in episode_for_shape(episode, shape).segments
                     if s.kind == "bumper" and s.partner == DIAKONIE]
        assert bumper.source == channel.partner(DIAKONIE).bumper.image_for(shape)
        with Image.open(bumper.source) as img:
            assert img.size == (SHAPES[shape].width, SHAPES[shape].height)
    checked = check_episode(episode, channel, image_sizes={})
    assert "partner-bumper-shape" in checked.passed
    assert not [w for w in checked.warnings if w.rule == "partner-bumper-shape"]
