"""Where an output may go: never onto an input, a folder or a device, never out of the project.

Every command that writes files (render, cover, batch, jobboard, captions,
brand preview) lists its outputs and its inputs and calls
:func:`check_outputs` before any work starts, so a wrong ``-o`` costs one
clear line, not the source footage. Inputs are compared by file identity
(device and inode, symlinks followed), so a symlink or a hard link to a
source is caught too. :func:`vidcoop.files.atomic_path` repeats the cheap
checks at the moment of writing, for callers that skip this module.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vidcoop.errors import OutputError

SIDECAR_SUFFIXES = (".srt", ".vtt")


@dataclass(frozen=True)
class Input:
    """A file some output must never replace, and what it is (for the message)."""

    path: Path
    what: str


def check_outputs(outputs: Iterable[tuple[str, Path]], inputs: Iterable[Input]) -> None:
    """Refuse the first output that cannot be written where it is asked for.

    Args:
        outputs: ``(field, path)`` pairs; the field says where the path came from
            (``-o``, ``output``, ``sidecar``, ``report``, ``cover``).
        inputs: Every file the outputs are made from.

    Raises:
        OutputError: an output is an input, a folder or a special file, has a file
            as its parent, lies on a read-only or unwritable folder, or two outputs
            are the same file. Names the output and its field.
    """
    known = _identities(inputs)
    claimed: dict[str, str] = {}
    for field, raw in outputs:
        path = Path(raw)
        check_target(path, field)
        ident = _identity(path)
        if ident is not None and ident in known:
            raise OutputError(
                f"is an input ({known[ident]}); vidcoop never overwrites an input",
                path=path,
                field=field,
                hint="choose another output path",
            )
        key = os.path.realpath(path)
        if key in claimed:
            raise OutputError(
                f"is also where the {claimed[key]} goes",
                path=path,
                field=field,
                hint="give the outputs different names",
            )
        claimed[key] = field


def check_target(path: Path, field: str) -> None:
    """Refuse a path that cannot become a regular file written by vidcoop.

    Raises:
        OutputError: the path is a folder or a special file (a device such as
            ``/dev/null``, a pipe), a parent is a file, or its folder is read-only.
    """
    if path.is_dir():
        raise OutputError("is a folder; give a file name", path=path, field=field)
    if path.exists() and not path.is_file():
        raise OutputError(
            "is not a regular file (a device, pipe or socket); vidcoop replaces only regular files",
            path=path,
            field=field,
        )
    check_folder(path.parent, field, output=path)


def check_folder(folder: Path, field: str, *, output: Path | None = None) -> None:
    """Refuse a folder that is a file, lies below a file, or cannot be written.

    Raises:
        OutputError: naming ``output`` (or the folder) and ``field``.
    """
    name = output if output is not None else folder
    existing = folder
    while not existing.exists() and not existing.is_symlink() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        what = "is a file, not a folder" if existing == folder and output is None else f"lies below the file {existing}"
        raise OutputError(what, path=name, field=field)
    if not os.access(existing, os.W_OK | os.X_OK):
        reason = "the file system is read-only" if _read_only(existing) else "no permission to write there"
        raise OutputError(f"cannot write in {existing}: {reason}", path=name, field=field)


def inside_project(path: Path, manifest: Path, field: str = "output") -> Path:
    """Return ``path`` if it stays inside the manifest's folder tree.

    A manifest may come from someone else (a partner, a template); its
    ``output:`` must not point at ``/etc`` or ``../../``. The check is on the
    written path (``..`` collapsed), so a symlink the user made inside the
    project may still lead elsewhere.

    Raises:
        OutputError: naming the manifest and the field, suggesting ``-o``.
    """
    root = os.path.abspath(manifest.parent)
    target = os.path.abspath(path)
    if os.path.commonpath([root, target]) != root:
        raise OutputError(
            f"{path} leaves the manifest's folder {root}",
            path=manifest,
            field=field,
            hint="pass -o on the command line to write elsewhere",
        )
    return path


def sidecar_plan(output: Path, episode: Any) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """The caption sidecars to write beside ``output``, and the ones kept as they are.

    ``OUT.srt`` / ``OUT.vtt``, except one that is the episode's own caption file
    (``ep.srt`` beside ``ep.yaml`` and the default ``ep.mp4``): that file already
    holds these captions, written by a person, so it is kept untouched and
    returned in the second tuple instead of being rewritten.
    """
    own = getattr(episode.captions, "path", None)
    write: list[Path] = []
    kept: list[Path] = []
    for suffix in SIDECAR_SUFFIXES:
        target = output.with_suffix(suffix)
        (kept if own is not None and same_file(target, Path(own)) else write).append(target)
    return tuple(write), tuple(kept)


def episode_inputs(episode: Any, *, channel: Any = None, kit: Any = None) -> list[Input]:
    """Every file an episode is made from: manifest, sources, images, captions, music, channel, kit."""
    items: list[Input] = []
    if episode.manifest is not None:
        items.append(Input(Path(episode.manifest), "the episode manifest"))
    for i, seg in enumerate(episode.segments):
        if isinstance(seg.source, (str, Path)):
            items.append(Input(Path(seg.source), f"{seg.field or f'segments.{i}'} source"))
    for i, ov in enumerate(episode.overlays):
        items.append(Input(Path(ov.image), f"{ov.field or f'overlays.{i}'} image"))
    if episode.captions.path is not None:
        items.append(Input(Path(episode.captions.path), "captions file"))
    music = _music_file(episode)
    if music is not None:
        items.append(Input(music, "audio.music"))
    if episode.channel is not None:
        items.append(Input(Path(episode.channel), "the channel file"))
    items += channel_inputs(channel) + kit_inputs(kit)
    return items


def channel_inputs(channel: Any) -> list[Input]:
    """A loaded channel's files: channel.yaml, its kit.yaml, glossary, partner logos and bumpers."""
    return config_inputs(channel, "a channel file")


def config_inputs(config: Any, what: str) -> list[Input]:
    """Every file path inside a loaded config object (a channel, a job board's channel facts)."""
    return [] if config is None else [Input(p, what) for p in _paths_in(config)]


def kit_inputs(kit: Any) -> list[Input]:
    """A loaded brand kit's files: kit.yaml, fonts, logo, intro and outro videos."""
    if kit is None:
        return []
    return [Input(Path(kit.path), "a brand kit file")] + [Input(p, "a brand kit file") for p in _paths_in(kit)]


def same_file(a: Path, b: Path) -> bool:
    """True when ``a`` and ``b`` are the same file (symlinks followed), or the same path if missing."""
    ia, ib = _identity(a), _identity(b)
    if ia is not None and ib is not None:
        return ia == ib
    return os.path.realpath(a) == os.path.realpath(b)


def _paths_in(value: Any, depth: int = 0) -> list[Path]:
    """Every Path inside a loaded config (frozen dataclasses, dicts, tuples), depth-limited."""
    import dataclasses

    if isinstance(value, Path):
        return [value]
    if depth > 6:
        return []
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        children: Any = [getattr(value, f.name) for f in dataclasses.fields(value)]
    elif isinstance(value, dict):
        children = list(value.values())
    elif isinstance(value, (list, tuple)):
        children = value
    else:
        return []
    return [p for child in children for p in _paths_in(child, depth + 1)]


def _music_file(episode: Any) -> Path | None:
    music = getattr(getattr(episode, "audio", None), "music", None)  # paths are resolved when loading
    return None if music is None else Path(music.file)


def _identities(inputs: Iterable[Input]) -> dict[tuple[int, int], str]:
    known: dict[tuple[int, int], str] = {}
    for item in inputs:
        ident = _identity(item.path)
        if ident is not None:
            known.setdefault(ident, f"{item.what}: {item.path}")
    return known


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def _read_only(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # pragma: no cover - no statvfs (Windows)
        return False
