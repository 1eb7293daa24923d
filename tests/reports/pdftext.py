"""Read back the text of an uncompressed fpdf2 PDF (2-byte glyph codes mapped by ToUnicode)."""

from __future__ import annotations

import re

ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(raw: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(raw):
        c = raw[i : i + 1]
        if c != b"\\":
            out += c
            i += 1
            continue
        nxt = raw[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(), 8) & 0xFF)
            i += 1 + len(octal.group())
        else:
            out += ESCAPES.get(nxt, nxt)
            i += 2
    return bytes(out)


def _cmap(stream: bytes) -> dict[int, str]:
    cmap: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            cmap[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    return cmap


def pdf_text(data: bytes) -> str:
    """Every string drawn with Tj, one per line, decoded through its font's ToUnicode map."""
    objects = {int(n): body for n, body in re.findall(rb"(\d+) 0 obj(.*?)endobj", data, re.S)}
    fonts: dict[bytes, dict[int, str]] = {}
    for name, ref in re.findall(rb"/(F\d+) (\d+) 0 R", data):
        to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", objects.get(int(ref), b""))
        if to_unicode:
            fonts[name] = _cmap(objects[int(to_unicode.group(1))])
    lines, cmap = [], {}
    token = re.compile(rb"/(F\d+) [\d.]+ Tf|\(((?:[^\\)]|\\.)*)\) Tj", re.S)
    for match in token.finditer(data):
        if match.group(1):
            cmap = fonts.get(match.group(1), {})
            continue
        codes = _unescape(match.group(2))
        chars = [int.from_bytes(codes[i : i + 2], "big") for i in range(0, len(codes) - 1, 2)]
        lines.append("".join(cmap.get(c, "") for c in chars))
    return "\n".join(lines)
