"""Test photos for the poster tests, and an independent reader of posters.

`photo.py make OUT`: a JPEG as a phone writes one, with every kind of
hidden detail a poster must lose: EXIF (camera make, model and serial, the
GPS position, a maker note, orientation 6: "turn 90 degrees clockwise"),
an embedded EXIF thumbnail, XMP, IPTC, an ICC profile with a name, and a
comment. Each carries a marker (SECRET-...) a test can search bytes for.
The picture is 1200 x 800 pixels, red in its top-left corner, blue
elsewhere: turned as its orientation says, it stands 800 x 1200 with the
red corner top right.

`photo.py bomb OUT`: a PNG of a few kilobytes that decodes to 400
megapixels.

`photo.py read FILE...`: what Pillow finds in each file, as JSON: format,
size, the colour of the top-right corner, and any metadata.
"""

import io
import json
import struct
import sys

from PIL import Image

MARKERS = [
    b"SECRET-MAKE",
    b"SECRET-MODEL",
    b"SECRET-SERIAL",
    b"SECRET-MAKERNOTE",
    b"SECRET-XMP",
    b"SECRET-IPTC",
    b"SECRET-ICC",
    b"SECRET-COMMENT",
    b"SECRET-THUMB",
]

ASCII, SHORT, LONG, RATIONAL, UNDEFINED = 2, 3, 4, 5, 7


def ifd_bytes(entries, start, next_ifd=0):
    """One IFD at offset `start`: entries of (tag, type, count, data bytes);
    data longer than 4 bytes follows the IFD."""
    size = 2 + 12 * len(entries) + 4
    data = b""
    table = struct.pack("<H", len(entries))
    for tag, kind, count, value in sorted(entries):
        if len(value) <= 4:
            table += struct.pack("<HHI", tag, kind, count) + value.ljust(4, b"\0")
        else:
            table += struct.pack("<HHII", tag, kind, count, start + size + len(data))
            data += value + (b"\0" if len(value) % 2 else b"")
    table += struct.pack("<I", next_ifd)
    return table + data


def ascii(text):
    value = text.encode() + b"\0"
    return (ASCII, len(value), value)


def rationals(*pairs):
    return (RATIONAL, len(pairs), b"".join(struct.pack("<II", a, b) for a, b in pairs))


def exif(thumbnail):
    """A TIFF structure: IFD0 (make, model, orientation) with the Exif and
    GPS IFDs, then IFD1 holding the thumbnail."""
    gps = [
        (1, ASCII, 2, b"N\0"),
        (2, *rationals((43, 1), (39, 1), (3141, 100))),
        (3, ASCII, 2, b"W\0"),
        (4, *rationals((79, 1), (23, 1), (2718, 100))),
    ]
    exif_entries = [
        (0x927C, UNDEFINED, 32, b"SECRET-MAKERNOTE".ljust(32, b"\x01")),
        (0xA431, *ascii("SECRET-SERIAL-0451")),
        (0x9003, *ascii("2026:11:28 14:05:00")),
    ]

    def ifd0(exif_at, gps_at, ifd1_at):
        return [
            (0x010F, *ascii("SECRET-MAKE Phone")),
            (0x0110, *ascii("SECRET-MODEL 15 Pro")),
            (0x0112, SHORT, 1, struct.pack("<H", 6)),
            (0x8769, LONG, 1, struct.pack("<I", exif_at)),
            (0x8825, LONG, 1, struct.pack("<I", gps_at)),
        ]

    # Lay out once to learn the sizes, then for real.
    sizes = [len(ifd_bytes(ifd0(0, 0, 0), 0)), len(ifd_bytes(exif_entries, 0)), len(ifd_bytes(gps, 0))]
    at0 = 8
    at_exif = at0 + sizes[0]
    at_gps = at_exif + sizes[1]
    at1 = at_gps + sizes[2]
    ifd1_size = len(ifd_bytes([(0x0201, LONG, 1, b"\0" * 4), (0x0202, LONG, 1, b"\0" * 4)], 0))
    thumb_at = at1 + ifd1_size
    ifd1 = [
        (0x0201, LONG, 1, struct.pack("<I", thumb_at)),
        (0x0202, LONG, 1, struct.pack("<I", len(thumbnail))),
    ]
    tiff = b"II*\0" + struct.pack("<I", at0)
    tiff += ifd_bytes(ifd0(at_exif, at_gps, at1), at0, next_ifd=at1)
    tiff += ifd_bytes(exif_entries, at_exif)
    tiff += ifd_bytes(gps, at_gps)
    tiff += ifd_bytes(ifd1, at1)
    assert len(tiff) == thumb_at, (len(tiff), thumb_at)
    return tiff + thumbnail


def segment(marker, payload):
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def picture():
    image = Image.new("RGB", (1200, 800), (20, 40, 200))
    image.paste((230, 20, 20), (0, 0, 200, 200))
    return image


def make(out):
    thumb = io.BytesIO()
    picture().resize((60, 40)).save(thumb, "JPEG", quality=70, comment=b"SECRET-THUMB")
    main = io.BytesIO()
    picture().save(main, "JPEG", quality=92)
    body = main.getvalue()
    assert body[:2] == b"\xff\xd8"
    xmp = (
        b"http://ns.adobe.com/xap/1.0/\0"
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="43,39.52N" '
        b'exif:UserComment="SECRET-XMP"/></rdf:RDF></x:xmpmeta>'
    )
    iptc_record = b"\x1c\x02\x50" + struct.pack(">H", 19) + b"SECRET-IPTC byline."
    iptc = b"Photoshop 3.0\0" + b"8BIM" + struct.pack(">H", 0x0404) + b"\0\0" + struct.pack(">I", len(iptc_record)) + iptc_record
    icc_description = b"SECRET-ICC profile name"
    icc = b"ICC_PROFILE\0\x01\x01" + struct.pack(">I", 128 + len(icc_description)) + b"\0" * 124 + icc_description
    extra = (
        segment(0xE1, b"Exif\0\0" + exif(thumb.getvalue()))
        + segment(0xE1, xmp)
        + segment(0xED, iptc)
        + segment(0xE2, icc)
        + segment(0xFE, b"SECRET-COMMENT taken at the rally")
    )
    photo = body[:2] + extra + body[2:]
    with open(out, "wb") as f:
        f.write(photo)
    # What the test relies on is really there, as a reader sees it.
    read = Image.open(io.BytesIO(photo))
    tags = read.getexif()
    assert tags.get(0x0112) == 6, tags
    assert tags.get_ifd(0x8825), "GPS"
    assert tags.get_ifd(0x8769).get(0x927C), "maker note"
    assert "icc_profile" in read.info and "comment" in read.info
    assert any(marker == "APP13" for marker, _ in read.applist)
    for marker in MARKERS:
        assert marker in photo, marker


def read(path):
    image = Image.open(path)
    found = {
        "format": image.format,
        "size": list(image.size),
        "top_right": list(image.convert("RGB").getpixel((image.size[0] - 3, 2))),
        "top_left": list(image.convert("RGB").getpixel((2, 2))),
        "exif": len(image.getexif()),
        "info": sorted(k for k in image.info if k not in ("jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi", "progressive", "progression", "loop", "background", "duration", "timestamp")),
        "applist": [marker for marker, _ in getattr(image, "applist", [])],
    }
    data = open(path, "rb").read()
    found["markers"] = [m.decode() for m in MARKERS if m in data]
    return found


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    elif sys.argv[1] == "read":
        print(json.dumps([read(p) for p in sys.argv[2:]]))
    elif sys.argv[1] == "bomb":
        Image.new("1", (20000, 20000)).save(sys.argv[2], "PNG")
    elif sys.argv[1] == "markers":
        print(json.dumps([m.decode() for m in MARKERS]))
