"""``vidcoop init``: a new channel folder, written from the shipped example channel.

A team starts from a folder that already renders (channel config, one
explainer, the job list, the week, a README for the editors), not from a copy
of the source tree. Nothing that exists is overwritten.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from vidcoop.errors import VidcoopError
from vidcoop.files import atomic_path, atomic_write_text
from vidcoop.resources import example_dir

# Files and folders of the shipped example that make a channel skeleton (relative to examples/).
SKELETON_FILES = (
    "README.md",
    "week.yaml",
    "jobs.csv",
    "channel/channel.yaml",
    "channel/glossary.yaml",
    "episodes/was-ist-buergergeld.yaml",
)
SKELETON_FOLDERS = ("channel/partners", "footage")

_CHANNEL_NAME = "name: Wege zum Job"
_ADAPTED = ("channel/channel.yaml", "week.yaml")  # everything else is copied byte for byte
# The example's week is run from the source tree; the new folder's from inside it.
_WEEK_COMMAND = ("vidcoop batch examples/week.yaml", "vidcoop batch week.yaml   (in this folder)")


def init_channel(folder: str | Path, *, name: str | None = None) -> list[Path]:
    """Write a working channel skeleton into ``folder`` (created if needed).

    Args:
        folder: The new channel's folder; it may exist, but none of the skeleton's files may.
        name: The channel's name in ``channel.yaml`` (default: the example's).

    Returns:
        The files written, in order.

    Raises:
        VidcoopError: a file of the skeleton exists already, or the example channel is not shipped.
    """
    source = example_dir()
    target = Path(folder).absolute()
    plan = [(source / rel, target / rel) for rel in SKELETON_FILES]
    for rel in SKELETON_FOLDERS:
        plan += [(f, target / rel / f.name) for f in sorted((source / rel).iterdir()) if f.is_file()]
    missing = [src for src, _ in plan if not src.is_file()]
    if missing:
        raise VidcoopError("the shipped example channel is incomplete", path=missing[0], hint="reinstall vidcoop")
    existing = [dst for _, dst in plan if dst.exists()]
    if existing:
        raise VidcoopError(
            "a channel file exists already; nothing was written", path=existing[0], hint="choose an empty folder"
        )
    written: list[Path] = []
    for src, dst in plan:
        rel = src.relative_to(source).as_posix()
        if rel in _ADAPTED:
            atomic_write_text(dst, _adapt(rel, src.read_text(encoding="utf-8"), name))
        else:
            with atomic_path(dst) as tmp:
                shutil.copyfile(src, tmp)
        written.append(dst)
    return written


def _adapt(rel: str, text: str, name: str | None) -> str:
    """The example's text, made to fit a channel of its own."""
    if rel == "channel/channel.yaml" and name is not None:
        # JSON's double-quoted string is a valid YAML scalar: the name stays literal.
        text = _replace_once(text, _CHANNEL_NAME, f"name: {json.dumps(name, ensure_ascii=False)}", rel)
    if rel == "week.yaml":
        text = _replace_once(text, *_WEEK_COMMAND, rel)
    return text


def _replace_once(text: str, old: str, new: str, rel: str) -> str:
    if old not in text:
        raise VidcoopError(
            f"the shipped example changed: {old!r} not found",
            field=rel,
            hint="vidcoop's skeleton and its example disagree; please report this",
        )
    return text.replace(old, new, 1)
