"""Incremental keys: when may a batch skip an output?

An output is up to date when its key matches the one recorded after its
last successful render. The key covers everything that shapes the file:

* the episode's normalised content (every field, paths made absolute),
* the output profile,
* the bytes of every file the episode refers to (sources, overlays,
  caption files, music, channel config) -- found by walking the episode,
  including file names written as plain text in its extra settings,
* the brand kit's files, and with a channel, every file of the channel's
  folder (glossary, partner bumpers and logos) and of its kit,
* the transcripts: the caption module's transcript cache key is made of the
  decoded source audio, backend, model, language and glossary -- all covered
  here (source bytes, the episode's caption settings, the channel folder
  with its glossary), and an edited caption file (``mode: file``) is a
  referenced file,
* the vidcoop version.

Hashing large sources every run would make an unchanged week slow, so
hashes are cached by (size, mtime) in the batch state.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable, Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop.files import file_sha256, stable_hash
from vidcoop.shapes import DEFAULT_SHAPE
from vidcoop.timeline.model import SHAPE_STILLS, Episode, episode_for_shape

KEY_SCHEMA = 1


class FileHasher:
    """SHA-256 of files, cached by (size, mtime_ns) across runs.

    Args:
        cache: ``{absolute path: [size, mtime_ns, sha256]}``, usually from the batch state.
    """

    def __init__(self, cache: Mapping[str, list[Any]] | None = None, *, exclude: Iterable[Path] = ()) -> None:
        self.cache: dict[str, list[Any]] = {k: list(v) for k, v in (cache or {}).items()}
        self._used: set[str] = set()
        # Folders never hashed as inputs (the batch's own output folder).
        self.exclude = tuple(p.absolute() for p in exclude)

    def digest(self, path: Path) -> str:
        """The file's hash, or a marker for a missing file (so the key still changes)."""
        p = path.absolute()
        try:
            st = p.stat()
        except OSError:
            return "missing"
        if not p.is_file():
            return "not-a-file"
        key = str(p)
        self._used.add(key)
        hit = self.cache.get(key)
        if hit and hit[0] == st.st_size and hit[1] == st.st_mtime_ns:
            return str(hit[2])
        sha = file_sha256(p)
        self.cache[key] = [st.st_size, st.st_mtime_ns, sha]
        return sha

    def used(self) -> dict[str, list[Any]]:
        """The cache entries of files hashed in this run (what is worth keeping for the next)."""
        return {k: v for k, v in self.cache.items() if k in self._used}

    def tree(self, folder: Path) -> dict[str, str]:
        """Hashes of every file under ``folder`` (relative names), for brand kits."""
        if not folder.is_dir():
            return {str(folder): self.digest(folder)}
        return {
            str(f.relative_to(folder)): self.digest(f)
            for f in sorted(folder.rglob("*"))
            if f.is_file()
            and not any(part.startswith(".") for part in f.relative_to(folder).parts)
            and not any(f.absolute().is_relative_to(ex) for ex in self.exclude)
        }


def normalise(value: Any) -> Any:
    """Plain JSON-able data for any episode value: stable across runs and machines' dict order.

    Dataclass fields marked :data:`vidcoop.files.RUN_FACT` (what a run did, not what it shows) are left out.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: normalise(getattr(value, f.name)) for f in dataclasses.fields(value)
               if not f.metadata.get("run_fact")}
        out["__type__"] = type(value).__name__
        return out
    if isinstance(value, Path):
        return {"__path__": str(value.absolute())}
    if isinstance(value, Fraction):
        return {"__fraction__": f"{value.numerator}/{value.denominator}"}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): normalise(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [normalise(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    # A user's moviepy clip or another object: its type and repr are the best we can do.
    return {"__object__": f"{type(value).__module__}.{type(value).__qualname__}", "repr": repr(value)[:200]}


def referenced_files(data: Any) -> list[Path]:
    """Every path inside normalised episode data, in a stable order."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if set(node) == {"__path__"}:
                found.add(node["__path__"])
                return
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(data)
    return [Path(p) for p in sorted(found)]


def output_key(
    episode: Episode,
    profile: str,
    *,
    hasher: FileHasher,
    kit_dirs: Iterable[Path] = (),
    version: str | None = None,
    settings: Mapping[str, Any] | None = None,
    unseen: Iterable[Path] = (),
) -> str:
    """The skip key of one output (episode x profile, plus output-specific ``settings``); files in ``unseen``
    are left out of the ``kit_dirs`` hashes (another picture shape's stills in the channel's folder)."""
    if version is None:
        from vidcoop._version import __version__ as version
    # Where the manifest lives does not matter (paths are absolute); where the output goes is not an input.
    extra = {k: v for k, v in episode.extra.items() if k != "output"}
    content = normalise(dataclasses.replace(episode, manifest=None, extra=extra))
    files: dict[str, str] = {}
    for path in [*referenced_files(content), *_named_files(extra, episode.manifest)]:
        if path.is_dir():
            files.update({f"{path}/{k}": v for k, v in hasher.tree(path).items()})
        else:
            files[str(path)] = hasher.digest(path)
    skip = {p.absolute() for p in unseen}
    kits = {str(d.absolute()): {k: v for k, v in hasher.tree(d).items() if (d / k).absolute() not in skip}
            for d in kit_dirs}
    return stable_hash(
        {
            "schema": KEY_SCHEMA,
            "vidcoop": version,
            "profile": profile,
            "episode": content,
            "files": files,
            "kits": kits,
            "settings": normalise(settings or {}),
        }
    )


def rendition_key(
    episode: Episode,
    profile: str,
    shape: str,
    *,
    hasher: FileHasher,
    kit_dirs: Iterable[Path] = (),
    settings: Mapping[str, Any] | None = None,
) -> str:
    """The skip key of one picture shape's output: the episode as that shape shows it (its own reframe,
    no other shape's), so changing only the 1:1 layout re-renders only the 1:1 output. For 9:16 without
    per-shape settings it is :func:`output_key` as before renditions."""
    more = dict(settings or {})
    if shape != DEFAULT_SHAPE:
        more["shape"] = shape
    # which other shapes the episode asks for, and their own stills, are no part of this shape's output (its own
    # stills are its segments' sources now)
    extra = {k: v for k, v in episode.extra.items() if k not in ("renditions", SHAPE_STILLS)}
    shaped = dataclasses.replace(episode_for_shape(episode, shape), extra=extra)
    # a still of the shapes (e.g. a partner's bumper.images in the channel's folder) counts where it is shown: as
    # a source of ``shaped``, hashed as such, not as a file of the channel's folder in every shape's key
    stills = episode.extra.get(SHAPE_STILLS)
    unseen = [Path(p) for k, v in stills.items() for p in (k, *v.values())] if isinstance(stills, dict) else []
    return output_key(shaped, profile, hasher=hasher, kit_dirs=kit_dirs, settings=more or None, unseen=unseen)


def _named_files(data: Any, manifest: Path | None) -> list[Path]:
    """Files named by plain strings in ``Episode.extra`` (data later stages own, e.g. the job board's).

    Later stages read such settings as written in the manifest, relative to it.
    """
    found: list[Path] = []
    if isinstance(data, Mapping):
        for value in data.values():
            found += _named_files(value, manifest)
    elif isinstance(data, (list, tuple)):
        for value in data:
            found += _named_files(value, manifest)
    elif isinstance(data, str) and 0 < len(data) < 1024 and "\n" not in data:
        p = Path(data).expanduser()
        if not p.is_absolute() and manifest is not None:
            p = manifest.parent / p
        try:
            if p.is_file():
                found.append(p.absolute())
        except OSError:
            pass
    return found
