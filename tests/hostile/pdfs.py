"""Hand-built PDFs for the upload tests: objects placed plainly or inside a
compressed object stream, every stream behind any chain of the standard filters,
with a real cross-reference (a table, or a stream when objects are compressed)."""

import base64
import zlib

CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>"
CONTENT = b"0 0 m 100 100 l S"


def ascii_hex(data):
    return data.hex().encode() + b">"


def ascii_85(data):
    return base64.a85encode(data) + b"~>"


def run_length(data):
    """Short literal runs (so no name survives whole in the encoded bytes)."""
    out = bytearray()
    for start in range(0, len(data), 2):
        chunk = data[start : start + 2]
        out += bytes([len(chunk) - 1]) + chunk
    return bytes(out + b"\x80")


def lzw(data):
    """LZW as PDF reads it (EarlyChange 1): literal 9-bit codes, the table cleared
    before it would widen the codes."""
    codes = [256]
    for index, byte in enumerate(data):
        if index and index % 200 == 0:
            codes.append(256)
        codes.append(byte)
    codes.append(257)
    bits = "".join(format(code, "09b") for code in codes)
    bits += "0" * (-len(bits) % 8)
    return int(bits, 2).to_bytes(len(bits) // 8, "big")


ENCODERS = {
    "/ASCIIHexDecode": ascii_hex,
    "/ASCII85Decode": ascii_85,
    "/LZWDecode": lzw,
    "/RunLengthDecode": run_length,
    "/FlateDecode": zlib.compress,
}


def encode(data, filters):
    """Data encoded so that decoding with `filters` (in order) gives it back."""
    for name in reversed(filters):
        data = ENCODERS[name](data)
    return data


def stream(data, filters=(), extra=b""):
    """The body of a stream object: its dictionary and the encoded data."""
    encoded = encode(data, filters)
    names = b"[" + b" ".join(f.encode() for f in filters) + b"]" if filters else b"null"
    return (
        b"<< /Length %d /Filter %s %s >>\nstream\n" % (len(encoded), names, extra) + encoded + b"\nendstream"
    )


def build(objects, compressed=(), filters=("/FlateDecode",), trailer=b""):
    """A PDF of `objects` ({number: body}); those numbered in `compressed` go into
    one object stream encoded with `filters`, indexed by a cross-reference stream."""
    objects = dict(objects)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    size = max(objects) + 1
    if compressed:
        objstm_number, xref_number = size, size + 1
        size += 2
        heads, bodies, position = [], b"", 0
        for number in compressed:
            heads.append(b"%d %d" % (number, position))
            body = objects[number] + b"\n"
            bodies += body
            position += len(body)
        head = b" ".join(heads) + b"\n"
        objects[objstm_number] = stream(
            head + bodies, filters, b"/Type /ObjStm /N %d /First %d" % (len(compressed), len(head))
        )
    for number in sorted(objects):
        if number in compressed:
            continue
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    if not compressed:
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % size
        for number in range(1, size):
            out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
        out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\n" % (size, trailer)
    else:
        xref = len(out)
        rows = bytearray()
        for number in range(size):
            if number in offsets:
                rows += bytes([1]) + offsets[number].to_bytes(3, "big") + b"\0\0"
            elif number in compressed:
                rows += (
                    bytes([2])
                    + objstm_number.to_bytes(3, "big")
                    + list(compressed).index(number).to_bytes(2, "big")
                )
            elif number == xref_number:
                rows += bytes([1]) + xref.to_bytes(3, "big") + b"\0\0"
            else:
                rows += b"\0\0\0\0\0\xff"
        data = zlib.compress(bytes(rows))
        out += (
            b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 3 2] /Root 1 0 R %s /Length %d /Filter /FlateDecode >>\nstream\n"
            % (xref_number, size, trailer, len(data))
            + data
            + b"\nendstream\nendobj\n"
        )
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def document(catalog=CATALOG, page=PAGE, more=None, compressed=(), filters=("/FlateDecode",), trailer=b""):
    """A one-page document with `more` objects (numbered from 5); the catalog and
    page can be replaced to carry an action."""
    objects = {1: catalog, 2: PAGES, 3: page, 4: stream(CONTENT, ("/FlateDecode",))}
    objects.update(more or {})
    return build(objects, compressed=compressed, filters=filters, trailer=trailer)
