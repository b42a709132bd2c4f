"""Page bytes to text, as a browser would read them, with two repairs browsers lack.

The rule (WHATWG Encoding Standard, "decode"): the declared charset, with any
byte sequence that is invalid in it replaced by U+FFFD. So a UTF-8 page with one
stray latin-1 byte in its footer stays UTF-8, one character replaced, rather
than turning every "í" of the article into "Ã­".

The repairs, for CMS migrations: a page that declares a single-byte charset
(latin-1, cp1252) but holds valid UTF-8 is read as UTF-8; a page that declares
UTF-8 (or nothing) but whose invalid byte sequences outnumber its valid UTF-8
characters is cp1252 text and read as such. Without a declaration, UTF-8.
"""

from __future__ import annotations

import codecs
import re

_DECLARED = re.compile(rb"""charset\s*=\s*["']?([\w.:-]+)|<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)""", re.I)
_SINGLE_BYTE = {"cp1252", "iso8859-15"}
_NON_ASCII = re.compile("[^\x00-\x7f\ufffd]")


class BinaryPage(ValueError):
    """NUL or control bytes: an image or archive served as text/html."""


def decode(raw: bytes) -> str:
    """The page as text (see the module notes); BinaryPage for binary data."""
    if looks_binary(raw):
        raise BinaryPage("the page is binary data, not HTML")
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            return raw.decode(encoding, "replace")
    declared = _declared(raw[:2048])
    valid, invalid = _utf8_counts(raw)
    if declared in _SINGLE_BYTE:
        encoding = "utf-8" if valid and not invalid else declared
    elif declared in (None, "utf-8"):
        encoding = "utf-8" if valid >= invalid else "cp1252"
    else:
        encoding = declared
    return raw.decode(encoding, "replace")


def _declared(head: bytes) -> str | None:
    """The charset named in a <meta> or XML declaration, normalised by Python's codec registry."""
    found = _DECLARED.search(head)
    if not found:
        return None
    name = (found.group(1) or found.group(2)).decode("ascii")
    try:
        normal = codecs.lookup(name).name
    except LookupError:
        return None
    return "cp1252" if normal in ("iso8859-1", "ascii") else normal  # WHATWG: these labels mean windows-1252


def _utf8_counts(raw: bytes) -> tuple[int, int]:
    """(valid multi-byte UTF-8 characters, invalid sequences) in `raw`; exact counts only when invalid."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("utf-8", "replace")
        return len(_NON_ASCII.findall(text)), text.count("\ufffd") - raw.count("\ufffd".encode("utf-8"))
    return (0 if raw.isascii() else 1), 0


def looks_binary(raw: bytes) -> bool:
    """NUL bytes or mostly control bytes in the first 4 KB."""
    sample = raw[:4096]
    if not sample:
        return False
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return control / len(sample) > 0.05
