"""One partner rule for all text (issue #25): titles, lower thirds, labels and post texts.

Every form a review found passing in an explainer's title is refused now, in
``vidcoop check`` as in ``batch --check``; ordinary words that only share a
partner name's letters pass. A format may allow a speaker's organisation in
lower thirds (``allow_partner_names: [lower_thirds]``), and the audit report then
counts the mention as that partner's visibility.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from vidcoop.channel.config import Channel, load_channel
from vidcoop.channel.names import mentions, normalise, partner_terms
from vidcoop.channel.policy import check_episode
from vidcoop.errors import ManifestError, PolicyError
from vidcoop.timeline.model import Episode, LowerThird, Overlay, Segment

from .conftest import EXAMPLE_CHANNEL, REPO

# Each form of a partner's name that used to pass in an explainer's title (issue #25), and its partner.
FORMS = [
    ("#CaritasMusterstadt", "caritas-musterstadt"),
    ("Caritas  Musterstadt", "caritas-musterstadt"),  # two spaces
    ("Caritas\nMusterstadt", "caritas-musterstadt"),  # a line break
    ("Caritas\u00a0Musterstadt", "caritas-musterstadt"),  # a no-break space
    ("Die Angebote der Diakonie Musterstadts", "diakonie-musterstadt"),  # genitive
    ("Paritaetischer Musterstadt", "paritaetischer-musterstadt"),  # transliterated
    ("Parita\u0308tischer Musterstadt", "paritaetischer-musterstadt"),  # NFD ä
    ("Cari\u00adtas Musterstadt", "caritas-musterstadt"),  # a soft hyphen inside
    ("Diakonie Muster\u200bstadt", "diakonie-musterstadt"),  # a zero-width space inside
    ("\u0421aritas Musterstadt", "caritas-musterstadt"),  # a Cyrillic Es
    ("caritas_musterstadt", "caritas-musterstadt"),
    # and a few more of the same kind
    ("des Paritätischen Musterstadts", "paritaetischer-musterstadt"),
    ("\uff23\uff41\uff52\uff49\uff54\uff41\uff53 Musterstadt", "caritas-musterstadt"),  # full width
    ("#diakoniemusterstadt", "diakonie-musterstadt"),
    ("DIAKONIE-MUSTERSTADT", "diakonie-musterstadt"),
    ("Wohngeldberatung, Caritas Nordstadt", "caritas-musterstadt"),  # the example channel's alias "Caritas"
]

# Ordinary words: they share letters with a partner's name but are other words (or only a part of
# a name, which does not count: see vidcoop.channel.names).
ORDINARY = [
    "Caritative Arbeit in Musterstadt",
    "Paritätisch gesehen, Musterstadt",
    "Diakonie hilft in Musterstadt",  # a part of "Diakonie Musterstadt" only
    "Musterstädter Jobcenter",
    "Charitas Musterstadt",  # another name
    "Wege zum Job: Was ist Bürgergeld?",
    "Beraterin, Jobcenter Musterstadt",
]


def explainer(*, title: str = "Was ist Bürgergeld?", lower_thirds: tuple[LowerThird, ...] = (),
              overlays: tuple[Overlay, ...] = ()) -> Episode:
    return Episode((Segment("talk.mp4", start=0, end=10, field="segments.0"),), overlays=overlays, title=title,
                   lower_thirds=lower_thirds, format="erklaervideo", name="ep")


def refused(ep: Episode, channel: Channel) -> PolicyError:
    with pytest.raises(PolicyError) as info:
        check_episode(ep, channel, image_sizes={})
    return info.value


@pytest.mark.parametrize(("text", "partner"), FORMS)
def test_every_form_of_a_name_in_an_explainer_title_is_refused(channel: Channel, text: str, partner: str) -> None:
    err = refused(explainer(title=text), channel)
    assert (err.rule, err.field, err.format) == ("partner-in-text", "title", "erklaervideo")
    assert f"names partner {channel.partners[partner].name!r}" in str(err)
    assert [m.partner for m in mentions(text, partner_terms(channel))] == [partner]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_words_pass(channel: Channel, text: str) -> None:
    report = check_episode(explainer(title=text, lower_thirds=(LowerThird(text, text, 1, 3),)), channel,
                           image_sizes={})
    assert "partner-texts" in report.passed
    assert mentions(text, partner_terms(channel)) == []


@pytest.mark.parametrize(("text", "partner"), FORMS)
def test_the_same_forms_in_a_post_text_are_refused_by_the_post_check(channel: Channel, text: str,
                                                                       partner: str) -> None:
    from vidcoop.publish.post import PostFiles, build_post

    posts = {**channel.publish.posts, "erklaervideo": replace(channel.publish.posts["erklaervideo"],
                                                              description=f"Danke an {text}!")}
    changed = replace(channel, publishing=replace(channel.publish, posts=posts))
    with pytest.raises(PolicyError) as info:
        build_post(explainer(), changed, PostFiles(Path("v.mp4")), duration=Fraction(30))
    assert info.value.rule == "partner-in-post-text"
    assert f"names partner {channel.partners[partner].name!r}" in str(info.value)
    # and the policy check (vidcoop check) refuses the same template before anything is rendered
    err = refused(explainer(), changed)
    assert (err.rule, err.field) == ("partner-in-post-text", "posts.erklaervideo.description")


def test_slot_formats_may_name_partners(channel: Channel) -> None:
    ep = replace(explainer(title="Stellen der Caritas Musterstadt"), format="stellenboerse")
    assert "partner-texts" in check_episode(ep, channel, image_sizes={}).passed


def test_labels_and_hashtags_follow_the_rule(channel: Channel) -> None:
    ov = Overlay("sticker.png", label="Danke, Diakonie Musterstadt", field="overlays.0")
    assert refused(explainer(overlays=(ov,)), channel).field == "overlays.0.label"
    template = replace(channel.publish.posts["erklaervideo"], hashtags=("CaritasMusterstadt",))
    changed = replace(channel, publishing=replace(channel.publish, posts={**channel.publish.posts,
                                                                          "erklaervideo": template}))
    assert refused(explainer(), changed).field == "posts.erklaervideo.hashtags"


def test_normal_form() -> None:
    assert normalise("#CaritasMusterstadt") == normalise("caritas  musterstadt")
    assert normalise("Caritas\u00a0Musterstadt") == normalise("caritas musterstadt")
    assert normalise("Paritätischer") == normalise("Paritaetischer") == normalise("Parita\u0308tischer")
    assert normalise("Cari\u00adtas\u200b") == normalise("\u0421aritas") == normalise("caritas")
    assert normalise("Straße") == normalise("STRASSE")
    assert normalise("") == normalise("\u200b\u00ad ") == ""


# ---- lower thirds as rendered: vidcoop check and batch --check alike, unless the format allows them ----


def _example(tmp_path: Path, allow: bool = False) -> Path:
    """A copy of the example channel and explainer whose lower third names a partner's organisation."""
    root = tmp_path / "examples"
    for folder in ("channel", "episodes", "footage"):
        shutil.copytree(REPO / "examples" / folder, root / folder)
    shutil.copytree(REPO / "brand_kits", tmp_path / "brand_kits")
    if allow:
        yaml = root / "channel" / "channel.yaml"
        yaml.write_text(yaml.read_text(encoding="utf-8").replace(
            "    # allow_partner_names: [lower_thirds]", "    allow_partner_names: [lower_thirds]"), encoding="utf-8")
    ep = root / "episodes" / "was-ist-buergergeld.yaml"
    ep.write_text(ep.read_text(encoding="utf-8").replace(
        'role: "Beraterin, Jobcenter Musterstadt"', 'role: "Wohngeldberatung, Caritas Nordstadt"'), encoding="utf-8")
    (root / "week.yaml").write_text("version: 1\noutput: out\ncovers: false\n"
                                    "episodes: [episodes/was-ist-buergergeld.yaml]\n", encoding="utf-8")
    return root


def test_a_partner_in_a_lower_third_is_refused_by_check_and_batch_alike(tmp_path: Path, monkeypatch) -> None:
    from vidcoop.batch import check_week
    from vidcoop.cli.check import check

    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    root = _example(tmp_path)
    result = CliRunner().invoke(check, [str(root / "episodes" / "was-ist-buergergeld.yaml")])
    assert isinstance(result.exception, PolicyError), result.output
    assert (result.exception.rule, result.exception.field) == ("partner-in-text", "lower_thirds.0.role")
    assert "allow_partner_names: [lower_thirds]" in (result.exception.hint or "")
    checked = check_week(root / "week.yaml")
    assert checked.episodes[0].status == "failed"
    assert "partner-in-text" in (checked.episodes[0].error or "")


def test_allowed_in_lower_thirds_and_counted_as_visibility(tmp_path: Path, monkeypatch) -> None:
    from vidcoop.batch import check_week
    from vidcoop.channel.assemble import as_rendered, check_as_rendered, plan_spans
    from vidcoop.channel.report import ReportInputs, build_report, partner_totals
    from vidcoop.cli.check import check
    from vidcoop.timeline.manifest import load_episode

    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    root = _example(tmp_path, allow=True)
    manifest = root / "episodes" / "was-ist-buergergeld.yaml"
    result = CliRunner().invoke(check, [str(manifest)])
    assert result.exit_code == 0, result.output
    assert check_week(root / "week.yaml").episodes[0].status != "failed"
    # the title is still checked in that format
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"Was ist Bürgergeld?"', '"Caritas erklärt"'),
                        encoding="utf-8")
    assert CliRunner().invoke(check, [str(manifest)]).exception.field == "title"  # type: ignore[union-attr]
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"Caritas erklärt"', '"Was ist Bürgergeld?"'),
                        encoding="utf-8")
    channel = load_channel(root / "channel" / "channel.yaml")
    rendered = as_rendered(load_episode(manifest), tmp_path / "work", channel=channel, loudness=False)
    policy = check_as_rendered(rendered)
    report = build_report(rendered.episode, ReportInputs(spans=plan_spans(rendered.plan), policy=policy,
                                                         channel=channel))
    (entry,) = report["partners"]
    (seen,) = entry["appearances"]
    assert entry["id"] == "caritas-musterstadt" and seen["source"] == "text" and seen["kind"] == "lower-third"
    assert seen["field"] == "lower_thirds.0" and entry["screen_time"] == pytest.approx(4, abs=0.5)
    totals = partner_totals([report])["caritas-musterstadt"]
    assert totals.mentions == 1 and totals.appearances == 1 and totals.seconds > 3


def test_unknown_place_to_allow_names_is_refused(tmp_path: Path) -> None:
    root = _example(tmp_path)
    yaml = root / "channel" / "channel.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace(
        "    # allow_partner_names: [lower_thirds]", "    allow_partner_names: [titles]"), encoding="utf-8")
    with pytest.raises(ManifestError) as info:
        load_channel(yaml)
    assert info.value.field == "formats.erklaervideo.allow_partner_names.0"


def test_the_example_channel_loads_its_alias() -> None:
    assert load_channel(EXAMPLE_CHANNEL).partners["caritas-musterstadt"].aliases == ("Caritas",)


def test_vidcoop_check_refuses_the_post_text_that_batch_refuses(tmp_path: Path, monkeypatch) -> None:
    from vidcoop.batch import check_week
    from vidcoop.cli.check import check

    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    root = _example(tmp_path, allow=True)
    yaml = root / "channel" / "channel.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace(
        "Fragen? Schreib sie in die Kommentare!", "Mit Dank an die #CaritasMusterstadt!"), encoding="utf-8")
    result = CliRunner().invoke(check, [str(root / "episodes" / "was-ist-buergergeld.yaml")])
    assert isinstance(result.exception, PolicyError), result.output
    assert (result.exception.rule, result.exception.field) == ("partner-in-post-text", "posts.erklaervideo.description")
    assert result.exception.path == str(yaml)
    checked = check_week(root / "week.yaml")
    assert "partner-in-post-text" in (checked.episodes[0].error or "")


def test_every_look_alike_of_every_letter_is_found(channel: Channel) -> None:
    """Each letter of each partner's name replaced by each character Unicode's confusables table
    treats as that letter (after casefolding), one at a time: the name is still found."""
    from vidcoop.channel.names import skeletons

    terms = partner_terms(channel)
    alike: dict[str, list[str]] = {}
    for ch in skeletons():
        alike.setdefault(normalise(ch), []).append(ch)
    tried = 0
    for pid, partner in channel.partners.items():
        name = partner.name
        for i, letter in enumerate(name):
            if not letter.isalpha():
                continue
            for look_alike in (ch for ch in alike.get(normalise(letter), []) if ch != letter):
                text = f"Danke an {name[:i]}{look_alike}{name[i + 1:]}!"
                assert pid in {m.partner for m in mentions(text, terms)}, text
                tried += 1
    assert tried > 300  # the table has many look-alikes for Latin letters (Cyrillic, Greek, math letters, ...)
