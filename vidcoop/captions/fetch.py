"""Fetch a bigger Whisper model from the Hugging Face hub, only when a person asks (``vidcoop models fetch``).

Nothing here runs unless called: rendering never downloads. A fetch asks the
hub which files the model's repository holds at its current commit (the same
``/api/models/{repo}/revision/main?blobs=true`` call ``huggingface_hub`` makes,
at ``HF_ENDPOINT`` if set), downloads the files faster-whisper needs from that
one commit (``/{repo}/resolve/{commit}/{file}``), and checks each against the
hub's record: the size, and the SHA-256 of large (LFS) files or the git blob
hash of small ones. The files go to a hidden temp folder beside the final one,
which is renamed into place only when all of them verify; an interrupted,
timed-out or corrupt download removes its temp folder, and a killed one leaves
a ``.NAME.part-*`` folder nothing reads (the next fetch removes it). Every
network wait has a timeout (``VIDCOOP_FETCH_TIMEOUT``, default 30 s), so a hub
that accepts and never answers fails with one line instead of hanging.

A fetched model is then found offline by name (``captions: {model: small}``)
through :func:`fetched_model`, which :func:`vidcoop.captions.offline.resolve_model`
consults before anything else.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import os
import re
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from vidcoop._version import __version__
from vidcoop.errors import TranscriptionError
from vidcoop.files import atomic_write_json, cache_dir, cache_root, file_lock
from vidcoop.registry import lookup

ENDPOINT_ENV = "HF_ENDPOINT"  # the variable huggingface_hub (and so faster-whisper) reads
DEFAULT_ENDPOINT = "https://huggingface.co"
TIMEOUT_ENV = "VIDCOOP_FETCH_TIMEOUT"
DEFAULT_TIMEOUT = 30.0
STAMP = "vidcoop-model.json"
_CHUNK = 1 << 20
# The files faster-whisper's own download_model takes from a model repository.
_WANTED = re.compile(r"(config\.json|preprocessor_config\.json|model\.bin|tokenizer\.json|vocabulary\.[^/]+)")
_REQUIRED = ("model.bin", "config.json")


@dataclass(frozen=True)
class FetchableModel:
    """A model ``vidcoop models fetch`` can download.

    Attributes:
        name: What to write in ``captions: {model: NAME}``.
        repo: The CTranslate2 conversion on the hub (faster-whisper's own choice for the name).
        approx_bytes: About how much it downloads (float16 weights); the hub's exact size is shown when fetching.
    """

    name: str
    repo: str
    approx_bytes: int


# One line per model. The repositories are those faster_whisper.utils maps the names to.
FETCHABLE: dict[str, FetchableModel] = {
    "small": FetchableModel("small", "Systran/faster-whisper-small", 484_000_000),
    "medium": FetchableModel("medium", "Systran/faster-whisper-medium", 1_530_000_000),
    "large-v3-turbo": FetchableModel("large-v3-turbo", "mobiuslabsgmbh/faster-whisper-large-v3-turbo", 1_620_000_000),
}


@dataclass(frozen=True)
class HubFile:
    """One file of a model repository as the hub lists it.

    Attributes:
        name: Its path in the repository.
        size: Its size in bytes.
        sha256: The LFS object id (SHA-256 of the content) of a large file.
        blob_id: The git blob hash (SHA-1 of ``blob SIZE\\0`` + content) of a small file.
    """

    name: str
    size: int
    sha256: str | None
    blob_id: str | None


@dataclass(frozen=True)
class FetchProgress:
    """How far a fetch is: bytes of all its files together.

    Attributes:
        file: The file being downloaded.
        done: Bytes downloaded so far (all files).
        total: Bytes of all files.
    """

    file: str
    done: int
    total: int

    @property
    def fraction(self) -> float:
        """Share done, 0..1."""
        return 1.0 if self.total <= 0 else min(1.0, self.done / self.total)


FetchCallback = Callable[[FetchProgress], None]


@dataclass(frozen=True)
class FetchedModel:
    """A model fetched earlier and complete on this machine.

    Attributes:
        name: Its name (``small``).
        path: The folder faster-whisper loads.
        repo: The hub repository it came from.
        commit: The repository commit its files are from.
        model_sha256: SHA-256 of its ``model.bin`` (for cache keys).
        size: Bytes of all its files.
    """

    name: str
    path: Path
    repo: str
    commit: str
    model_sha256: str
    size: int


def fetch_root() -> Path:
    """Where fetched models live (under vidcoop's cache, ``VIDCOOP_CACHE_DIR``); nothing is made."""
    return cache_root() / "models" / "fetched"


def fetched_model(name: str) -> FetchedModel | None:
    """The model ``name`` if a fetch stored it completely, else None.

    Only a folder with vidcoop's stamp counts, and only while every file the
    stamp lists has its recorded size: a folder someone emptied or cut short
    is not used.
    """
    folder = fetch_root() / name
    try:
        stamp = json.loads((folder / STAMP).read_text(encoding="utf-8"))
        files = stamp["files"]
        for fname, meta in files.items():
            if (folder / fname).stat().st_size != int(meta["size"]):
                return None
        return FetchedModel(
            name=name,
            path=folder,
            repo=str(stamp["repo"]),
            commit=str(stamp["commit"]),
            model_sha256=str(files["model.bin"]["sha256"]),
            size=sum(int(meta["size"]) for meta in files.values()),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def hub_endpoint() -> str:
    """The hub's address: ``HF_ENDPOINT`` (read now, not at import) or huggingface.co."""
    return (os.environ.get(ENDPOINT_ENV) or DEFAULT_ENDPOINT).rstrip("/")


def fetch_timeout() -> float:
    """Seconds any one network wait may take (``VIDCOOP_FETCH_TIMEOUT``, default 30).

    Raises:
        TranscriptionError: the variable is not a positive number.
    """
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise TranscriptionError(f"{TIMEOUT_ENV} must be a number of seconds above 0, not {raw!r}", field=TIMEOUT_ENV)
    return value


def fetch_model(
    name: str,
    *,
    progress: FetchCallback | None = None,
    timeout: float | None = None,
    endpoint: str | None = None,
) -> FetchedModel:
    """Download the model ``name`` from the hub, verify it and store it where :func:`fetched_model` finds it.

    Args:
        name: A key of :data:`FETCHABLE`.
        progress: Called as bytes arrive.
        timeout: Seconds any one network wait may take (default :func:`fetch_timeout`).
        endpoint: The hub's address (default :func:`hub_endpoint`).

    A model already stored from the hub's current commit is not downloaded again.

    Raises:
        TranscriptionError: an unknown name; the hub cannot be reached, does not answer in time, or
            breaks off; a file does not match the hub's checksum; too little disk space. Nothing is
            stored under the final name then.
    """
    spec = lookup(FETCHABLE, name, TranscriptionError, what="model to fetch", field="model")
    if os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on"):
        raise TranscriptionError(f"HF_HUB_OFFLINE is set, so {name!r} is not fetched", field="model",
                                 hint="unset HF_HUB_OFFLINE to allow this one download")
    base = (endpoint or hub_endpoint()).rstrip("/")
    wait = fetch_timeout() if timeout is None else timeout
    info = _get_json(f"{base}/api/models/{spec.repo}/revision/main?blobs=true", wait, spec)
    commit, files = _hub_files(info, spec, base)
    stored = fetched_model(name)
    if stored is not None and stored.commit == commit and stored.repo == spec.repo:
        return stored  # the hub has nothing newer: nothing to download
    total = sum(f.size for f in files)
    root = cache_dir("models", "fetched")
    _check_space(root, total)
    with file_lock(root / f".{name}.lock"):
        _remove_leftovers(root, name)
        tmp: Path | None = None
        try:
            tmp = Path(tempfile.mkdtemp(prefix=f".{name}.part-", dir=root))
            done = 0
            hashes: dict[str, dict[str, Any]] = {}
            for f in files:
                url = f"{base}/{spec.repo}/resolve/{commit}/{quote(f.name)}"
                digest = _download(url, tmp / f.name, f, wait, spec, done, total, progress)
                done += f.size
                hashes[f.name] = {"size": f.size, "sha256": digest}
            atomic_write_json(
                tmp / STAMP,
                {"repo": spec.repo, "commit": commit, "endpoint": base, "files": hashes},
            )
            _swap_into_place(tmp, root / name)
        except OSError as exc:  # the network's errors are named in _download; these are the disk's
            raise TranscriptionError(
                f"cannot store {name!r} ({exc.strerror or exc}); nothing was stored",
                path=root,
                hint=f"it needs {total / 1e6:.0f} MB; free some space or set VIDCOOP_CACHE_DIR to another disk",
            ) from None
        finally:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
    found = fetched_model(name)
    if found is None:  # pragma: no cover - only if the folder changed under us
        raise TranscriptionError("the fetched model could not be read back", path=root / name, field="model")
    return found


def _open(url: str, timeout: float, spec: FetchableModel) -> Any:
    request = urllib.request.Request(url, headers={"User-Agent": f"vidcoop/{__version__}"})
    host = urlsplit(url).netloc
    try:
        return urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        if exc.code in (401, 403, 404):
            raise TranscriptionError(
                f"the hub at {host} has no model {spec.repo!r} (HTTP {exc.code})",
                field="model",
                hint=f"check {ENDPOINT_ENV} if you set it",
            ) from None
        raise TranscriptionError(
            f"the hub at {host} answered HTTP {exc.code} for {spec.name!r}", field="model", hint="try again later"
        ) from None
    except (TimeoutError, urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        raise _network_error(exc, host, timeout, spec) from None


def _network_error(exc: BaseException, host: str, timeout: float, spec: FetchableModel) -> TranscriptionError:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError):
        return TranscriptionError(
            f"no answer from {host} within {timeout:g} s while fetching {spec.name!r}",
            field="model",
            hint=f"check the network, or allow more time with {TIMEOUT_ENV}; nothing was stored",
        )
    what = getattr(reason, "strerror", None) or type(reason).__name__
    return TranscriptionError(
        f"cannot reach {host} to fetch {spec.name!r} ({what})",
        field="model",
        hint="check the network; offline, use the shipped base model; nothing was stored",
    )


def _get_json(url: str, timeout: float, spec: FetchableModel) -> Any:
    host = urlsplit(url).netloc
    with _open(url, timeout, spec) as resp:
        try:
            body = resp.read(16 << 20)
        except (OSError, http.client.HTTPException) as exc:
            raise _network_error(exc, host, timeout, spec) from None
    try:
        return json.loads(body)
    except ValueError:
        raise TranscriptionError(
            f"the hub at {host} did not answer with the model's file list for {spec.name!r}", field="model"
        ) from None


def _hub_files(info: Any, spec: FetchableModel, base: str) -> tuple[str, tuple[HubFile, ...]]:
    """The commit and the wanted files of a repository listing; each must carry a size and a checksum."""
    bad = TranscriptionError(
        f"the hub at {urlsplit(base).netloc} listed {spec.repo!r} without the sizes and checksums vidcoop checks",
        field="model",
    )
    if not isinstance(info, dict) or not isinstance(info.get("sha"), str) or not isinstance(info.get("siblings"), list):
        raise bad
    files = []
    for entry in info["siblings"]:
        fname = entry.get("rfilename") if isinstance(entry, dict) else None
        if not isinstance(fname, str) or not _WANTED.fullmatch(fname):
            continue
        lfs = entry.get("lfs") if isinstance(entry.get("lfs"), dict) else None
        size = lfs.get("size") if lfs else entry.get("size")
        sha256 = lfs.get("sha256") if lfs else None
        blob_id = None if lfs else entry.get("blobId")
        if not isinstance(size, int) or not (isinstance(sha256, str) or isinstance(blob_id, str)):
            raise bad
        files.append(HubFile(fname, size, sha256, blob_id))
    missing = [r for r in _REQUIRED if r not in {f.name for f in files}]
    if missing:
        raise TranscriptionError(
            f"{spec.repo!r} on the hub lacks {', '.join(missing)}; it is not a faster-whisper model", field="model"
        )
    if not re.fullmatch(r"[0-9a-fA-F]{7,64}", info["sha"]):
        raise bad
    return info["sha"], tuple(sorted(files, key=lambda f: (f.name == "model.bin", f.name)))


def _check_space(root: Path, total: int) -> None:
    free = shutil.disk_usage(root).free
    if free < total + (64 << 20):
        raise TranscriptionError(
            f"not enough disk space: the model needs {total / 1e6:.0f} MB, {free / 1e6:.0f} MB are free",
            path=root,
            hint="free some space, or set VIDCOOP_CACHE_DIR to a larger disk",
        )


def _remove_leftovers(root: Path, name: str) -> None:
    """Remove temp folders of fetches that were killed (the caller holds the name's lock)."""
    for stale in root.glob(f".{name}.part-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in root.glob(f".{name}.old-*"):
        shutil.rmtree(stale, ignore_errors=True)


def _download(
    url: str,
    dest: Path,
    f: HubFile,
    timeout: float,
    spec: FetchableModel,
    before: int,
    total: int,
    progress: FetchCallback | None,
) -> str:
    """Stream one file to ``dest``, hashing as it comes; return its SHA-256 after checking it."""
    host = urlsplit(url).netloc
    sha256 = hashlib.sha256()
    blob = hashlib.sha1(b"blob %d\0" % f.size, usedforsecurity=False)
    got = 0
    with _open(url, timeout, spec) as resp, open(dest, "wb") as out:
        while True:
            try:
                chunk = resp.read(min(_CHUNK, max(f.size - got, 0) + 1))
            except (OSError, http.client.HTTPException) as exc:
                if isinstance(exc, TimeoutError):
                    raise _network_error(exc, host, timeout, spec) from None
                break  # broken off: the size check below says so
            if not chunk:
                break
            got += len(chunk)
            if got > f.size:
                break
            out.write(chunk)
            sha256.update(chunk)
            blob.update(chunk)
            if progress is not None:
                progress(FetchProgress(f.name, before + got, total))
        out.flush()
        os.fsync(out.fileno())
    if got != f.size:
        raise TranscriptionError(
            f"the download of {f.name} broke off at {got} of {f.size} bytes" if got < f.size
            else f"{f.name} is larger than the hub says ({f.size} bytes)",
            field="model",
            hint=f"run vidcoop models fetch {spec.name} again; nothing was stored",
        )
    ok = sha256.hexdigest() == f.sha256.lower() if f.sha256 else blob.hexdigest() == (f.blob_id or "").lower()
    if not ok:
        raise TranscriptionError(
            f"{f.name} of {spec.name!r} does not match the hub's checksum",
            field="model",
            hint="a proxy or the disk damaged it; run the fetch again; nothing was stored",
        )
    return sha256.hexdigest()


def _swap_into_place(tmp: Path, final: Path) -> None:
    """Rename the verified temp folder to ``final``; an older fetch there is moved aside first, then removed."""
    old: Path | None = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        os.replace(final, old)
    os.replace(tmp, final)
    with contextlib.suppress(OSError):
        fd = os.open(final.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
