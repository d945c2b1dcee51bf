"""Option choices read from a library registry, so the CLI never keeps its own list.

The registry module is imported when the option is used (parsed, or shown in
a command's ``--help``), not when the CLI is imported: ``vidcoop --help`` stays instant.
"""

from __future__ import annotations

from typing import Any

import click


class RegistryChoice(click.Choice[str]):
    """``click.Choice`` over the names of ``module.registry`` (a dict or tuple)."""

    def __init__(self, module: str, registry: str) -> None:
        self._where = (module, registry)
        self.case_sensitive = True

    @property
    def choices(self) -> tuple[Any, ...]:  # type: ignore[override]
        from vidcoop.registry import registry_names

        return registry_names(*self._where)
