"""Reading user data files: one YAML loader and one pydantic-error translation.

Every YAML file vidcoop reads (episode and week manifests, brand kits,
channel configs, glossaries, job lists, job-card templates) goes through
:func:`parse_yaml`, and every pydantic model error becomes a
:class:`ManifestError` through :func:`pydantic_error`. So an alias bomb, a
5000-deep nesting or a bad field reads the same everywhere: one line naming
the file and the dotted field path.

YAML aliases are resolved by PyYAML as shared objects, which is cheap to load
but explodes for whoever walks the data (validation, hashing, JSON). The
loader counts how many values the document *would* have with every alias
expanded and refuses it past :data:`MAX_NODES`, before anything walks it.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from vidcoop.errors import ManifestError

#: Values a document may hold with every alias expanded (a big job list is a few thousand).
MAX_NODES = 200_000
#: How deeply mappings and lists may nest (manifests need fewer than ten levels).
MAX_DEPTH = 64


def read_text(path: str | Path, *, what: str = "file") -> str:
    """The UTF-8 text of ``path`` (a BOM is dropped); ManifestError when missing or not text."""
    p = Path(path)
    if not p.is_file():
        raise ManifestError(f"{what} not found", path=p)
    try:
        return p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ManifestError("not UTF-8 text", path=p) from None
    except OSError as exc:
        raise ManifestError(f"cannot read {what}: {exc.strerror or exc}", path=p) from None


def load_yaml(path: str | Path, *, what: str = "file") -> Any:
    """Read and parse a YAML file with :func:`parse_yaml`."""
    return parse_yaml(read_text(path, what=what), path=path)


def load_yaml_mapping(path: str | Path, *, what: str) -> dict[str, Any]:
    """A YAML file that must hold a mapping (``key: value``); errors name the file.

    Args:
        path: The file.
        what: What the file is, for messages (``channel config``).
    """
    data = load_yaml(path, what=what)
    if not isinstance(data, dict):
        raise ManifestError(f"{what} must be a YAML mapping (key: value), got {type(data).__name__}", path=path)
    return data


def parse_yaml(text: str, *, path: str | Path | None = None) -> Any:
    """Parse YAML text safely: no Python objects, bounded alias expansion and depth.

    Raises:
        ManifestError: for syntax errors (with line and column), alias bombs
            and nesting deeper than :data:`MAX_DEPTH`.
    """
    import yaml  # lazy: nothing at import time

    if "\x00" in text:
        raise ManifestError("not a text file (contains NUL bytes)", path=path)
    loader = _loader_class()(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        check_shape(_yaml_children, node, path=path)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ManifestError(f"not valid YAML{where}: {problem}", path=path) from None
    except (RecursionError, _TooDeep):
        raise ManifestError(f"nested more than {MAX_DEPTH} levels deep", path=path) from None
    finally:
        loader.dispose()


class _TooDeep(Exception):
    pass


@functools.cache
def _loader_class() -> Any:
    """PyYAML's SafeLoader that stops composing past MAX_DEPTH (before Python's recursion limit)."""
    import yaml

    class BoundedLoader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            self.depth += 1
            try:
                if self.depth > MAX_DEPTH:
                    raise _TooDeep
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    return BoundedLoader


def parse_json(text: str, *, path: str | Path | None = None) -> Any:
    """Parse JSON text with the same depth and size bounds as YAML."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ManifestError(f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", path=path) from None
    except RecursionError:
        raise ManifestError(f"nested more than {MAX_DEPTH} levels deep", path=path) from None
    check_shape(_data_children, data, path=path)
    return data


def _yaml_children(node: Any) -> list[Any]:
    import yaml

    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _data_children(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [*value.keys(), *value.values()]
    if isinstance(value, (list, tuple)):
        return list(value)
    return []


def check_shape(children: Any, root: Any, *, path: str | Path | None = None) -> None:
    """Refuse a tree whose expanded size passes MAX_NODES or whose depth passes MAX_DEPTH.

    Shared nodes (YAML aliases) are counted once per use, without expanding
    them: each node's expanded size is computed once and reused.
    """
    sizes: dict[int, int] = {}
    # Iterative post-order walk: (node, depth, children_done).
    stack: list[tuple[Any, int, bool]] = [(root, 1, False)]
    on_path: set[int] = set()
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            total = 1 + sum(sizes[id(child)] for child in children(node))
            if total > MAX_NODES:
                raise ManifestError(
                    f"too large: more than {MAX_NODES} values once YAML aliases are expanded",
                    path=path,
                    hint="aliases (*name) that repeat big blocks many times are refused",
                )
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if depth > MAX_DEPTH:
            raise ManifestError(f"nested more than {MAX_DEPTH} levels deep", path=path)
        if key in on_path:
            raise ManifestError("a YAML alias refers to a block that contains it", path=path)
        on_path.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in children(node) if id(child) not in sizes)


# --- pydantic errors --------------------------------------------------------------------------------

# pydantic adds union branch and validator names to an error's location; they are not fields.
_TYPE_NAMES = {
    "str",
    "int",
    "float",
    "bool",
    "literal",
    "list",
    "dict",
    "is-instance",
    "function-after",
    "function-before",
    "function-wrap",
    "tagged-union",
    "union",
}


def dotted_path(loc: tuple[Any, ...]) -> str:
    """A pydantic error location as ``formats.stellenboerse.partner_slots.0.count`` (field names only)."""
    parts = [str(part) for part in loc]
    keep = [
        p
        for p in parts
        if not p.startswith("function-")
        and not any(c in p for c in "[]")
        and p not in _TYPE_NAMES
        and not p.endswith("Model")
    ]
    return ".".join(keep)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def describe_error(err: dict[str, Any]) -> str:
    """One pydantic error as a short phrase saying what was wrong (and what came)."""
    kind = err.get("type", "")
    loc = [str(p) for p in err.get("loc", ())]
    if kind == "extra_forbidden":
        key = loc[-1] if loc else "?"
        parent = dotted_path(tuple(loc[:-1]))
        return f"unknown key {key!r}" + (f" in {parent}" if parent else "")
    if kind == "missing":
        return f"missing required key {loc[-1]!r}" if loc else "missing a required key"
    msg = str(err.get("msg", "is invalid")).replace("Value error, ", "")
    if "input" in err and not isinstance(err["input"], (dict, list)) and repr(err["input"]) not in msg:
        return f"{msg} (got {_short(err['input'])})"
    return msg


def pydantic_error(exc: Any, path: str | Path | None) -> ManifestError:
    """The most telling problem of a pydantic ``ValidationError`` as a ManifestError.

    In a union the branch that got furthest (longest location) says the most;
    up to three more problems go into the hint so a person can fix them in one pass.
    """
    errors = exc.errors()
    first = max(errors, key=lambda e: len(e["loc"]))
    here = dotted_path(first["loc"])
    # Other branches of the same union say the same thing less well; other fields are news.
    others = [e for e in errors if e is not first and dotted_path(e["loc"]) != here]
    hint = None
    if others:
        shown = [f"{dotted_path(e['loc']) or '<top>'}: {describe_error(e)}" for e in others[:3]]
        hint = f"{len(others)} more problem{'s' if len(others) > 1 else ''}: " + "; ".join(shown)
    return ManifestError(describe_error(first), path=path, field=here or None, hint=hint)


def validate(model: Any, data: Any, *, path: str | Path | None) -> Any:
    """``model.model_validate(data)`` with pydantic errors as one ManifestError."""
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise pydantic_error(exc, path) from None
