"""Make the rough cut's committed filler clips with espeak-ng (as ``tests/media/make_speech.py`` does).

Run from the repository root (needs ``espeak-ng``)::

    /work/main/.venv/bin/python tests/roughcut/make_media.py

It writes ``tests/media/rc_*.opus``: hesitation sounds ("ähm", "äh") that the rough-cut tests
join between the speech clips. They stay out of ``speech.json``, which lists the clips the
caption benchmark scores (a filler has no caption text to score). The tests read the files;
they never run this script.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from tests.media.make_speech import Spec, make  # noqa: E402

CLIPS: dict[str, Spec] = {
    "rc_aehm": Spec("de+m3", "de", "", spoken="ähm", speed=80, set="roughcut"),
    "rc_aeh": Spec("de", "de", "", spoken="äh", speed=80, set="roughcut"),
}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for stem, spec in CLIPS.items():
            out = make(stem, spec, Path(tmp))
            print(f"{out.name}: {out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
