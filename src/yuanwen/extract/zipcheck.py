"""Zip-based inputs (.docx, .odt, .ofd) inflated once under caps before any library opens them.

A zip member may claim a small size and inflate to gigabytes (a "zip bomb"): python-docx and
LibreOffice read whole members, so every member is streamed here first, its declared and its
actual inflated size checked against a total cap and a ratio limit.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from yuanwen.errors import InputError

# All members inflated together: images are kept as bytes by python-docx, so this bounds their memory.
MAX_INFLATED = 200 * 1024 * 1024
# Members that are markup (they start with "<"), which python-docx parses into trees: lxml takes 9 to
# 20 times the XML's size (measured: 50 MB of paragraphs, 441 MB; 50 MB of empty <w:p/>, 1 GB), and
# `yuanwen extract` of 31 MB of tiny random elements peaked at 1.08 GB. The whole corpus (2.2 MB of
# text, 42 official texts) as one .docx is 3.4 MB of XML: 20 MB is some 13 times that.
MAX_MARKUP = 20 * 1024 * 1024
# A member that inflates more than this many times its compressed size, once past RATIO_GRACE, is a
# bomb: Word's XML compresses 5-30 times (the corpus .docx: at most 32), a bomb up to deflate's ~1,000;
# 20,000 identical one-character paragraphs reach 267 in 1.9 MB, which the grace lets through.
MAX_RATIO = 100
RATIO_GRACE = 8 * 1024 * 1024
# A Word file has a few dozen parts; tens of thousands are a file built to exhaust memory.
MAX_MEMBERS = 10_000
_CHUNK = 64 * 1024
_XML_START = re.compile(rb"^(\xef\xbb\xbf|\xff\xfe|\xfe\xff|\x00|\s)*<")


def checked_zip(data: bytes, name: str) -> None:
    """Refuse a zip whose members, declared or inflated, exceed the caps; one line says which."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise InputError(f"压缩文件的成员过多（{len(members)} 个，上限 {MAX_MEMBERS}）：{name}")
            if sum(member.file_size for member in members) > MAX_INFLATED:
                raise _bomb(name)
            total = markup = 0
            for member in members:
                size, is_markup = _inflated(archive, member, MAX_INFLATED - total, name)
                total += size
                markup += size if is_markup else 0
                if markup > MAX_MARKUP:
                    raise InputError(f"文档内容过大（解压后的 XML 超过 {MAX_MARKUP >> 20} MB）：{name}")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as error:
        # RuntimeError: an encrypted member; NotImplementedError: a compression zipfile lacks.
        raise InputError(f"文件已损坏（zip 结构无法读取，Word 与 OFD 文档须为完整的文件）：{name}") from error
    except (zlib.error, ValueError) as error:  # a corrupt deflate stream; an offset before the file's start
        raise InputError(f"文件已损坏（zip 成员无法解压）：{name}") from error


def _inflated(archive: zipfile.ZipFile, member: zipfile.ZipInfo, room: int, name: str) -> tuple[int, bool]:
    """The inflated size, streamed (stopping once past the room left or the ratio), and whether it is markup."""
    size = 0
    is_markup = False
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            is_markup = is_markup or (size == 0 and _XML_START.match(chunk) is not None)
            size += len(chunk)
            too_dense = size > RATIO_GRACE and size > MAX_RATIO * max(member.compress_size, 1)
            if size > room or too_dense:
                raise _bomb(name)
    return size, is_markup


def _bomb(name: str) -> InputError:
    return InputError(f"压缩文件解压后过大（或压缩比超过 {MAX_RATIO} 倍），可能是压缩炸弹：{name}")
