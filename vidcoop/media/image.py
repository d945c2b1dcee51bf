"""Still images: size from the header, with limits, before anyone decodes them.

Every image a user names (overlays, kit logos, partner logos) is checked here
first, so a 30000x30000 PNG is refused with a line naming the file and field
instead of Pillow's ``DecompressionBombError`` or ffmpeg running out of memory.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from vidcoop.errors import ManifestError, MediaError

#: Larger sides are refused: no overlay or logo needs more than a 16K image.
MAX_IMAGE_SIDE = 16384


def image_size(path: str | Path, field: str | None = None) -> tuple[int, int]:
    """Pixel size of an image file (only its header is read).

    Raises:
        MediaError: the file is missing, not an image, or larger than MAX_IMAGE_SIDE.
    """
    from PIL import Image, UnidentifiedImageError  # lazy

    p = Path(path)
    try:
        found = p.is_file()
    except OSError as exc:  # a name too long for the file system, say
        raise MediaError(f"cannot open the image ({exc.strerror})", path=p, field=field) from None
    if not found:
        raise MediaError("image not found", path=p, field=field)
    too_big = MediaError(f"image is too large (at most {MAX_IMAGE_SIDE}x{MAX_IMAGE_SIDE} pixels)", path=p, field=field)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(p) as im:
                width, height = im.size
                animated_webp = im.format == "WEBP" and getattr(im, "is_animated", False)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_big from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise MediaError(f"not a readable image ({exc})", path=p, field=field) from None
    if animated_webp:  # ffmpeg cannot decode it: the render would fail on "corrupt" data
        raise MediaError("animated WebP is not supported", path=p, field=field, hint="convert it to PNG")
    if max(width, height) > MAX_IMAGE_SIDE:
        raise too_big
    if min(width, height) < 1:
        raise MediaError("image has no pixels", path=p, field=field)
    return int(width), int(height)


def checked_image(image: Path, config: str | Path, field: str) -> Path:
    """``image`` after :func:`image_size` accepted it; errors name the config file that names it."""
    try:
        image_size(image)
    except MediaError as exc:
        raise ManifestError(f"{image.name}: {exc.message}", path=config, field=field) from None
    return image
