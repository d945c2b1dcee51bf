"""Atomic writes, content hashes and cache folders.

Every file vidcoop produces goes through :func:`atomic_path` or one of the
``atomic_write_*`` helpers: the bytes land in a hidden temp file beside the
target and are renamed over it only when complete, so a crash or a kill never
leaves a half file under the final name.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import io
import json
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from vidcoop.errors import OutputError

_CHUNK = 1 << 20


# A write that fails for one of these reasons is about the disk, not about the data.
_DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS})


@contextlib.contextmanager
def atomic_path(target: str | Path, *, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temp path beside ``target``; rename it over ``target`` on success.

    The temp file keeps ``target``'s suffix (or ``suffix``) so tools that pick a
    format by extension still work. It is locked while it is written, so a
    later run can tell a killed run's leftover (removed here) from a live one.
    On success the file and then its folder are fsynced, so a full disk or a
    power cut shows up here and not as a short file later. On any exception,
    including KeyboardInterrupt, the temp file is removed and ``target`` is
    untouched.

    Raises:
        OutputError: ``target`` is a folder or a device, its parent is a file,
            or the disk is full or read-only (also when the body's own write hits that).
    """
    target = Path(target)
    if target.exists() and not target.is_file():
        raise OutputError("is a folder or a special file, not a file vidcoop may replace", path=target)
    end = f".part{suffix if suffix is not None else target.suffix}"
    prefix = f".{target.stem[:40]}."
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_parts(target.parent, prefix, end)
        fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=end, dir=target.parent)
    except OSError as exc:
        raise _output_error(exc, target) from None
    tmp = Path(tmp_name)
    try:
        _lock(fd)
        try:
            yield tmp
        except OSError as exc:
            if exc.errno in _DISK_ERRNOS:
                raise _output_error(exc, target) from None
            raise
        try:
            os.fsync(fd)  # the bytes others wrote to this inode (ffmpeg, Pillow) are on disk
            # mkstemp makes 0600 files; give the result the mode a plain open() would have
            # (an existing file's own mode: a shared file stays as shared as it was).
            os.chmod(tmp, _mode_of(target))
            os.replace(tmp, target)
            _fsync_dir(target.parent)
        except OSError as exc:
            raise _output_error(exc, target) from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    finally:
        os.close(fd)  # drops the lock


def _output_error(exc: OSError, target: Path) -> Exception:
    reason = exc.strerror or str(exc)
    where = exc.filename if isinstance(exc.filename, str) and not Path(exc.filename).name.startswith(".") else None
    return OutputError(f"cannot write: {reason}", path=where or target,
                       hint="free some space" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else None)


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks
        return
    with contextlib.suppress(OSError):  # a share without locks (ENOLCK): the lock only guards cleanup
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def is_locked(path: Path) -> bool:
    """True when a live process holds the lock :func:`atomic_path` takes on its temp files."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: assume it is in use
        return True
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # held by a live writer, or the file system cannot tell: keep the file
        return True
    finally:
        os.close(fd)
    return False


def remove_stale_parts(folder: Path, prefix: str, end: str) -> None:
    """Delete temp files of :func:`atomic_path` that a killed run left (no live process holds them)."""
    pattern = re.compile(re.escape(prefix) + r"[A-Za-z0-9_]{8}" + re.escape(end) + "$")
    _remove_unlocked(folder, lambda name: name.startswith(prefix) and pattern.match(name) is not None)


# Any temp name atomic_path makes: ".<stem>.<8 of mkstemp's letters>.part<suffix>".
_ANY_PART = re.compile(r"^\..*\.[A-Za-z0-9_]{8}\.part(\.[^.]+)?$")


def remove_stale_temps(folder: Path) -> list[Path]:
    """Delete every temp file of :func:`atomic_path` in ``folder`` that no live process holds; return them.

    For a folder one owner writes (a batch's output folder, under its lock): a killed run's
    leftovers go even when the next run does not rewrite those outputs (up to date, a profile
    dropped from the week, an episode awaiting review). A live writer keeps its lock, so its file stays.
    """
    return _remove_unlocked(folder, lambda name: _ANY_PART.match(name) is not None)


def _remove_unlocked(folder: Path, wanted: Callable[[str], bool]) -> list[Path]:
    removed: list[Path] = []
    try:
        names = [e.name for e in os.scandir(folder) if wanted(e.name) and e.is_file(follow_symlinks=False)]
    except OSError:
        return removed
    for name in names:
        stale = folder / name
        if not is_locked(stale):
            with contextlib.suppress(OSError):
                stale.unlink()
                removed.append(stale)
    return removed


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms that cannot open folders
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.EBADF):  # folders that cannot be synced (some FUSE mounts)
            raise
    finally:
        os.close(fd)


def _mode_of(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


@functools.cache
def _umask() -> int:
    # Reading the umask means setting it; do it once, not while worker threads write files.
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(target: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically and return the target path.

    Raises:
        OutputError: the disk is full or read-only, or ``target`` cannot be a file.
    """
    target = Path(target)
    with atomic_path(target) as tmp, open(tmp, "wb") as fh:
        fh.write(data)  # a short write or a failed close raises, inside atomic_path
    return target


def atomic_write_text(target: str | Path, text: str) -> Path:
    """Write UTF-8 ``text`` to ``target`` atomically."""
    return atomic_write_bytes(target, text.encode("utf-8"))


def atomic_write_json(target: str | Path, data: Any) -> Path:
    """Write ``data`` as pretty, UTF-8 JSON atomically."""
    return atomic_write_text(target, json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def atomic_save_image(image: Any, target: str | Path, format: str, **params: Any) -> Path:
    """Save a Pillow image atomically.

    Pillow's encoders write through the file descriptor and can ignore a short
    write on a full disk, leaving a truncated image. Encoding into memory and
    writing the bytes with :func:`atomic_write_bytes` makes every failed write an error.
    """
    buffer = io.BytesIO()
    image.save(buffer, format=format, **params)
    return atomic_write_bytes(target, buffer.getvalue())


WORK_PREFIX = "vidcoop-"
_WORK_NAME = re.compile(r"^vidcoop-[a-z]+-(\d+)-[A-Za-z0-9_]+$")


@contextlib.contextmanager
def work_dir(kind: str) -> Iterator[Path]:
    """A temp folder for one run (``vidcoop-<kind>-<pid>-XXXX``), removed afterwards.

    A process killed with SIGKILL cannot remove its own folder; the pid in the
    name lets the next run find folders whose owner is gone and remove them.
    """
    remove_dead_work_dirs()
    with tempfile.TemporaryDirectory(prefix=f"{WORK_PREFIX}{kind}-{os.getpid()}-") as name:
        yield Path(name)


def remove_dead_work_dirs(root: str | Path | None = None) -> list[Path]:
    """Remove this user's vidcoop work folders whose process is no longer running; return them."""
    import shutil

    folder = Path(root) if root is not None else Path(tempfile.gettempdir())
    uid = os.getuid() if hasattr(os, "getuid") else None
    removed: list[Path] = []
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith(WORK_PREFIX)]
    except OSError:
        return removed
    for entry in entries:
        match = _WORK_NAME.match(entry.name)
        try:
            mine = entry.is_dir(follow_symlinks=False) and uid in (None, entry.stat(follow_symlinks=False).st_uid)
        except OSError:
            continue
        if match and mine and not pid_alive(int(match.group(1))):
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(Path(entry.path))
    return removed


def pid_alive(pid: int) -> bool:
    """True when a process with this id exists (on this machine)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, owned by someone else
        return True
    except OSError:  # pragma: no cover - platforms without signal 0
        return True
    return True


@contextlib.contextmanager
def file_lock(path: str | Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing), waiting for other holders.

    Processes sharing a disk (``dask worker --nworkers 2``) take turns at one-time work,
    such as assembling the offline model, instead of doing it twice at once. The
    operating system drops the lock when a holder dies, so a killed worker never
    blocks the others. Without advisory locks (Windows) it does not wait.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with open(path, "a+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def remembered_sha256(path: str | Path) -> str:
    """:func:`file_sha256`, remembered for this process while the file keeps its size and modification time."""
    st = os.stat(path)
    return _remembered_sha256(str(Path(path).absolute()), st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=256)
def _remembered_sha256(path: str, size: int, mtime_ns: int) -> str:
    return file_sha256(path)


#: Dataclass field metadata for what a run did (a card drawn now or taken from the cache), not what
#: it shows: content keys (:func:`vidcoop.review.keys.normalise`) leave such fields out, so the same
#: episode keeps its key whether or not this run had to draw it.
RUN_FACT: Mapping[str, bool] = MappingProxyType({"run_fact": True})


def stable_hash(*parts: Any) -> str:
    """Hex SHA-256 of JSON-serialisable parts, independent of dict order."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cache_root() -> Path:
    """Where vidcoop's user cache is (``VIDCOOP_CACHE_DIR`` overrides it); nothing is made."""
    base = os.environ.get("VIDCOOP_CACHE_DIR")
    if base:
        return Path(base)
    import platformdirs  # lazy: nothing at import time

    return Path(platformdirs.user_cache_dir("vidcoop"))


def cache_dir(*sub: str) -> Path:
    """A folder under vidcoop's user cache (:func:`cache_root`), made if missing.

    Raises:
        OutputError: the folder cannot be made (a read-only disk, no permission, a file in the
            way); one line naming the folder and ``VIDCOOP_CACHE_DIR``.
    """
    path = cache_root().joinpath(*sub)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise cache_error(exc, path) from None
    return path


def cache_error(exc: OSError, folder: Path) -> Exception:
    """An :class:`~vidcoop.errors.OutputError` for a cache ``folder`` that cannot be made or written."""
    reason = "a file is in the way" if isinstance(exc, FileExistsError | NotADirectoryError) else (
        exc.strerror or str(exc))
    setting = os.environ.get("VIDCOOP_CACHE_DIR")
    hint = (f"VIDCOOP_CACHE_DIR={setting} must name a writable folder" if setting
            else "set VIDCOOP_CACHE_DIR to a writable folder")
    return OutputError(f"vidcoop's cache folder cannot be written: {reason}", path=folder, hint=hint)
