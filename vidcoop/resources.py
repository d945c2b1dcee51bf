"""Where shipped resources (brand kits, the example channel) live.

The top-level ``brand_kits/`` and ``examples/`` folders ship inside the wheel
as ``vidcoop/_shipped/<folder>`` (``setup.py`` copies them at build time), and
are found with :mod:`importlib.resources`. A source checkout or an editable
install has no ``_shipped`` folder and reads the top-level folders directly.
``VIDCOOP_BRAND_KITS`` may point to another kits folder.
"""

from __future__ import annotations

import os
from pathlib import Path

SHIPPED = "_shipped"
_CHECKOUT = Path(__file__).resolve().parents[1]


def shipped_dir(name: str) -> Path:
    """A shipped folder (``brand_kits`` or ``examples``): the installed copy, else the checkout's."""
    from importlib.resources import files

    packaged = files("vidcoop").joinpath(SHIPPED).joinpath(name)
    # ffmpeg and Pillow need real files, so only a file-system install counts (not a zip import).
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    return _CHECKOUT / name


def kits_root() -> Path:
    """The folder that holds shipped brand kits (``neutral``, ...)."""
    override = os.environ.get("VIDCOOP_BRAND_KITS")
    if override:
        return Path(override)
    return shipped_dir("brand_kits")


def kit_dir(name: str) -> Path:
    """The folder of a shipped kit by name."""
    return kits_root() / name


def example_dir() -> Path:
    """The shipped example channel (what ``vidcoop init`` copies)."""
    return shipped_dir("examples")
