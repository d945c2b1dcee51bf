"""Lazy package exports and registry helpers: public names load their modules on first use.

Packages whose modules pull in heavy libraries (Pillow, PyAV, pysubs2,
Whisper) list their public names here instead of importing them, so that
``import vidcoop`` and ``vidcoop --help`` stay instant.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from vidcoop.errors import VidcoopError

T = TypeVar("T")


def lazy_exports(
    package: str, namespace: dict[str, Any], exports: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Module ``__getattr__`` and ``__dir__`` for ``package`` serving ``exports`` (name -> module).

    A name whose module is ``package.name`` is that submodule itself; any other
    name is looked up in its module and kept in ``namespace`` for the next access.
    """
    names = sorted(exports)

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        if module == f"{package}.{name}":
            return importlib.import_module(module)
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return list(namespace.get("__all__", names))

    return __getattr__, __dir__


def registry_names(module: str, registry: str) -> tuple[str, ...]:
    """The names in registry ``module.registry`` (a dict), importing the module on first use."""
    return tuple(getattr(importlib.import_module(module), registry))


def registered(module: str, registry: str) -> Callable[[str], str]:
    """A check (for pydantic's ``AfterValidator``) that accepts only the names in a registry.

    Every list of names (caption styles, safe-zone profiles, slot positions) is
    derived from its one registry this way, so adding an entry there is enough.
    The message is pydantic's own for a ``Literal``.
    """

    def check(value: str) -> str:
        names = registry_names(module, registry)
        if value not in names:
            quoted = [repr(name) for name in names]
            options = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
            raise ValueError(f"input should be {options}")
        return value

    return check


def lookup(registry: Mapping[str, T], name: str, error: type[VidcoopError], *, what: str, field: str) -> T:
    """``registry[name]``, or ``error`` naming the field and the known names."""
    try:
        return registry[name]
    except KeyError:
        raise error(f"unknown {what} {name!r}", field=field, hint=f"one of: {', '.join(registry)}") from None
