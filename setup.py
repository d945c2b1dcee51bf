"""Build step: ship the top-level ``brand_kits/`` and ``examples/`` inside the package.

The folders stay where the layout puts them (top level, beside ``vidcoop/``);
the wheel carries them as ``vidcoop/_shipped/<folder>``, where
``vidcoop.resources`` finds them with importlib.resources. Everything else
about the package is declared in ``pyproject.toml``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).parent
SHIPPED = ("brand_kits", "examples")


class BuildWithShipped(build_py):
    """``build_py`` plus a copy of the shipped folders (not for editable installs: they read the checkout)."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for name in SHIPPED:
            source = HERE / name
            if not source.is_dir():
                raise SystemExit(f"setup.py: {name}/ is missing; build from a full checkout or the sdist")
            target = Path(self.build_lib) / "vidcoop" / "_shipped" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "out"))


setup(cmdclass={"build_py": BuildWithShipped})
