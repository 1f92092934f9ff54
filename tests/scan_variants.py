"""Pages of a booklet as offices photograph and copy them, made deterministically from clean page images.

Each variant takes the grayscale PNG pages pdftoppm made and returns new page images: tilted,
photographed at an angle with a phone (keystone, shadow, blur, JPEG), two pages in one photo, a page
turned on its side or upside down, a copy of a copy, a fax, and a copy barely readable.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from PIL.Image import Image

Variant = Callable[[list[Path], Path], list[Path]]


def _open(png: Path) -> Image:
    from PIL import Image

    with Image.open(png) as page:
        return page.convert("L")


def _save(image: Image, folder: Path, name: str, quality: int = 85) -> Path:
    path = folder / name
    image.save(path, quality=quality)
    return path


def _noisy(pixels: np.ndarray, seed: int, sigma: float) -> Image:
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    noisy = pixels.astype(np.float32) + rng.normal(0, sigma, pixels.shape)
    return Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))


def _tilted(image: Image, degrees: float) -> Image:
    from PIL import Image as PILImage

    return image.rotate(degrees, PILImage.Resampling.BICUBIC, expand=True, fillcolor=255)


def tilt(degrees: float) -> Variant:
    """Each page turned by the given angle, one way then the other, with the noise of a scanner."""

    def make(pages: list[Path], folder: Path) -> list[Path]:
        import numpy as np

        out = []
        for i, png in enumerate(pages):
            turned = _tilted(_open(png), degrees if i % 2 == 0 else -degrees)
            out.append(_save(_noisy(np.asarray(turned), i, 8), folder, f"tilt{degrees:g}-{i}.jpg"))
        return out

    return make


def phone(pages: list[Path], folder: Path) -> list[Path]:
    """Pages photographed with a phone: tilted 6-8°, the far edge narrower, a shadow, blur, JPEG q70."""
    import cv2
    import numpy as np
    from PIL import Image, ImageFilter

    out = []
    for i, png in enumerate(pages):
        page = np.asarray(_open(png))
        h, w = page.shape
        # The top edge farther from the camera than the bottom: 6% narrower.
        corners = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
        seen = np.float32([[0.03 * w, 0.02 * h], [0.97 * w, 0.0], [w, h], [0, 0.99 * h]])
        warped = cv2.warpPerspective(page, cv2.getPerspectiveTransform(corners, seen), (w, h), borderValue=255)
        shaded = warped.astype(np.float32) * np.linspace(0.75, 1.0, w, dtype=np.float32)[None, :]
        image = _tilted(Image.fromarray(shaded.astype(np.uint8)), 6 + 2 * (i % 2))
        image = _noisy(np.asarray(image.filter(ImageFilter.GaussianBlur(0.7))), i, 6)
        out.append(_save(image, folder, f"phone-{i}.jpg", quality=70))
    return out


def spread(pages: list[Path], folder: Path) -> list[Path]:
    """Two facing pages in one photo, each at its own slight angle; a last odd page alone."""
    import numpy as np
    from PIL import Image

    out = []
    for n, start in enumerate(range(0, len(pages), 2)):
        halves = [_tilted(_open(png), 1.5 if k == 0 else -1.0) for k, png in enumerate(pages[start : start + 2])]
        if len(halves) == 1:
            out.append(_save(halves[0], folder, f"spread-{n}.jpg"))
            continue
        sheet = Image.new("L", (halves[0].width + halves[1].width, max(h.height for h in halves)), 255)
        sheet.paste(halves[0], (0, 0))
        sheet.paste(halves[1], (halves[0].width, 0))
        out.append(_save(_noisy(np.asarray(sheet), n, 6), folder, f"spread-{n}.jpg"))
    return out


def turned(pages: list[Path], folder: Path) -> list[Path]:
    """The second page turned a quarter counter-clockwise, the third a quarter clockwise (no EXIF)."""
    from PIL import Image

    turns = {1: Image.Transpose.ROTATE_90, 2: Image.Transpose.ROTATE_270}
    out = []
    for i, png in enumerate(pages):
        page = _open(png)
        out.append(_save(page.transpose(turns[i]) if i in turns else page, folder, f"turned-{i}.jpg"))
    return out


def upside_down(pages: list[Path], folder: Path) -> list[Path]:
    """The last page upside down."""
    from PIL import Image

    out = []
    for i, png in enumerate(pages):
        page = _open(png)
        flipped = page.transpose(Image.Transpose.ROTATE_180) if i == len(pages) - 1 else page
        out.append(_save(flipped, folder, f"upside-{i}.jpg"))
    return out


def copied(pages: list[Path], folder: Path) -> list[Path]:
    """A copy of a copy: faded, blurred, speckled."""
    return [_copy(png, folder, i, fade=0.55, blur=0.9, specks=0.004, name="copy") for i, png in enumerate(pages)]


def fax(pages: list[Path], folder: Path) -> list[Path]:
    """The pages as an office's fax or scanner sends them: black and white, in one multi-page TIFF (CCITT G4)."""
    from PIL import Image

    # A fax thresholds each pixel, it does not dither: strokes keep their edges, jagged.
    pixels = [
        _open(png).point(lambda v: 255 if v >= 128 else 0).convert("1", dither=Image.Dither.NONE) for png in pages
    ]
    path = folder / "fax.tif"
    pixels[0].save(path, compression="group4", save_all=True, append_images=pixels[1:])
    return [path]


def unreadable(pages: list[Path], folder: Path) -> list[Path]:
    """A copy barely readable by eye: the toner running out from left to right, smeared, dirty."""
    return [_copy(png, folder, i, fade=(0.6, 0.15), blur=1.6, specks=0.01, name="faint") for i, png in enumerate(pages)]


def _copy(
    png: Path, folder: Path, seed: int, fade: float | tuple[float, float], blur: float, specks: float, name: str
) -> Path:
    import numpy as np
    from PIL import ImageFilter

    page = _open(png).filter(ImageFilter.GaussianBlur(blur))
    left, right = fade if isinstance(fade, tuple) else (fade, fade)
    ink = 255 - np.asarray(page).astype(np.float32)
    pixels = 255 - ink * np.linspace(left, right, page.width, dtype=np.float32)[None, :]
    rng = np.random.default_rng(seed)
    pixels[rng.random(pixels.shape) < specks] = 60
    image = _noisy(pixels, seed, 10)
    return _save(image.filter(ImageFilter.GaussianBlur(0.6)), folder, f"{name}-{seed}.jpg", quality=75)


VARIANTS: dict[str, Variant] = {
    "tilt 2°": tilt(2),
    "tilt 6°": tilt(6),
    "tilt 10°": tilt(10),
    "phone": phone,
    "spread": spread,
    "turned": turned,
    "upside down": upside_down,
    "copy of a copy": copied,
    "fax": fax,
}
