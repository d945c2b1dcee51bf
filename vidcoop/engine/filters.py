"""A tiny, exact filter-graph builder.

ffmpeg parses a ``-filter_complex`` string twice: the graph parser splits
filters at ``[ ] , ;`` and the filter's option parser splits ``key=value``
pairs at ``:``. Each level honours backslash escapes and single quotes, so a
value is escaped once for the option level and the whole argument string once
more for the graph level. Doing that in one place is what lets any path or
expression pass through intact.

We write this rather than use ffmpeg-python's graph builder: its escaping is
not applied to every level we need (values with quotes and colons), it has
had no release since 2019, and the compiled strings here are short enough to
test exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

_OPTION_SPECIAL = "\\':"
_GRAPH_SPECIAL = "\\'[],;"


def escape_option(value: object) -> str:
    """Escape one option value for the filter's own ``key=value:...`` parser."""
    text = str(value)
    out = "".join("\\" + ch if ch in _OPTION_SPECIAL else ch for ch in text)
    # av_get_token strips leading/trailing whitespace; escape it to keep it.
    if out[:1].isspace():
        out = "\\" + out
    if out[-1:].isspace():
        out = out[:-1] + "\\" + out[-1]
    return out


def escape_graph(text: str) -> str:
    """Escape a filter's whole argument string for the filter-graph parser."""
    return "".join("\\" + ch if ch in _GRAPH_SPECIAL else ch for ch in text)


@dataclass(frozen=True)
class Filter:
    """One filter with ordered options; values are escaped when rendered."""

    name: str
    options: tuple[tuple[str | None, object], ...] = ()

    def render(self) -> str:
        if not self.options:
            return self.name
        parts = [escape_option(v) if k is None else f"{k}={escape_option(v)}" for k, v in self.options]
        return f"{self.name}={escape_graph(':'.join(parts))}"


@dataclass(frozen=True)
class RawFilter:
    """Filter text that vidcoop's own code wrote already escaped (never user text)."""

    text: str

    def render(self) -> str:
        return self.text


AnyFilter = Filter | RawFilter


def flt(name: str, *positional: object, **options: object) -> Filter:
    """Build a Filter: ``flt("scale", 1080, 1920, flags="bicubic")``.

    Keyword names may end in ``_`` to dodge Python keywords (``in_`` -> ``in``).
    """
    opts: list[tuple[str | None, object]] = [(None, v) for v in positional]
    opts += [(k.rstrip("_"), v) for k, v in options.items() if v is not None]
    return Filter(name, tuple(opts))


@dataclass(frozen=True)
class Chain:
    """A linear chain ``[in]f1,f2[out]``."""

    inputs: tuple[str, ...]
    filters: tuple[AnyFilter, ...]
    outputs: tuple[str, ...]

    def render(self) -> str:
        ins = "".join(f"[{label}]" for label in self.inputs)
        outs = "".join(f"[{label}]" for label in self.outputs)
        return f"{ins}{','.join(f.render() for f in self.filters)}{outs}"


@dataclass
class GraphBuilder:
    """Collects chains and hands out unique labels."""

    chains: list[Chain | RawFilter] = field(default_factory=list)
    _count: dict[str, int] = field(default_factory=dict)

    def label(self, stem: str) -> str:
        n = self._count.get(stem, 0)
        self._count[stem] = n + 1
        return f"{stem}{n}"

    def add(self, inputs: Sequence[str], filters: Iterable[AnyFilter], outputs: Sequence[str]) -> None:
        self.chains.append(Chain(tuple(inputs), tuple(filters), tuple(outputs)))

    def add_fragment(self, text: str) -> None:
        """Add ready graph text with its own labels (from vidcoop's audio helpers)."""
        self.chains.append(RawFilter(text))

    def render(self) -> str:
        return ";".join(chain.render() for chain in self.chains)


def number(value: float | Fraction) -> str:
    """A number as filter text: six decimals at most, no trailing zeros, never ``-0``."""
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"
