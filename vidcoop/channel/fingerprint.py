"""Perceptual fingerprints of pictures, so a partner's logo is known by what it shows.

A file name or a manifest label says nothing about what is on screen: a
partner's logo copied to ``footage/team-logo.png``, re-saved as JPEG, scaled
or trimmed a little is still that partner's logo. A :class:`Fingerprint` is
two 256-bit hashes of the picture after it is *normalised*:

1. transparent pixels are laid over a fixed white background (a logo on a
   transparent canvas and the same logo exported on white look the same;
   partner assets with transparency are indexed over black as well);
2. the picture is trimmed to its content: rows and columns at the edges that
   differ from the corner colour by no more than :data:`TRIM_TOLERANCE` go, so
   extra margin, padding, a different canvas size or a small crop matter little;
3. it is turned grey and scaled to a small fixed size (the hashes are taken
   from that, so a resize from 50 % to 200 % changes almost nothing).

The two hashes are a *difference hash* (dHash: is each pixel of a 17x16 grey
thumbnail brighter than its right neighbour) and a *DCT hash* (pHash: is each
of the 16x16 lowest frequencies of a 64x64 thumbnail above their median). Two
pictures match when *both* hashes differ in at most :data:`MAX_DISTANCE`
bits of 256. Measured on the example channel (``tests/channel/test_fingerprint.py``
tests both ways): a copy, a JPEG at quality 70, a resize to 50-200 % and a 5 %
crop stay within 19 bits; another partner's asset, the channel's own logo and
cards, other organisations' logos and footage frames are 64 bits or more away.
A picture that only *contains* a small partner logo somewhere (a frame of
footage with a poster in the back) is not recognised: the rule is about the
partner's own assets being used.

Everything here is numpy and Pillow; nothing is downloaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

#: Background that transparent pixels are laid over before hashing.
BACKGROUND = (255, 255, 255)
#: A partner asset with transparency is also indexed over this one (a logo pasted on black).
DARK_BACKGROUND = (0, 0, 0)
#: Edge pixels within this distance (0..255 per channel) of the corner colour are trimmed away.
TRIM_TOLERANCE = 40
#: Each hash is SIDE x SIDE bits.
SIDE = 16
BITS = SIDE * SIDE
#: A match: both hashes differ in at most this many of their 256 bits (about 16 %).
MAX_DISTANCE = 40


@dataclass(frozen=True)
class Fingerprint:
    """A dHash and a DCT hash (:data:`BITS` bits each) of a normalised picture."""

    dhash: int
    phash: int

    def distance(self, other: Fingerprint) -> int:
        """The larger of the two Hamming distances (0 = the same picture)."""
        return max(_bits(self.dhash ^ other.dhash), _bits(self.phash ^ other.phash))

    def matches(self, other: Fingerprint, max_distance: int = MAX_DISTANCE) -> bool:
        return self.distance(other) <= max_distance

    def to_hex(self) -> str:
        width = BITS // 4
        return f"{self.dhash:0{width}x}{self.phash:0{width}x}"

    @classmethod
    def from_hex(cls, text: str) -> Fingerprint:
        width = BITS // 4
        if len(text) != 2 * width:
            raise ValueError(f"a fingerprint has {2 * width} hex digits, not {len(text)}")
        return cls(int(text[:width], 16), int(text[width:], 16))


def _bits(n: int) -> int:
    return bin(n).count("1")


def has_alpha(image: Any) -> bool:
    """Whether a Pillow image has an alpha channel or a transparent palette colour."""
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def flatten(image: Any, background: tuple[int, int, int] = BACKGROUND) -> Any:
    """The picture in RGB, transparent parts laid over ``background``."""
    from PIL import Image

    img = image
    if has_alpha(img):
        rgba = img.convert("RGBA")
        flat = Image.new("RGBA", rgba.size, (*background, 255))
        flat.alpha_composite(rgba)
        return flat.convert("RGB")
    return img.convert("RGB")


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


def fingerprint(image: Any, background: tuple[int, int, int] = BACKGROUND) -> Fingerprint:
    """The :class:`Fingerprint` of a Pillow image (any mode, any size), alpha over ``background``."""
    import numpy as np
    from PIL import Image

    if max(image.size) > 512:  # the hashes need 64x64 at most; a smaller copy trims and scales much faster
        image = image.copy()
        image.thumbnail((512, 512), reducing_gap=2.0)
    flat = flatten(image, background)
    grey = trim(flat).convert("L")
    small = np.asarray(grey.resize((SIDE + 1, SIDE), Image.Resampling.LANCZOS), dtype=np.float64)
    dbits = (small[:, 1:] > small[:, :-1]).ravel()
    big = np.asarray(grey.resize((4 * SIDE, 4 * SIDE), Image.Resampling.LANCZOS), dtype=np.float64)
    dct = _dct_matrix(4 * SIDE)
    low = (dct @ big @ dct.T)[:SIDE, :SIDE].ravel()
    pbits = low > np.median(low[1:])  # the DC term (overall brightness) would skew the median
    return Fingerprint(_pack(dbits), _pack(pbits))


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
