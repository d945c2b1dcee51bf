"""What the studio keeps between requests: one week, its caches and its preview jobs."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop.studio.partner_access import FailureLimit
from vidcoop.studio.previews import Previews
from vidcoop.studio.roughcut import Sources
from vidcoop.studio.week import WeekView


@dataclass
class Studio:
    """The state of one studio (one week manifest).

    Attributes:
        week_path: The week manifest.
        lang: The pages' language (``de`` or ``en``).
        token: The access token when serving beyond this machine, else None.
        csrf: The token every POST carries in ``X-CSRF-Token``.
        lock: One save or review at a time in this process (other processes: the file locks).
    """

    week_path: Path
    lang: str = "de"
    token: str | None = None
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    lock: threading.RLock = field(default_factory=threading.RLock)
    previews: Previews = field(default_factory=Previews)
    sources: Sources = field(default_factory=Sources)  # the Rohschnitt view's transcriptions
    durations: dict[str, Fraction | None] = field(default_factory=dict)
    cue_cache: dict[tuple[str, str], Any] = field(default_factory=dict)
    view: WeekView | None = None
    partner_key: bytes = field(default_factory=lambda: secrets.token_bytes(32))  # signs partner CSRF tokens
    token_failures: FailureLimit = field(default_factory=FailureLimit)  # failed partner links per address
    partner_cache: dict[str, Any] = field(default_factory=dict)  # the partner store, the board's channel

    def week(self, fresh: bool = True) -> WeekView:
        """The week as it is on disk now (hashes reused while files are unchanged).

        ``fresh=False`` returns the last loaded view: for requests a page makes right after
        loading (its JSON, the track, progress polls), so they do not re-read every file.
        """
        with self.lock:
            if self.view is None:
                self.view = WeekView(self.week_path)
            elif not fresh and self.view.week is not None:
                return self.view
            return self.view.refresh()

    def roots(self) -> list[Path]:
        """The folders media may come from: the week's folder tree and its output folder."""
        view = self.view or self.week()
        assert view.week is not None
        return [view.week.path.parent.resolve(), view.week.output.resolve()]
