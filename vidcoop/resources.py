"""Where shipped resources (brand kits, example channel) live.

In a source checkout or an editable install the kits are the top-level
``brand_kits/`` folder. ``VIDCOOP_BRAND_KITS`` may point elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

_REPO = Path(__file__).resolve().parents[1]


def kits_root() -> Path:
    """The folder that holds shipped brand kits (``neutral``, ...)."""
    override = os.environ.get("VIDCOOP_BRAND_KITS")
    if override:
        return Path(override)
    return _REPO / "brand_kits"


def kit_dir(name: str) -> Path:
    """The folder of a shipped kit by name."""
    return kits_root() / name
