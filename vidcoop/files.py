"""Atomic writes, content hashes and cache folders.

Every file vidcoop produces goes through :func:`atomic_path` or one of the
``atomic_write_*`` helpers: the bytes land in a hidden temp file beside the
target and are renamed over it only when complete, so a crash or a kill never
leaves a half file under the final name.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_CHUNK = 1 << 20


@contextlib.contextmanager
def atomic_path(target: str | Path, *, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temp path beside ``target``; rename it over ``target`` on success.

    The temp file keeps ``target``'s suffix (or ``suffix``) so tools that pick a
    format by extension still work. On any exception, including
    KeyboardInterrupt, the temp file is removed and ``target`` is untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.stem[:40]}.", suffix=f".part{suffix if suffix is not None else target.suffix}",
        dir=target.parent,
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        # mkstemp makes 0600 files; give the result the mode a plain open() would have.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


@functools.cache
def _umask() -> int:
    # Reading the umask means setting it; do it once, not while worker threads write files.
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(target: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically and return the target path."""
    target = Path(target)
    with atomic_path(target) as tmp, open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return target


def atomic_write_text(target: str | Path, text: str) -> Path:
    """Write UTF-8 ``text`` to ``target`` atomically."""
    return atomic_write_bytes(target, text.encode("utf-8"))


def atomic_write_json(target: str | Path, data: Any) -> Path:
    """Write ``data`` as pretty, UTF-8 JSON atomically."""
    return atomic_write_text(target, json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def stable_hash(*parts: Any) -> str:
    """Hex SHA-256 of JSON-serialisable parts, independent of dict order."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cache_dir(*sub: str) -> Path:
    """A folder under vidcoop's user cache (``VIDCOOP_CACHE_DIR`` overrides it)."""
    base = os.environ.get("VIDCOOP_CACHE_DIR")
    if base:
        root = Path(base)
    else:
        import platformdirs  # lazy: nothing at import time

        root = Path(platformdirs.user_cache_dir("vidcoop"))
    path = root.joinpath(*sub)
    path.mkdir(parents=True, exist_ok=True)
    return path
