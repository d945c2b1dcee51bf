"""Registries: one dict (or tuple) of names per concept, and what derives from it.

Caption formats (``FORMATS``), caption styles (``BUILDERS``), reframe modes
(``REFRAMERS``), safe zones (``SAFE_ZONES``), backends and card templates are
plain dicts in their modules. Manifest and kit schemas, CLI choices and error
messages read the names from there, so adding an entry is one function and
one registry line. Schemas import the registry they check against (the import
is visible to the layer contract); only the CLI names registries by module path
(:func:`registry_names`), so ``vidcoop --help`` imports no library module.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from vidcoop.errors import VidcoopError

T = TypeVar("T")


def registry_names(module: str, registry: str) -> tuple[str, ...]:
    """The names in registry ``module.registry`` (a dict), importing the module on first use."""
    return tuple(getattr(importlib.import_module(module), registry))


def registered(registry: Iterable[str]) -> Callable[[str], str]:
    """A check (for pydantic's ``AfterValidator``) that accepts only the names in ``registry``.

    Every list of names (caption styles, safe-zone profiles, slot positions) is
    derived from its one registry this way, so adding an entry there is enough.
    The message is pydantic's own for a ``Literal``.
    """

    def check(value: str) -> str:
        names = tuple(registry)
        if value not in names:
            quoted = [repr(name) for name in names]
            options = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
            raise ValueError(f"Input should be {options}")
        return value

    return check


def lookup(registry: Mapping[str, T], name: str, error: type[VidcoopError], *, what: str, field: str,
           path: str | Path | None = None) -> T:
    """``registry[name]``, or ``error`` naming the file, the field and the known names (sorted)."""
    try:
        return registry[name]
    except KeyError:
        known = ", ".join(sorted(registry)) or "none"
        raise error(f"unknown {what} {name!r} (known: {known})", path=path, field=field) from None
