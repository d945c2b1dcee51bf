"""Every text a viewer reads of an episode, for the partner rule's text check (:mod:`vidcoop.channel.policy`).

On screen: the title (the intro card's subtitle), lower thirds, the manifest's overlay and segment
labels, the kit's intro, outro and end-card texts. In the posts: the format's templates per
platform, filled with what is known before rendering, and the hashtags. Each comes as
``(field, what, text)``: the manifest or channel field that holds it, and what it is.
"""

from __future__ import annotations

from typing import Any

from vidcoop.channel.config import Channel, Format
from vidcoop.channel.publishing import fill
from vidcoop.timeline.model import Episode


def screen_texts(episode: Episode, fmt: Format, kit: Any = None) -> list[tuple[str, str, str]]:
    """``(field, what, text)`` for every text a viewer reads on screen in ``episode``.

    The title (it is the intro card's subtitle), each lower third's name and role (unless the
    format allows partner names there), the manifest's overlay and segment labels, and, when
    ``kit`` is given, the kit's intro, outro and end-card texts the format shows.
    """
    texts = [("title", "title", episode.title)]
    if "lower_thirds" not in fmt.allow_partner_names:
        for i, lt in enumerate(episode.lower_thirds):
            texts.append((f"lower_thirds.{i}.name", "lower third", lt.name))
            if lt.role:
                texts.append((f"lower_thirds.{i}.role", "lower third", lt.role))
    for j, ov in enumerate(episode.overlays):
        if ov.label and ov.kind != "lower-third":
            where = ov.field or f"overlays.{j}"
            texts.append((f"{where}.label", f"{ov.kind} overlay label", ov.label))
    for seg in episode.segments:
        if seg.label and seg.field is not None:  # the manifest's own segments (kit parts have no field)
            texts.append((f"{seg.field}.label", f"{seg.kind} segment label", seg.label))
    if kit is not None:
        parts = [("intro", kit.intro, fmt.structure.intro), ("outro", kit.outro, fmt.structure.outro)]
        for part, spec, shown in parts:
            if shown and spec.video is None:
                texts += [(f"brand kit {part}.{key}", f"{part} card", getattr(spec, key) or "")
                          for key in ("title", "subtitle")]
        if fmt.structure.end_card:
            texts += [(f"brand kit end_card.{key}", "end card", getattr(kit.end_card, key) or "")
                      for key in ("cta", "subline")]
    return [t for t in texts if t[2]]


def post_texts(episode: Episode, channel: Channel, fmt: Format) -> list[tuple[str, str, str]]:
    """``(field, what, text)`` for the format's post texts on each platform, as far as they are known
    before rendering: the templates filled with the title, the channel and the format; the hashtags."""
    settings = channel.publish
    key = episode.format if episode.format in settings.posts else "default"
    template = settings.template(episode.format)
    values = {"title": episode.title or (episode.name or ""), "channel": channel.name,
              "format": fmt.title if fmt.name else ""}
    texts = []
    for platform in settings.platforms:
        for part in ("title", "description"):
            texts.append((f"posts.{key}.{part}", f"{platform} post {part}",
                           fill(template.text(platform, part), values)))
    texts += [(f"posts.{key}.hashtags", "post hashtag", f"#{tag}") for tag in template.hashtags]
    return texts
