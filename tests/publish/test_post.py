"""Post packages: texts from the channel's templates, platform limits, the partner rule for texts."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from fractions import Fraction
from pathlib import Path

import pytest

from vidcoop.channel.platforms import PLATFORMS
from vidcoop.channel.publishing import PostTemplate, fill
from vidcoop.errors import ManifestError, PolicyError
from vidcoop.publish.post import PostFiles, build_post, write_post
from vidcoop.timeline.manifest import load_episode

SCHEMA = Path(__file__).resolve().parents[2] / "vidcoop" / "publish" / "post.schema.json"


def _explainer(example: Path):
    return load_episode(example / "episodes" / "was-ist-buergergeld.yaml")


def _with_template(channel, fmt: str, **texts):
    settings = channel.publish
    posts = dict(settings.posts)
    posts[fmt] = replace(posts.get(fmt, PostTemplate()), **texts)
    return replace(channel, publishing=replace(settings, posts=posts))


def _validate(data: dict) -> None:
    import jsonschema

    jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))


def test_fill_is_literal() -> None:
    values = {"title": "{channel} & <b>", "channel": "X"}
    assert fill("{title} | {{title}} | {channel}", values) == "{channel} & <b> | {title} | X"


def test_explainer_package_for_three_platforms(example: Path, channel, tmp_path: Path) -> None:
    episode = _explainer(example)
    at = datetime(2026, 11, 24, 17, 0).astimezone()
    video = tmp_path / "was-ist-buergergeld.mp4"
    package = build_post(episode, channel, PostFiles(video, tmp_path / "c.jpg", tmp_path / "c.srt"),
                         duration=Fraction(42), publish_at=at)
    data = package.to_dict()
    _validate(data)
    assert list(data["platforms"]) == ["tiktok", "instagram", "youtube"]
    yt = data["platforms"]["youtube"]
    assert yt["title"] == f"{episode.title} | Wege zum Job"
    assert "in 42 Sekunden erklärt" in yt["description"]
    assert data["platforms"]["tiktok"]["title"] is None  # TikTok has no separate title
    assert data["platforms"]["tiktok"]["text"].endswith("#WegeZumJob #Bürgergeld #Jobcenter #Ausbildung")
    assert yt["video"] == "was-ist-buergergeld.mp4" and yt["cover"] == "c.jpg" and yt["captions"] == "c.srt"
    assert yt["publish_at"] == at.isoformat()
    json_path, md_path = write_post(package, video)
    assert json.loads(json_path.read_text(encoding="utf-8")) == data
    md = md_path.read_text(encoding="utf-8")
    assert "## YouTube Shorts" in md and "## TikTok" in md and "## Instagram Reels" in md


@pytest.mark.parametrize(("platform", "field", "texts"), [
    ("tiktok", "description", {"description": "x" * 4001}),
    ("instagram", "description", {"description": "x" * 2201}),
    ("youtube", "title", {"title": "T" * 101}),
])
def test_too_long_text_is_refused(example: Path, channel, platform: str, field: str, texts: dict) -> None:
    channel = _with_template(channel, "erklaervideo", hashtags=(), **texts)
    settings = replace(channel.publish, platforms=(platform,))
    channel = replace(channel, publishing=settings)
    with pytest.raises(PolicyError) as info:
        build_post(_explainer(example), channel, PostFiles(Path("v.mp4")), duration=Fraction(30))
    err = info.value
    assert err.rule == "post-limit" and err.episode == "was-ist-buergergeld"
    assert str(err).startswith("episode 'was-ist-buergergeld'") and f"{platform}.{field}" in str(err)
    assert err.field == f"posts.erklaervideo.{field}"


def test_youtube_counts_bytes_and_instagram_counts_hashtags(example: Path, channel) -> None:
    umlauts = "ä" * 2600  # 2600 characters, 5200 bytes
    yt = replace(_with_template(channel, "erklaervideo", description=umlauts, hashtags=()), publishing=replace(
        channel.publish, platforms=("youtube",), link_page_url=None,
        posts={"erklaervideo": PostTemplate(description=umlauts)}))
    with pytest.raises(PolicyError, match="5200 bytes"):
        build_post(_explainer(example), yt, PostFiles(Path("v.mp4")), duration=Fraction(30))
    tags = tuple(f"t{i}" for i in range(31))
    ig = replace(channel, publishing=replace(channel.publish, platforms=("instagram",),
                                              posts={"erklaervideo": PostTemplate(hashtags=tags)}))
    with pytest.raises(PolicyError, match="31 hashtags"):
        build_post(_explainer(example), ig, PostFiles(Path("v.mp4")), duration=Fraction(30))


def test_video_longer_than_a_platform_takes(example: Path, channel) -> None:
    with pytest.raises(PolicyError, match=r"instagram\.video: 181\.0 s long"):
        build_post(_explainer(example), channel, PostFiles(Path("v.mp4")), duration=Fraction(181))


def test_a_16_9_youtube_video_is_no_short(example: Path, channel) -> None:
    """YouTube takes a 16:9 video as a regular video (15 minutes), a vertical one as a Short (3 minutes)."""
    def youtube(shapes: tuple[str, ...]):
        return replace(channel, publishing=replace(channel.publish, platforms=("youtube",),
                                                   renditions={"youtube": shapes}))

    files = PostFiles(Path("v.mp4"), renditions=(("16:9", Path("v.16x9.mp4")),))
    package = build_post(_explainer(example), youtube(("16:9",)), files, duration=Fraction(300))
    assert [p.shapes for p in package.posts] == [("16:9",)]
    with pytest.raises(PolicyError, match=r"youtube\.video: 300\.0 s long.* 180 s of a 9:16 video"):
        build_post(_explainer(example), youtube(("9:16", "16:9")), files, duration=Fraction(300))
    with pytest.raises(PolicyError, match=r"youtube\.video: 901\.0 s long.* 900 s of a 16:9 video"):
        build_post(_explainer(example), youtube(("16:9",)), files, duration=Fraction(901))


@pytest.mark.parametrize("text", ["Mit freundlicher Unterstützung der Caritas Musterstadt",
                                  "danke an CARITAS-MUSTERSTADT!", "Diakonie Musterstadt hilft"])
def test_partner_named_in_an_explainer_is_refused(example: Path, channel, text: str) -> None:
    channel = _with_template(channel, "erklaervideo", description=text)
    with pytest.raises(PolicyError) as info:
        build_post(_explainer(example), channel, PostFiles(Path("v.mp4")), duration=Fraction(30))
    assert info.value.rule == "partner-in-post-text" and info.value.format == "erklaervideo"
    assert "has no partner slots" in str(info.value)


def test_partner_in_a_hashtag_is_refused_too(example: Path, channel) -> None:
    channel = _with_template(channel, "erklaervideo", hashtags=("caritas",))
    channel = replace(channel, partners={**channel.partners, "caritas": replace(
        channel.partners["caritas-musterstadt"], id="caritas", name="Caritas")})
    with pytest.raises(PolicyError, match="names partner 'Caritas"):
        build_post(_explainer(example), channel, PostFiles(Path("v.mp4")), duration=Fraction(30))


def test_job_board_lists_every_job_and_credits_partners_in_video_order(channel, board_episodes) -> None:
    episode = board_episodes[0]
    package = build_post(episode, channel, PostFiles(Path("s.mp4")), duration=Fraction(59),
                         publish_at=datetime(2026, 11, 26, 16, 0).astimezone())
    _validate(package.to_dict())
    cards = episode.extra["jobboard"].cards
    assert [j.number for j in package.jobs] == [c.number for c in cards] == list(range(1, len(cards) + 1))
    first_seen = list(dict.fromkeys(s.partner for s in episode.segments if s.partner))
    assert package.partners == tuple(channel.partners[p].name for p in first_seen)
    for post in package.posts:
        for card in cards:
            partner = channel.partners[card.job.partner].name
            assert f"Nr. {card.number} \u2013 {card.job.title} \u2013 {partner}" in post.description
        assert f"Mit Stellen von: {', '.join(package.partners)}" in post.description
        # Where the one clickable link is, in the platform's words (YouTube Shorts: the channel profile).
        where = "Link im Kanalprofil" if post.platform == "youtube" else "Link in Bio"
        assert f"Alle Stellen mit Bewerbungslink: wegezumjob.example/jobs ({where})" in post.description
    youtube = next(p for p in package.posts if p.platform == "youtube")
    assert youtube.title == "Stellenbörse KW 48/2026 | Wege zum Job"
    assert "Link in Bio" not in youtube.description


def test_job_board_credits_partners_even_when_the_template_forgets(channel, board_episodes) -> None:
    channel = _with_template(channel, "stellenboerse", description="Neue Jobs!")
    package = build_post(board_episodes[0], channel, PostFiles(Path("s.mp4")), duration=Fraction(59))
    text = package.posts[0].description
    assert text.startswith("Neue Jobs!") and "Nr. 1 \u2013" in text and "Link in Bio" in text
    assert all(name in text for name in package.partners)


def test_unknown_placeholder_or_platform_fails_when_the_channel_loads(example: Path) -> None:
    from vidcoop.channel import load_channel

    path = example / "channel" / "channel.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('title: "{title} | {channel}"', 'title: "{titel}"'), encoding="utf-8")
    with pytest.raises(ManifestError, match=r"unknown placeholder \{titel\}") as info:
        load_channel(path)
    assert info.value.field and info.value.field.startswith("posts.erklaervideo.title")
    path.write_text(text.replace("platforms: [tiktok, instagram, youtube]", "platforms: [tiktok, myspace]"),
                    encoding="utf-8")
    with pytest.raises(ManifestError, match="unknown platform 'myspace'"):
        load_channel(path)
    path.write_text(text.replace("cadence: {erklaervideo: 2", "cadence: {erklaer: 2"), encoding="utf-8")
    with pytest.raises(ManifestError, match="unknown format 'erklaer'") as info:
        load_channel(path)
    assert info.value.field == "cadence.erklaer"


def test_every_limit_names_its_source() -> None:
    for platform in PLATFORMS.values():
        assert platform.sources and all(len(s) > 20 for s in platform.sources)


def test_markdown_keeps_user_text_literal(example: Path, channel) -> None:
    episode = replace(_explainer(example), title="**fett** <script>alert(1)</script> ``` [x](y)")
    package = build_post(episode, channel, PostFiles(Path("v.mp4")), duration=Fraction(30))
    md = package.markdown()
    assert "# \\*\\*fett\\*\\* \\<script\\>" in md
    assert md.count("```") == 2 * len(package.posts)  # the title's fence cannot close a code block


def test_job_board_package_names_the_rows_not_shown(channel, board_episodes, tmp_path: Path) -> None:
    package = build_post(board_episodes[0], channel, PostFiles(tmp_path / "s.mp4"), duration=Fraction(59))
    data = package.to_dict()
    _validate(data)
    assert {(r["row"], r["partner"], r["status"]) for r in data["left_out"]} == {
        (7, "paritaetischer-musterstadt", "expired"), (8, "awo-musterstadt", "invalid"),
        (9, "paritaetischer-musterstadt", "invalid")}
    md = package.markdown()
    assert "## Nicht gezeigte Stellen (3)" in md and "Zeile 8 (awo-musterstadt" in md
    assert "Partner: unbekannte Partner-ID \\(bekannt: " in md and "unknown partner" not in md  # German, like the rest
    assert all("awo-musterstadt" not in post.text for post in package.posts)  # a note for the poster, not posted


def test_every_post_names_the_link_page_as_its_platform_needs(example: Path, channel) -> None:
    package = build_post(_explainer(example), channel, PostFiles(Path("v.mp4")), duration=Fraction(30))
    texts = {p.platform: p.description for p in package.posts}
    assert texts["tiktok"].endswith("Alle Stellen: wegezumjob.example/jobs (Link in Bio)")
    assert texts["instagram"].endswith("Alle Stellen: wegezumjob.example/jobs (Link in Bio)")
    assert texts["youtube"].endswith("Alle Stellen: wegezumjob.example/jobs (Link im Kanalprofil)")
    unset = replace(channel, publishing=replace(channel.publish, link_page_url=None))
    plain = build_post(_explainer(example), unset, PostFiles(Path("v.mp4")), duration=Fraction(30))
    assert all("Alle Stellen" not in p.description for p in plain.posts)  # no page, nothing to point to


def test_a_platform_with_clickable_links_gets_the_address_itself(channel, monkeypatch) -> None:
    from vidcoop.channel import platforms

    monkeypatch.setitem(platforms.PLATFORMS, "web", replace(platforms.PLATFORMS["youtube"], name="web",
                                                            links_clickable=True))
    assert channel.publish.link_text("web") == "https://wegezumjob.example/jobs"
    assert channel.publish.link_text("tiktok") == "wegezumjob.example/jobs (Link in Bio)"


def test_week_and_duration_read_as_people_say_them(example: Path, channel) -> None:
    at = datetime(2026, 12, 10, 17, 0).astimezone()
    channel = _with_template(channel, "erklaervideo", title="Folge {week}")
    package = build_post(_explainer(example), channel, PostFiles(Path("v.mp4")), duration=Fraction(2996, 100),
                         publish_at=at)
    youtube = next(p for p in package.posts if p.platform == "youtube")
    assert youtube.title == "Folge KW 50/2026"
    assert "in 30 Sekunden erklärt" in youtube.description  # 29.96 s is "30 Sekunden", not 29


def test_a_link_page_url_that_is_no_address_fails_when_the_channel_loads(example: Path) -> None:
    from vidcoop.channel import load_channel

    path = example / "channel" / "channel.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("link_page_url: wegezumjob.example/jobs",
                                                             "link_page_url: Link in Bio"), encoding="utf-8")
    with pytest.raises(ManifestError, match="link_page_url"):
        load_channel(path)


def _on(channel, platforms: tuple[str, ...], renditions: dict | None = None):
    return replace(channel, publishing=replace(channel.publish, platforms=platforms,
                                               renditions=renditions or {}))


def test_the_next_platforms_get_their_own_shape_limits_and_links(example: Path, channel, tmp_path: Path) -> None:
    """LinkedIn and Facebook take 1:1/4:5, PeerTube 16:9, Mastodon any: each post points at its own file and,
    where addresses are links, names the link page by its address."""
    video = tmp_path / "folge.mp4"
    made = {shape: tmp_path / f"folge.{shape.replace(':', 'x')}.mp4" for shape in ("4:5", "1:1", "16:9")}
    for path in (video, *made.values()):
        path.write_bytes(b"\0" * 1000)
    files = PostFiles(video, renditions=tuple(made.items()))
    platforms = ("linkedin", "facebook", "peertube", "mastodon")
    posting = _on(channel, platforms, {"linkedin": ("1:1",), "facebook": ("4:5",), "peertube": ("16:9",),
                                       "mastodon": ("4:5",)})
    package = build_post(_explainer(example), posting, files, duration=Fraction(42))
    data = package.to_dict()
    _validate(data)
    assert {p: data["platforms"][p]["video"] for p in platforms} == {
        "linkedin": "folge.1x1.mp4", "facebook": "folge.4x5.mp4", "peertube": "folge.16x9.mp4",
        "mastodon": "folge.4x5.mp4"}
    assert data["platforms"]["peertube"]["title"] is not None and data["platforms"]["linkedin"]["title"] is None
    assert data["notes"] == []
    for name in platforms:
        assert posting.publish.link_text(name) == "https://wegezumjob.example/jobs"  # clickable there
    # without renditions: each platform's usual shape, as the channel loads it
    assert [PLATFORMS[p].shapes[0] for p in platforms] == ["1:1", "4:5", "16:9", "4:5"]


@pytest.mark.parametrize(("platform", "field", "texts", "message"), [
    ("mastodon", "description", {"description": "x" * 480}, "characters with hashtags, Mastodon allows 500"),
    ("peertube", "title", {"title": "T" * 121}, "121 characters, PeerTube allows 120"),
    ("peertube", "hashtags", {"hashtags": ("a", "b", "c", "d", "e", "f")}, "6 hashtags, PeerTube allows 5"),
    ("linkedin", "description", {"description": "x" * 3001}, "LinkedIn allows 3000"),
])
def test_the_next_platforms_limits_are_kept(example: Path, channel, platform: str, field: str, texts: dict,
                                            message: str) -> None:
    posting = _on(_with_template(channel, "erklaervideo", **texts), (platform,))
    with pytest.raises(PolicyError, match=message) as info:
        build_post(_explainer(example), posting, PostFiles(Path("v.mp4")), duration=Fraction(30))
    assert info.value.rule == "post-limit" and f"{platform}.{field}" in str(info.value)


def test_a_video_file_bigger_than_mastodon_takes_is_said_in_the_package(example: Path, channel,
                                                                        tmp_path: Path) -> None:
    """Mastodon limits the file, not the length, and each server its own: the package says so, refuses nothing."""
    video = tmp_path / "folge.mp4"
    with video.open("wb") as f:  # sparse: 100 MiB on paper, nothing on disk
        f.truncate(100 * 2**20)
    assert PLATFORMS["mastodon"].video_max is None
    package = build_post(_explainer(example), _on(channel, ("tiktok", "mastodon"), {"mastodon": ("9:16",)}),
                         PostFiles(video), duration=Fraction(175))
    (note,) = package.notes()
    assert note.startswith("Mastodon: `folge.mp4` (9:16) hat 100 MiB, Mastodon nimmt auf mastodon.social "
                           "höchstens 99 MiB")
    _validate(package.to_dict())
    _json, md = write_post(package, video)
    assert "## Hinweise" in md.read_text(encoding="utf-8")
