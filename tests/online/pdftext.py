"""Reading a PDF's page text back in tests: its content streams, uncompressed."""

from __future__ import annotations

import base64
import re
import zlib

_STREAM = re.compile(rb"<<(.*?)>>\s*stream\r?\n(.*?)endstream", re.S)


def content_streams(pdf: bytes) -> bytes:
    """Every stream of `pdf`, decoded (ASCII85 and Flate filters), joined."""
    out = []
    for head, data in _STREAM.findall(pdf):
        if b"/ASCII85Decode" in head:
            data = data.strip()
            data = base64.a85decode(data[:-2] if data.endswith(b"~>") else data)
        if b"/FlateDecode" in head:
            data = zlib.decompress(data)
        out.append(data)
    return b"\n".join(out)
