"""YAML loading and pydantic errors turned into :class:`ManifestError`.

Shared by brand kits and channel configs: the error names the file, the
dotted field path (``formats.stellenboerse.partner_slots.0.count``) and what
was expected, instead of pydantic's multi-line dump.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vidcoop.errors import ManifestError

# pydantic error type -> how we say it
_PHRASES: dict[str, str] = {
    "missing": "is required",
    "extra_forbidden": "is not a known field here",
}


def dotted_path(loc: tuple[Any, ...]) -> str:
    """A pydantic error location as ``formats.stellenboerse.partner_slots.0.count``."""
    return ".".join(str(part) for part in loc if not (isinstance(part, str) and part.startswith("function-")))


def describe_error(err: dict[str, Any]) -> str:
    """One pydantic error as a short phrase saying what was expected (and what came)."""
    kind = err.get("type", "")
    if kind in _PHRASES:
        return _PHRASES[kind]
    msg = str(err.get("msg", "is invalid"))
    msg = msg.removeprefix("Value error, ")
    if "input" in err and kind not in ("missing",) and not isinstance(err["input"], (dict, list)):
        return f"expected: {msg[0].lower()}{msg[1:]} (got {err['input']!r})"
    return f"expected: {msg[0].lower()}{msg[1:]}"


def manifest_error_from_pydantic(exc: Any, path: str | Path) -> ManifestError:
    """The first problem of a pydantic ``ValidationError`` as a ManifestError.

    Further problems go into the hint so a person can fix them in one pass.
    """
    errors = exc.errors()
    first = errors[0]
    field = dotted_path(first["loc"]) or None
    others = [f"{dotted_path(e['loc']) or '<top>'} {describe_error(e)}" for e in errors[1:4]]
    hint = None
    if others:
        more = len(errors) - 1
        hint = f"{more} more problem{'s' if more > 1 else ''}: " + "; ".join(others)
    return ManifestError(describe_error(first), path=path, field=field, hint=hint)


def load_yaml_mapping(path: str | Path, *, what: str) -> dict[str, Any]:
    """Read a YAML file that must hold a mapping; errors name the file.

    Args:
        path: The file.
        what: What the file is, for messages (``channel config``).
    """
    import yaml  # lazy: nothing at import time

    path = Path(path)
    if not path.is_file():
        raise ManifestError(f"{what} not found", path=path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise ManifestError(f"is not valid YAML{where}: {getattr(exc, 'problem', exc)}", path=path) from None
    except UnicodeDecodeError:
        raise ManifestError("is not UTF-8 text", path=path) from None
    if not isinstance(data, dict):
        raise ManifestError(f"{what} must be a YAML mapping (key: value), got {type(data).__name__}", path=path)
    return data
