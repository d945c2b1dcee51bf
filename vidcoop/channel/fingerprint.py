"""Perceptual fingerprints of pictures, so a partner's logo is known by what it shows.

A file name or a manifest label says nothing about what is on screen: a
partner's logo copied to ``footage/team-logo.png``, re-saved as JPEG, scaled
or trimmed a little is still that partner's logo. A :class:`Fingerprint` is
a pair of 64-bit hashes of the picture after it is *normalised*, taken twice:
once of the whole picture and once of its content trimmed as in step 2 (a
full-frame card is known by the whole, a logo with a margin by its content):

1. transparent pixels are laid over a fixed white background (a logo on a
   transparent canvas and the same logo exported on white look the same);
2. the picture is trimmed to its content: rows and columns at the edges that
   differ from the corner colour by no more than :data:`TRIM_TOLERANCE` go, so
   extra margin, padding or a different canvas size do not matter;
3. it is turned grey and scaled to a small fixed size (the hashes are taken
   from that, so a resize from 50 % to 200 % changes almost nothing).

The two hashes are a *difference hash* (dHash: is each pixel of a 9x8 grey
thumbnail brighter than its right neighbour) and a *DCT hash* (pHash: is each
of the 8x8 lowest frequencies of a 32x32 thumbnail above their median). Two
pictures match when *both* hashes differ in at most :data:`MAX_DISTANCE`
bits of 64; requiring both keeps unrelated pictures with a similar layout
apart (the thresholds are tested both ways in ``tests/channel/test_fingerprint.py``).

Everything here is numpy and Pillow; nothing is downloaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

#: Background that transparent pixels are laid over before hashing.
BACKGROUND = (255, 255, 255)
#: Edge pixels within this distance (0..255 per channel) of the corner colour are trimmed away.
TRIM_TOLERANCE = 40
#: A match: both hashes differ in at most this many of their 64 bits.
MAX_DISTANCE = 10


@dataclass(frozen=True)
class Hashes:
    """A dHash and a pHash (64 bits each) of one normalised picture."""

    dhash: int
    phash: int

    def distance(self, other: Hashes) -> int:
        """The larger of the two Hamming distances (0 = the same picture)."""
        return max(_bits(self.dhash ^ other.dhash), _bits(self.phash ^ other.phash))


@dataclass(frozen=True)
class Fingerprint:
    """The hashes of a picture's content trimmed of flat margins, and of the whole picture.

    ``whole`` is None for a picture with transparent parts (a logo): its canvas
    size is arbitrary, so only its content counts.
    """

    trimmed: Hashes
    whole: Hashes | None = None

    def distance(self, other: Fingerprint) -> int:
        """How far apart two pictures look: the closer of trimmed-to-trimmed and whole-to-whole."""
        best = self.trimmed.distance(other.trimmed)
        if self.whole is not None and other.whole is not None:
            best = min(best, self.whole.distance(other.whole))
        return best

    def matches(self, other: Fingerprint, max_distance: int = MAX_DISTANCE) -> bool:
        return self.distance(other) <= max_distance

    def to_hex(self) -> str:
        parts = [self.trimmed] + ([self.whole] if self.whole is not None else [])
        return "".join(f"{h.dhash:016x}{h.phash:016x}" for h in parts)

    @classmethod
    def from_hex(cls, text: str) -> Fingerprint:
        v = [int(text[i : i + 16], 16) for i in range(0, len(text), 16)]
        return cls(Hashes(v[0], v[1]), Hashes(v[2], v[3]) if len(v) == 4 else None)


def _bits(n: int) -> int:
    return bin(n).count("1")


def flatten(image: Any) -> tuple[Any, bool]:
    """The picture in RGB, transparent parts laid over :data:`BACKGROUND`, and whether it had any."""
    from PIL import Image

    img = image
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        lowest, _ = rgba.getchannel("A").getextrema()
        flat = Image.new("RGBA", rgba.size, (*BACKGROUND, 255))
        flat.alpha_composite(rgba)
        return flat.convert("RGB"), lowest < 255
    return img.convert("RGB"), False


def trim(img: Any) -> Any:
    """An RGB picture cut to its content: edge rows/columns close to the corner colour go.

    A picture with nothing left after trimming (one flat colour) is returned as it is.
    """
    import numpy as np

    pixels = np.asarray(img, dtype=np.int16)
    corner = np.median(np.stack([pixels[0, 0], pixels[0, -1], pixels[-1, 0], pixels[-1, -1]]), axis=0)
    content = np.abs(pixels - corner).max(axis=2) > TRIM_TOLERANCE
    rows = np.flatnonzero(content.any(axis=1))
    cols = np.flatnonzero(content.any(axis=0))
    if rows.size == 0 or cols.size == 0:
        return img
    return img.crop((int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1))


def fingerprint(image: Any) -> Fingerprint:
    """The :class:`Fingerprint` of a Pillow image (any mode, any size)."""
    flat, transparent = flatten(image)
    if max(flat.size) > 512:  # hashing needs 32x32; a smaller copy trims and scales much faster
        flat.thumbnail((512, 512))
    return Fingerprint(_hashes(trim(flat)), None if transparent else _hashes(flat))


def _hashes(img: Any) -> Hashes:
    import numpy as np
    from PIL import Image

    grey = img.convert("L")
    small = np.asarray(grey.resize((9, 8), Image.Resampling.LANCZOS), dtype=np.float64)
    dbits = (small[:, 1:] > small[:, :-1]).ravel()
    big = np.asarray(grey.resize((32, 32), Image.Resampling.LANCZOS), dtype=np.float64)
    dct = _dct_matrix(32)
    low = (dct @ big @ dct.T)[:8, :8].ravel()
    pbits = low > np.median(low[1:])  # the DC term (overall brightness) would skew the median
    return Hashes(_pack(dbits), _pack(pbits))


def fingerprint_array(frame: Any) -> Fingerprint:
    """The fingerprint of an ``H x W x 3`` (or 4) uint8 frame, e.g. a moviepy clip's ``get_frame``."""
    import numpy as np
    from PIL import Image

    data = np.ascontiguousarray(frame)
    if data.dtype != np.uint8:
        data = np.clip(data, 0, 255).astype(np.uint8)
    return fingerprint(Image.fromarray(data))


def _pack(bits: Any) -> int:
    value = 0
    for bit in bits:
        value = (value << 1) | int(bool(bit))
    return value


@cache
def _dct_matrix(n: int) -> Any:
    """The orthonormal DCT-II matrix of size ``n`` (rows: frequencies)."""
    import numpy as np

    k = np.arange(n)[:, None]
    i = np.arange(n)[None, :]
    m = np.cos(np.pi * (2 * i + 1) * k / (2 * n)) * np.sqrt(2 / n)
    m[0] /= np.sqrt(2)
    return m
