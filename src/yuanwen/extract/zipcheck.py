"""Zip-based inputs (.docx, .odt) inflated once under caps before any library opens them.

A zip member may claim a small size and inflate to gigabytes (a "zip bomb"): python-docx and
LibreOffice read whole members, so every member is streamed here first, its declared and its
actual inflated size checked against a total cap and a ratio limit.
"""

from __future__ import annotations

import io
import zipfile

from yuanwen.errors import InputError

# All members inflated together. The largest real .docx in our tests (a 300-page booklet with
# images) inflates to ~40 MB; python-docx then holds about 3 times the XML in memory.
MAX_INFLATED = 200 * 1024 * 1024
# Members that inflate more than this many times their compressed size are refused once they
# pass RATIO_GRACE: Word's XML compresses 5-20 times, repeated table markup up to ~60; a bomb
# reaches deflate's limit of ~1,000. Apache POI's ZipSecureFile uses the same 1:100.
MAX_RATIO = 100
RATIO_GRACE = 1024 * 1024
# A Word file has a few dozen parts; tens of thousands are a file built to exhaust memory.
MAX_MEMBERS = 10_000
_CHUNK = 64 * 1024


def checked_zip(data: bytes, name: str) -> None:
    """Refuse a zip whose members, declared or inflated, exceed the caps; one line says which."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise InputError(f"压缩文件的成员过多（{len(members)} 个，上限 {MAX_MEMBERS}）：{name}")
            if sum(member.file_size for member in members) > MAX_INFLATED:
                raise _bomb(name)
            total = 0
            for member in members:
                total += _inflated(archive, member, MAX_INFLATED - total, name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as error:
        # RuntimeError: an encrypted member; NotImplementedError: a compression zipfile lacks.
        raise InputError(f"文件已损坏（zip 结构无法读取，Word 文档须为完整的 .docx）：{name}") from error
    except ValueError as error:  # zlib's own errors on corrupt deflate streams
        raise InputError(f"文件已损坏（zip 成员无法解压）：{name}") from error


def _inflated(archive: zipfile.ZipFile, member: zipfile.ZipInfo, room: int, name: str) -> int:
    """The member's inflated size, streamed: stop as soon as it passes the room left or the ratio."""
    size = 0
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            too_dense = size > RATIO_GRACE and size > MAX_RATIO * max(member.compress_size, 1)
            if size > room or too_dense:
                raise _bomb(name)
    return size


def _bomb(name: str) -> InputError:
    limit = MAX_INFLATED // (1024 * 1024)
    return InputError(f"压缩文件解压后过大（超过 {limit} MB 或压缩比超过 {MAX_RATIO} 倍，可能是压缩炸弹）：{name}")
