"""Which partners fill this week's slots, so that exposure evens out over time.

The partner with the fewest bumper slots in past reports goes first, then
the one with the fewest seconds of job cards, then the least total screen
time; ties break by partner id so the same history always gives the same
answer. Counting slots first keeps the slot counts within one of each other
over any run of weeks, even when one partner's bumper runs longer. With more
slots than partners, the order repeats.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from vidcoop.channel.config import Partner
from vidcoop.channel.report import partner_totals


def rotation(partners: Sequence[str | Partner], past_reports: Iterable[Mapping[str, Any]], slots: int) -> list[str]:
    """Partner ids for ``slots`` slots, least-exposed first.

    Args:
        partners: The partners taking part (ids or :class:`Partner`); others in
            the reports are ignored.
        past_reports: Earlier audit reports (dicts as written by ``write_report``).
        slots: How many bumpers this week's episodes take in total.

    Raises:
        ValueError: for a negative slot count or no partners with slots to fill.
    """
    if slots < 0:
        raise ValueError(f"slots must not be negative, got {slots}")
    ids = sorted({p.id if isinstance(p, Partner) else p for p in partners})
    if slots == 0:
        return []
    if not ids:
        raise ValueError("no partners to fill the slots")
    totals = partner_totals(past_reports, ids)
    ranked = sorted(ids, key=lambda pid: (totals[pid].bumper_slots, round(totals[pid].card_seconds, 3),
                                          round(totals[pid].seconds, 3), pid))
    return [ranked[i % len(ranked)] for i in range(slots)]
