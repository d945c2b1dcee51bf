"""Exact time.

Inside vidcoop, time is a :class:`fractions.Fraction` of seconds, and cuts are
whole frames of the output rate. Floats appear only at the edges: when
talking to ffmpeg and when printing. 29.97 fps is ``Fraction(30000, 1001)``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from fractions import Fraction

_TIMECODE = re.compile(r"^(?:(?:(?P<h>\d{1,2}):)?(?P<m>\d{1,2}):)?(?P<s>\d{1,6}(?:[.,]\d{1,9})?)$")
# What vidcoop itself writes for exact times (``str(Fraction)``): ``1001/30000``.
_RATIO = re.compile(r"^(?P<n>\d{1,15})/(?P<d>[1-9]\d{0,14})$")

#: No time in vidcoop (a cue, a fade, a cut point) lies past 24 hours; longer values are typos or attacks.
MAX_TIME = Fraction(24 * 3600)

_COMMON_RATES = {
    "23.976": Fraction(24000, 1001),
    "29.97": Fraction(30000, 1001),
    "59.94": Fraction(60000, 1001),
}


#: What :func:`parse_time` accepts: a timecode text or a number of seconds.
TimeLike = str | int | float | Fraction | Decimal


def parse_time(value: TimeLike) -> Fraction:
    """Parse ``00:01:02.500``, ``1:02.5``, ``62.5``, ``1001/30000`` or a number into seconds.

    Floats are taken through their shortest decimal text, so ``0.1`` means
    one tenth, as a person wrote it, not the nearest binary fraction. The
    grammar is bounded (no exponents, at most nine decimals, at most
    :data:`MAX_TIME`), so no input makes parsing or later arithmetic slow.

    Raises:
        ValueError: for text that is not a timecode, a negative time, or a time past 24 hours.
    """
    if isinstance(value, bool):
        raise ValueError(f"not a time: {value!r}")
    if isinstance(value, (int, float, Fraction, Decimal)) and not -MAX_TIME <= value <= MAX_TIME:  # type: ignore[operator]
        # before any exact arithmetic on a huge number
        raise ValueError(f"time past 24 hours: {_short(value)}" if value > 0 else f"not a time: {_short(value)}")
    if isinstance(value, Fraction):
        result = value
    elif isinstance(value, int):
        result = Fraction(value)
    elif isinstance(value, (float, Decimal)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"not a time: {value!r}")
        result = Fraction(Decimal(repr(value)) if isinstance(value, float) else value)
    elif isinstance(value, str) and (ratio := _RATIO.match(value.strip())):
        result = Fraction(int(ratio["n"]), int(ratio["d"]))
    elif isinstance(value, str):
        match = _TIMECODE.match(value.strip()) if len(value) <= 64 else None
        if not match:
            raise ValueError(f"not a timecode: {_short(value)} (expected HH:MM:SS.mmm or seconds)")
        try:
            secs = Fraction(Decimal(match["s"].replace(",", ".")))
        except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
            raise ValueError(f"not a timecode: {value!r}") from exc
        minutes = int(match["m"] or 0)
        if match["m"] is not None and match["h"] is not None and minutes >= 60:
            raise ValueError(f"not a timecode: {value!r} (minutes must be below 60)")
        if match["m"] is not None and secs >= 60:
            raise ValueError(f"not a timecode: {value!r} (seconds must be below 60)")
        result = int(match["h"] or 0) * 3600 + minutes * 60 + secs
    else:
        raise ValueError(f"not a time: {value!r}")
    if result < 0:
        raise ValueError(f"time must not be negative: {_short(value)}")
    if result > MAX_TIME:
        raise ValueError(f"time past 24 hours: {_short(value)}")
    return Fraction(result)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def merge_spans(spans: Iterable[tuple[Fraction, Fraction]]) -> list[tuple[Fraction, Fraction]]:
    """Time spans ``(start, end)`` in order with touching or overlapping ones joined."""
    out: list[tuple[Fraction, Fraction]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def parse_rate(value: str | int | float | Fraction) -> Fraction:
    """Parse a frame rate: ``30``, ``29.97``, ``30000/1001``."""
    if isinstance(value, Fraction):
        rate = value
    elif isinstance(value, str) and "/" in value:
        num, den = value.split("/", 1)
        rate = Fraction(int(num), int(den))
    elif str(value) in _COMMON_RATES:
        rate = _COMMON_RATES[str(value)]
    else:
        rate = parse_time(value)
    if rate <= 0:
        raise ValueError(f"frame rate must be positive: {value!r}")
    return rate


def to_frames(t: Fraction, fps: Fraction) -> int:
    """The whole number of frames nearest to ``t`` seconds (half rounds up)."""
    return math.floor(t * fps + Fraction(1, 2))


def frames_to_time(frames: int, fps: Fraction) -> Fraction:
    """Exact start time of frame number ``frames``."""
    return Fraction(frames) / fps


def snap(t: Fraction, fps: Fraction) -> Fraction:
    """``t`` moved to the nearest frame boundary of ``fps``."""
    return frames_to_time(to_frames(t, fps), fps)


def to_ms(t: Fraction) -> int:
    """Seconds to whole milliseconds, half up (subtitle formats count in milliseconds)."""
    return int((t * 1000 + Fraction(1, 2)) // 1)


def format_timecode(t: Fraction | float, *, millis: bool = True) -> str:
    """``HH:MM:SS.mmm`` for display and for ffmpeg arguments."""
    total_ms = math.floor(Fraction(t) * 1000 + Fraction(1, 2)) if millis else math.floor(Fraction(t)) * 1000
    hours, rest = divmod(total_ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, ms = divmod(rest, 1000)
    text = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    return f"{text}.{ms:03d}" if millis else text


def ff_seconds(t: Fraction) -> str:
    """Seconds as ffmpeg reads them: enough decimals to land inside the right frame."""
    text = f"{float(t):.6f}".rstrip("0").rstrip(".")
    return text or "0"
