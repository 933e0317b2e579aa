"""Decodes DICOM files with pydicom (its available handlers) and writes each pixel array as little-endian int32.

Usage: pydicom_pixels.py OUT_DIR FILE...   Prints one line per file: "ok <index> <frames> <rows> <cols> <spp>" or
"error <index> <message>". Arrays are written to OUT_DIR/<index>.raw in (frames, rows, cols, samples) order.
Run with Debian's /usr/bin/python3 (Debian's pydicom); used by tests/Vna.Codecs.Tests.
"""
import os
import sys
import warnings

import numpy as np
import pydicom

warnings.simplefilter("ignore")
out_dir = sys.argv[1]
for index, path in enumerate(sys.argv[2:]):
    try:
        ds = pydicom.dcmread(path, force=True)
        arr = ds.pixel_array
        pi = str(getattr(ds, "PhotometricInterpretation", ""))
        ts = str(ds.file_meta.TransferSyntaxUID) if "TransferSyntaxUID" in ds.file_meta else ""
        if ts in ("1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51") and pi.startswith("YBR_FULL"):
            # pydicom's Pillow handler returns the YCbCr samples as stored: compare in RGB, as decoders hand them out.
            from pydicom.pixel_data_handlers.util import convert_color_space
            arr = convert_color_space(arr, "YBR_FULL", "RGB")
        frames = int(getattr(ds, "NumberOfFrames", 1) or 1)
        spp = int(getattr(ds, "SamplesPerPixel", 1) or 1)
        rows, cols = int(ds.Rows), int(ds.Columns)
        arr = np.asarray(arr).reshape(frames, rows, cols, spp)
        arr.astype("<i4").tofile(os.path.join(out_dir, f"{index}.raw"))
        print(f"ok {index} {frames} {rows} {cols} {spp}", flush=True)
    except Exception as e:  # noqa: BLE001 - report every failure as a line
        print(f"error {index} {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}", flush=True)
