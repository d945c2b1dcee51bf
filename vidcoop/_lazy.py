"""Lazy package exports: public names load their modules on first use.

Packages whose modules pull in heavy libraries (Pillow, PyAV, pysubs2,
Whisper) list their public names here instead of importing them, so that
``import vidcoop`` and ``vidcoop --help`` stay instant.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(
    package: str, namespace: dict[str, Any], exports: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Module ``__getattr__`` and ``__dir__`` for ``package`` serving ``exports`` (name -> module).

    A name is looked up in its module and kept in ``namespace`` for the next access.
    """
    names = sorted(exports)

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return list(namespace.get("__all__", names))

    return __getattr__, __dir__
