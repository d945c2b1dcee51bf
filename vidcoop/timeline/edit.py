"""Round-trip edits of an episode manifest: what the studio and the rough cut write into it.

:func:`point_manifest_at` sets ``captions:``, :func:`set_segments` replaces ``segments:``; both
with ruamel's round trip, so comments, key order, quotes, indentation, unused anchors, CRLF line
ends and a BOM stay as they were. Hold :func:`manifest_lock` around reading, checking and writing
one manifest (studios in several processes and the CLI share it). Lives below the studio and the
rough cut, which both edit manifests.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.util import load_yaml_guess_indent

from vidcoop.datafiles import load_yaml
from vidcoop.errors import ManifestError
from vidcoop.files import atomic_write_bytes, file_lock
from vidcoop.timeline.manifest import EpisodeModel, check_version

EDITED_SUFFIX = ".captions"


def edited_path(manifest: Path, style: str) -> Path:
    """The corrected file beside the manifest: JSON for ``social`` (it keeps word times), else SRT."""
    suffix = ".json" if style == "social" else ".srt"
    return manifest.with_name(f"{manifest.stem}{EDITED_SUFFIX}{suffix}")


_HELD = threading.local()  # the manifests this thread holds the lock of


@contextlib.contextmanager
def manifest_lock(manifest: Path) -> Iterator[None]:
    """Hold the lock every studio (in any process) takes to read, check and write one manifest.

    Re-entrant within a thread: the studio holds it around its version check and the rough cut's
    save (which takes it too) writes inside it.
    """
    real = manifest.resolve()
    held: set[Path] = _HELD.__dict__.setdefault("paths", set())
    if real in held:
        yield
        return
    with file_lock(real.with_name(f".{real.name}.lock")):
        held.add(real)
        try:
            yield
        finally:
            held.discard(real)


def point_manifest_at(manifest: Path, caption_file: Path | None) -> None:
    """Set ``captions: {mode: file, file: NAME}`` (or ``mode: off`` for None), keeping the file's form.

    Comments, key order, quotes, indentation, unused anchors, CRLF line ends and a BOM stay
    as they were; a manifest that already says so is not rewritten at all. A symlink is
    written through (its target keeps its mode).
    """

    def change(data: Any, real: Path) -> bool:
        wanted: dict[str, str] = ({"mode": "off"} if caption_file is None
                                  else {"mode": "file", "file": str(caption_file)})
        if caption_file is not None and caption_file.parent.resolve() == real.parent == manifest.parent.resolve():
            wanted["file"] = caption_file.name  # beside the manifest, read through a link or not
        dropped = ("file", "model", "backend") if caption_file is None else ("model", "backend")
        current = data.get("captions")
        if isinstance(current, dict):
            if all(current.get(k) == v for k, v in wanted.items()) and not any(k in current for k in dropped):
                return False  # already so: the manifest stays byte for byte
            current.update(wanted)
            for key in dropped:  # transcription settings no longer apply to a file
                current.pop(key, None)
        else:
            node = CommentedMap(wanted)
            node.fa.set_flow_style()
            data["captions"] = node
        return True

    _edit(manifest, change)


@dataclass(frozen=True)
class SegmentEntry:
    """One ``segments:`` item as the rough cut writes it: a source range, and its edge fade if any."""

    source: Path
    start: Fraction
    end: Fraction
    fade: Fraction = Fraction(0)


#: What a new manifest starts as, before :func:`set_segments` fills it.
NEW_MANIFEST = "version: 1\nsegments: []\n"


def set_segments(manifest: Path, segments: Sequence[SegmentEntry]) -> None:
    """Replace the manifest's ``segments:`` with ``segments``, keeping everything else as it was.

    A missing manifest is created (``version: 1`` and the segments). Sources below the manifest's
    folder or its parent are written relative to it (``../footage/NAME``). A new segment of a source
    the old segments used takes over the first such segment's other settings (``reframe``, ``volume``,
    ``anonymize`` ...).
    Times are seconds to the microsecond (the plan rounds each cut to the nearest frame, so a
    frame-exact time survives). The rest of the file (lower thirds, captions style, comments) is
    untouched; the old segments' ranges are replaced whole.

    Raises:
        ManifestError: ``segments`` is empty, or the manifest cannot be read for editing.
    """
    if not segments:
        raise ManifestError("a rough cut needs at least one kept range", path=manifest, field="segments")

    def change(data: Any, real: Path) -> bool:
        kept = _settings_by_source(data.get("segments"), real.parent)
        items = CommentedSeq()
        for seg in segments:
            item = CommentedMap()
            item["source"] = _relative(seg.source, real.parent)
            item["in"] = _seconds(seg.start)
            item["out"] = _seconds(seg.end)
            if seg.fade:
                item["fade"] = _seconds(seg.fade)
            for key, value in kept.get(os.path.abspath(seg.source), {}).items():
                item[key] = value
            items.append(item)
        data["segments"] = items
        return True

    _edit(manifest, change, missing=NEW_MANIFEST)


#: What a segment's range is; everything else about a source's old segment (reframe, volume, label) stays.
_RANGE_KEYS = ("source", "image", "in", "out", "duration", "fade")


def _settings_by_source(old: Any, folder: Path) -> dict[str, dict[str, Any]]:
    """The first old segment's other settings (reframe, volume, anonymize ...) for each source file."""
    found: dict[str, dict[str, Any]] = {}
    for item in old if isinstance(old, list) else []:
        if isinstance(item, dict) and isinstance(item.get("source"), str):
            where = os.path.abspath(folder / Path(item["source"]).expanduser())
            found.setdefault(where, {k: v for k, v in item.items() if k not in _RANGE_KEYS})
    return found


def _relative(source: Path, folder: Path) -> str:
    """The source as the manifest names it: relative below the manifest's folder or its parent (a week's
    ``episodes/`` beside its ``footage/`` gives ``../footage/NAME``), so the project can move; else absolute."""
    path = Path(os.path.abspath(source))
    for base, prefix in ((folder, ""), (folder.parent, "../")):
        if base != base.parent and path.is_relative_to(base):
            return prefix + path.relative_to(base).as_posix()
    return str(path)


def _seconds(t: Fraction) -> float:
    return round(float(t), 6)


def _edit(manifest: Path, change: Any, *, missing: str | None = None) -> None:
    """Read the manifest for a round trip, let ``change`` edit the data, and write it back if it did."""
    real = manifest.resolve()
    if missing is not None and not real.exists():
        raw = missing.encode("utf-8")
    else:
        # the bounded loader first: no alias bomb reaches ruamel
        _check_is_manifest(load_yaml(real, what="manifest file"), real)
        raw = real.read_bytes()
    bom = raw.startswith(codecs.BOM_UTF8)
    text = raw[len(codecs.BOM_UTF8) if bom else 0 :].decode("utf-8")  # load_yaml read it as UTF-8 already
    crlf = "\r\n" in text
    yaml, data = _round_trip(text.replace("\r\n", "\n"), real)
    if not change(data, real):
        return
    out = io.StringIO()
    yaml.dump(data, out)
    result = out.getvalue().replace("\n", "\r\n") if crlf else out.getvalue()
    atomic_write_bytes(real, (codecs.BOM_UTF8 if bom else b"") + result.encode("utf-8"))


def _check_is_manifest(data: Any, path: Path) -> None:
    """Refuse to edit a file that is no episode manifest (a channel file named by mistake, say): its
    ``version``, a ``segments:`` key and no key an episode manifest does not have. Its segments may be
    empty or wrong: that is what an edit is for.

    Raises:
        ManifestError: naming the file and the first key that does not belong.
    """
    check_version(data, path, what="manifest", main_key="segments")
    unknown = sorted(str(k) for k in data if k not in EpisodeModel.model_fields)
    if unknown or "segments" not in data:
        field = unknown[0] if unknown else "segments"
        found = f"it has {field!r}" if unknown else "it has no 'segments:'"
        raise ManifestError(f"not an episode manifest ({found}); nothing was written", path=path, field=field)


def _round_trip(text: str, path: Path) -> tuple[YAML, Any]:
    """The manifest as ruamel's round-trip data, and a dumper set to its indentation."""
    yaml = YAML()  # round-trip mode
    yaml.preserve_quotes = True
    yaml.width = 4096
    try:
        _, indent, offset = load_yaml_guess_indent(text)
        data = yaml.load(text)
    except Exception as exc:  # ruamel raises many types for bad YAML
        raise ManifestError(f"cannot read the manifest for editing: {exc}", path=path) from None
    if not isinstance(data, dict):
        raise ManifestError("the manifest is not a mapping", path=path)
    if indent is not None:  # ruamel guesses the sequences' indent; the mappings' is read here
        yaml.indent(mapping=_mapping_indent(text), sequence=indent, offset=offset or 0)
    _keep_anchors(data)
    return yaml, data


def _mapping_indent(text: str) -> int:
    """How far a nested mapping is indented under its key (the first one tells; 2 without one)."""
    previous: tuple[int, bool] | None = None  # (column, ends with a key that opens a block)
    for line in text.splitlines():
        content = line.lstrip(" ")
        if not content or content.startswith("#"):
            continue
        column = len(line) - len(content)
        if previous is not None and previous[1] and column > previous[0] and not content.startswith("-"):
            return column - previous[0]
        key = content[2:] if content.startswith("- ") else content
        previous = (column + len(content) - len(key), key.split("#", 1)[0].rstrip().endswith(":"))
    return 2


def _keep_anchors(node: Any) -> None:
    """Anchors nothing refers to yet are kept too (ruamel drops them unless told)."""
    anchor = getattr(node, "anchor", None)
    if anchor is not None and getattr(anchor, "value", None):
        node.yaml_set_anchor(anchor.value, always_dump=True)
    if isinstance(node, dict):
        for value in node.values():
            _keep_anchors(value)
    elif isinstance(node, list):
        for value in node:
            _keep_anchors(value)
