"""Bytes to text: UTF-8 (with or without a byte-order mark) or a clear ``DecodeError``."""

from __future__ import annotations

import codecs
import re

from frontlines.errors import DecodeError

__all__ = ["declared_encoding", "decode_bytes"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_NL = b"\n"
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)


def declared_encoding(data: bytes) -> str | None:
    """The encoding an HTML ``<meta charset>`` or an XML declaration names, if any."""
    head = data[:4096]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes, *, where: str, encoding: str | None = None,
                 count_lines: bool = True) -> str:
    """Decode ``data`` as UTF-8 (a BOM is honoured and dropped) or as ``encoding``.

    ``encoding`` is one declared by the source itself (an HTTP ``charset``, an HTML
    ``<meta charset>``, an XML declaration); it is tried only when the bytes are not UTF-8.
    Anything else raises ``DecodeError`` naming the offending byte, its line (unless
    ``count_lines`` is false because ``where`` already names the line) and the fix.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(name)
            except UnicodeDecodeError as exc:
                raise _decode_error(data[len(bom):], exc, where=where, encoding=name,
                                    count_lines=count_lines) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_error = exc
    if encoding:
        try:
            if codecs.lookup(encoding).name != "utf-8":
                return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    raise _decode_error(data, first_error, where=where, encoding="utf-8",
                        count_lines=count_lines) from None


def _decode_error(data: bytes, exc: UnicodeDecodeError, *, where: str, encoding: str,
                  count_lines: bool) -> DecodeError:
    if count_lines:
        line_start = data.rfind(_NL, 0, exc.start) + 1
        place = (f"at offset {exc.start} (line {data.count(_NL, 0, exc.start) + 1}, "
                 f"column {exc.start - line_start + 1})")
    else:
        place = f"at column {exc.start + 1}"
    bad = data[exc.start:exc.start + 1].hex()
    return DecodeError(
        f"byte 0x{bad} {place} is not valid {encoding.upper()}; re-save it as UTF-8 (for "
        "example: iconv -f WINDOWS-1252 -t UTF-8 OLD > NEW, naming its real encoding)",
        where=where)
