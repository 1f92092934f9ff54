"""Photos or scans of pages (PNG, JPEG, TIFF), in order → Document, each page read by OCR."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from yuanwen.errors import InputError
from yuanwen.extract.ocr import PagePool, require_ocr
from yuanwen.extract.pages import require_pages
from yuanwen.extract.scan import assemble
from yuanwen.model import Document

if TYPE_CHECKING:
    from PIL.Image import Image

# A page photographed at 600 dpi has 35 million pixels; an image far larger is a decompression
# bomb (a small file that unpacks to gigabytes), not a page.
MAX_PIXELS = 60_000_000


def read_image_document(files: Sequence[tuple[bytes, str]], name: str) -> Document:
    """Pages from image files in order (a TIFF may hold several), read by OCR."""
    require_ocr(name)
    require_pages(sum(_count(data, file_name) for data, file_name in files), name)
    with PagePool() as pool:
        reading = [pool.submit(image) for data, file_name in files for image in _pages(data, file_name)]
        return assemble([page.result() for page in reading], name, "image")


def _count(data: bytes, name: str) -> int:
    """The pages of an image file, counted from its headers before any page is unpacked."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            return int(getattr(image, "n_frames", 1))
    except (UnidentifiedImageError, Image.DecompressionBombError) as error:
        raise InputError(f"图片已损坏或过大，无法读取：{name}") from error
    except (OSError, SyntaxError, ValueError) as error:
        raise InputError(f"图片已损坏，无法读取：{name}") from error


def _pages(data: bytes, name: str) -> Iterator[Image]:
    """Each page of an image file, upright as its camera recorded it."""
    from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            for frame in ImageSequence.Iterator(image):
                # The size is read from the header, before any pixel is unpacked.
                if frame.width * frame.height > MAX_PIXELS:
                    raise InputError(f"图片过大（{frame.width}×{frame.height} 像素）：{name}")
                yield ImageOps.exif_transpose(frame).convert("L")
    except (UnidentifiedImageError, Image.DecompressionBombError) as error:
        raise InputError(f"图片已损坏或过大，无法读取：{name}") from error
    except (OSError, SyntaxError, ValueError) as error:
        raise InputError(f"图片已损坏，无法读取：{name}") from error
