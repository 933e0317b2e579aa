#!/usr/bin/python3
"""Make STOW-RS request bodies for tests/bench/dicomweb.sh: the .dcm files under IN, sorted, in groups of N per
multipart/related body (boundary BOUNDARY), written to OUT/body-NNNNN.mime; then prints the query keys the benchmark
uses (taken from the files with pydicom): key=value lines."""
import os
import sys

import pydicom

BOUNDARY = "vnabenchboundary"


def main():
    src, out, per = sys.argv[1], sys.argv[2], int(sys.argv[3])
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(src) for f in fs if f.endswith(".dcm"))
    os.makedirs(out, exist_ok=True)
    for i in range(0, len(files), per):
        with open(os.path.join(out, "body-%05d.mime" % (i // per)), "wb") as body:
            for path in files[i:i + per]:
                body.write(b"--" + BOUNDARY.encode() + b"\r\nContent-Type: application/dicom\r\n\r\n")
                with open(path, "rb") as f:
                    body.write(f.read())
                body.write(b"\r\n")
            body.write(b"--" + BOUNDARY.encode() + b"--\r\n")
    first = pydicom.dcmread(files[len(files) // 3], stop_before_pixels=True)
    print("files=%d" % len(files))
    print("bytes=%d" % sum(os.path.getsize(f) for f in files))
    print("study=%s" % first.StudyInstanceUID)
    print("series=%s" % first.SeriesInstanceUID)
    print("patient_id=%s" % first.PatientID)
    print("name_prefix=%s" % str(first.PatientName)[:3])
    print("study_date=%s" % first.StudyDate)


main()
