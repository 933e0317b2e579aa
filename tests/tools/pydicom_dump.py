#!/usr/bin/python3
"""Print what pydicom reads from DICOM files, one canonical JSON line per file.

Run with the system interpreter, which has Debian's python3-pydicom (2.3.1):

    /usr/bin/python3 tests/tools/pydicom_dump.py FILE...

(the python3 first on PATH may be another interpreter without pydicom). `vna dump --canonical FILE...` prints the same
form from Vna.Dicom's reader, and tests/Vna.Cli.Tests/SampleCorpusTests.cs compares the two, element by element.

The canonical form (identical on both sides; keep it in step with src/Vna.Cli/Dump/CanonicalDumper.cs):

    {"path": P, "transferSyntax": UID, "meta": [ELEMENT...], "dataset": [ELEMENT...]}
    {"path": P, "error": MESSAGE}

    ELEMENT = {"tag": "GGGGEEEE", "vr": "XX", "value": VALUE}, in tag order; items of a sequence are lists of ELEMENTs.

    VALUE by VR:
      AE AS CS DA DS DT IS LO LT PN SH ST TM UC UI UR UT   list of decoded Unicode strings, one per value
      AT                                                  list of "GGGGEEEE"
      US SS UL SL SV UV                                   list of integers
      FL FD                                               list of numbers ("NaN", "Infinity", "-Infinity" as strings)
      OB OD OF OL OV OW UN                                {"length": N, "sha256": HEX} of the value in little-endian order
      SQ                                                  list of items (each a list of ELEMENTs)
      encapsulated pixel data                             {"offsets": [BOT entries], "fragments": [{"length", "sha256"}...]}

    transferSyntax is the UID the data set was decoded with: (0002,0010) when the file has it, else the one the reader
    detected (pydicom only reports implicit/explicit and byte order; the UID is rebuilt from those).

Normalisation of text values (both sides do exactly this, nothing more):
  * Trailing spaces and NULs are removed from EACH value. PS3.5 6.2 makes trailing padding insignificant in every
    string VR; pydicom removes it from the end of the whole element for PN, UI, AS, CS, DA, DT and TM
    ("A \\B" gives "A " and "B") but from every value for LO, SH, UC, DS and IS, while Vna strips every value.
  * Leading spaces are removed for AE, CS, DS, IS and UR, whose leading spaces PS3.5 6.2 declares insignificant
    (pydicom strips them for AE, DS and IS only; Vna for AE, CS, DS, IS, AS, DA, TM, DT and UR). Leading spaces of other
    VRs are compared as read.
  * Trailing '=' are removed from PN values: empty trailing component groups may be left out (PS3.5 6.2.1.1), and
    pydicom drops them ("A^B=C^D=" reads "A^B=C^D") while Vna keeps the value as stored.
  * An element whose only value is empty ("", or padding only) is []: pydicom reports such a value as '' (VM 0),
    Vna as one empty string; both mean "no value".
Binary values are hashed so that pixel data needn't be printed. pydicom keeps OW/OF/OL/OD/OV bytes as stored; for a
big-endian data set they are swapped here to little-endian, as Vna holds them.
"""

import hashlib
import json
import math
import struct
import sys
import warnings

import pydicom
import pydicom.config
from pydicom.multival import MultiValue
from pydicom.sequence import Sequence

# Keep UN as UN (the default replaces an explicit UN by the dictionary VR); Vna keeps what the file says.
pydicom.config.replace_un_with_known_vr = False
# pydicom reads undefined-length UN as a sequence (CP-246) by default (settings.infer_sq_for_un_vr), as Vna does.

STRING_VRS = {"AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UI", "UR", "UT"}
LEADING_INSIGNIFICANT = {"AE", "CS", "DS", "IS", "UR"}
INT_VRS = {"US": "H", "SS": "h", "UL": "L", "SL": "l", "SV": "q", "UV": "Q"}
FLOAT_VRS = {"FL": "f", "FD": "d"}
SWAP_UNIT = {"OW": 2, "OF": 4, "OL": 4, "OD": 8, "OV": 8}
BINARY_VRS = {"OB", "OD", "OF", "OL", "OV", "OW", "UN"}

TS_BY_FLAGS = {
    (True, True): "1.2.840.10008.1.2",
    (False, True): "1.2.840.10008.1.2.1",
    (False, False): "1.2.840.10008.1.2.2",
    (True, False): "1.2.840.10008.1.2.2",
}


def tag_key(tag):
    return "%08X" % int(tag)


def digest(data):
    return {"length": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def swap(data, unit):
    whole = len(data) - len(data) % unit
    out = bytearray(len(data))
    for i in range(0, whole, unit):
        out[i:i + unit] = data[i:i + unit][::-1]
    out[whole:] = data[whole:]
    return bytes(out)


def as_list(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple, MultiValue)):
        return list(value)
    return [value]


def text_values(values, vr):
    out = []
    for v in values:
        s = str(v) if not isinstance(v, (bytes, bytearray)) else v.decode("latin-1")
        s = s.rstrip(" \0")
        if vr in LEADING_INSIGNIFICANT:
            s = s.lstrip(" ")
        if vr == "PN":
            s = s.rstrip("=")
        out.append(s)
    if out == [""]:
        return []
    return out


def number(x):
    if isinstance(x, float):
        if math.isnan(x):
            return "NaN"
        if math.isinf(x):
            return "Infinity" if x > 0 else "-Infinity"
    return x


def encapsulated(data, little_endian):
    """Splits the value pydicom keeps for undefined-length pixel data (items, delimiter removed) into BOT and fragments."""
    fmt = "<HHL" if little_endian else ">HHL"
    offsets, fragments, pos, first = [], [], 0, True
    while pos + 8 <= len(data):
        group, element, length = struct.unpack_from(fmt, data, pos)
        pos += 8
        if (group, element) == (0xFFFE, 0xE0DD):
            break
        if (group, element) != (0xFFFE, 0xE000):
            raise ValueError("encapsulated pixel data: (%04X,%04X) where an item was expected" % (group, element))
        value = data[pos:pos + length]
        pos += length
        if first:
            first = False
            offsets = [struct.unpack_from("<L", value, i)[0] for i in range(0, len(value) - len(value) % 4, 4)]
        else:
            fragments.append(digest(value))
    result = {"offsets": offsets, "fragments": fragments}
    if pos < len(data):
        result["trailing"] = len(data) - pos
    return result


def element(elem, little_endian):
    vr = str(getattr(elem.VR, "value", elem.VR))  # pydicom's VR enum prints as "VR.LO" under Python 3.11
    value = elem.value
    if vr == "SQ" or isinstance(value, Sequence):
        return {"tag": tag_key(elem.tag), "vr": "SQ", "value": [dataset(item, little_endian) for item in (value or [])]}
    if vr in BINARY_VRS or vr in ("OB or OW", "US or OW", "US or SS or OW"):
        data = value if isinstance(value, (bytes, bytearray)) else b""
        if getattr(elem, "is_undefined_length", False) and vr in ("OB", "OW", "OB or OW"):
            return {"tag": tag_key(elem.tag), "vr": vr, "value": encapsulated(data, little_endian)}
        unit = SWAP_UNIT.get(vr, 0)
        if not little_endian and unit:
            data = swap(data, unit)
        return {"tag": tag_key(elem.tag), "vr": vr, "value": digest(bytes(data))}
    if vr in STRING_VRS:
        return {"tag": tag_key(elem.tag), "vr": vr, "value": text_values(as_list(value), vr)}
    if vr == "AT":
        return {"tag": tag_key(elem.tag), "vr": vr, "value": [tag_key(t) for t in as_list(value)]}
    if vr in INT_VRS or vr in FLOAT_VRS:
        values = as_list(value)
        if values and isinstance(values[0], (bytes, bytearray)):
            # Values pydicom could not convert stay bytes: decode them as the VR says, so both sides stay comparable.
            raw = bytes(values[0])
            fmt = INT_VRS.get(vr) or FLOAT_VRS[vr]
            size = struct.calcsize(fmt)
            endian = "<" if little_endian else ">"
            values = [struct.unpack_from(endian + fmt, raw, i)[0] for i in range(0, len(raw) - len(raw) % size, size)]
        return {"tag": tag_key(elem.tag), "vr": vr, "value": [number(v) for v in values]}
    # A VR pydicom left ambiguous ("US or SS") or does not know: report it as is, with the raw bytes.
    data = value if isinstance(value, (bytes, bytearray)) else repr(value).encode("utf-8")
    return {"tag": tag_key(elem.tag), "vr": vr, "value": digest(bytes(data))}


def dataset(ds, little_endian):
    return [element(elem, little_endian) for elem in ds]


def dump(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ds = pydicom.dcmread(path, force=True)
        little_endian = bool(ds.is_little_endian) if ds.is_little_endian is not None else True
        implicit = bool(ds.is_implicit_VR) if ds.is_implicit_VR is not None else True
        meta = getattr(ds, "file_meta", None)
        uid = None
        if meta is not None and "TransferSyntaxUID" in meta:
            uid = str(meta.TransferSyntaxUID).rstrip("\0 ") or None
        if uid is None:
            uid = TS_BY_FLAGS[(implicit, little_endian)]
        return {
            "path": path,
            "transferSyntax": uid,
            "meta": dataset(meta, True) if meta is not None else [],
            "dataset": dataset(ds, little_endian),
        }


def main(argv):
    out = sys.stdout
    for path in argv[1:]:
        try:
            line = json.dumps(dump(path), ensure_ascii=False, separators=(",", ":"))
        except Exception as exc:  # noqa: BLE001 - every failure is reported, per file
            line = json.dumps({"path": path, "error": "%s: %s" % (type(exc).__name__, exc)}, ensure_ascii=False)
        out.write(line)
        out.write("\n")
        out.flush()
    return 0


if __name__ == "__main__":
    sys.stdout.reconfigure(encoding="utf-8")
    sys.exit(main(sys.argv))
