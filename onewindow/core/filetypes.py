"""What an uploaded file really is, from its first bytes (its "magic"), checked against the type
its name and its declared content type claim (issue 12 §5): a script renamed to .pdf, or a PDF
sent as image/png, is refused with a message saying what to fix.

OFD (GB/T 33190) and the Office Open XML formats (docx, xlsx) are ZIP containers; the older
Office formats (doc, xls) are OLE2 compound files.
"""

from __future__ import annotations

from typing import IO

PDF = b"%PDF-"
JPEG = b"\xff\xd8\xff"
PNG = b"\x89PNG\r\n\x1a\n"
ZIP = b"PK\x03\x04"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# extension -> (the magic its content starts with, the content types a client may declare)
SIGNATURES: dict[str, tuple[bytes, frozenset[str]]] = {
    "pdf": (PDF, frozenset({"application/pdf"})),
    "jpg": (JPEG, frozenset({"image/jpeg", "image/pjpeg"})),
    "jpeg": (JPEG, frozenset({"image/jpeg", "image/pjpeg"})),
    "png": (PNG, frozenset({"image/png"})),
    "ofd": (ZIP, frozenset({"application/ofd", "application/zip"})),
    "docx": (
        ZIP,
        frozenset(
            {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/zip"}
        ),
    ),
    "xlsx": (
        ZIP,
        frozenset({"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip"}),
    ),
    "doc": (OLE2, frozenset({"application/msword"})),
    "xls": (OLE2, frozenset({"application/vnd.ms-excel"})),
}
KNOWN_TYPES = frozenset(t for _magic, types in SIGNATURES.values() for t in types)


def head(file: IO[bytes], size: int = 16) -> bytes:
    """The first `size` bytes of an open file, leaving its position at the start."""
    file.seek(0)
    data = file.read(size)
    file.seek(0)
    return data if isinstance(data, bytes) else bytes(data)


def content_matches(extension: str, first_bytes: bytes) -> bool:
    """Whether content starting with `first_bytes` is a file of type `extension`."""
    signature = SIGNATURES.get(extension)
    return signature is not None and first_bytes.startswith(signature[0])


def declared_type_matches(extension: str, content_type: str) -> bool:
    """Whether a declared content type (parameters ignored) agrees with the extension. A type
    that names none of the accepted formats (application/octet-stream, text/plain: what clients
    send when they do not know) says nothing and is not held against the file; one that names
    another accepted format (a .pdf sent as image/png) disagrees. Downloads never use the declared
    type: they are attachments typed by their name."""
    declared = content_type.split(";", 1)[0].strip().lower()
    signature = SIGNATURES.get(extension)
    if declared not in KNOWN_TYPES:
        return True
    return signature is not None and declared in signature[1]
