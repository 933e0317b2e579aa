"""Writes the codec benchmark's images as 16-bit PGM (the format opj_compress and ojph_compress both read).

Usage: /usr/bin/python3 codec-images.py OUT_DIR CT.dcm
  ct512.pgm  - the pixels of CT.dcm (a gen-ct.py slice: 512x512, 12 bits stored, unsigned)
  mammo.pgm  - a mammography-like 2500 (wide) x 3000 (high) image, 14 bits stored: dark noisy background, a breast
               half-ellipse from the chest wall with a density gradient to the skin line, smooth fibroglandular texture
               and quantum noise; fixed seed, so every run measures the same pixels.
"""
import os
import sys

import numpy as np
import pydicom

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def write_pgm(path, arr, maxval):
    arr = np.asarray(arr, dtype=">u2")
    with open(path, "wb") as f:
        f.write(b"P5\n%d %d\n%d\n" % (arr.shape[1], arr.shape[0], maxval))
        f.write(arr.tobytes())


ct = pydicom.dcmread(sys.argv[2])
write_pgm(os.path.join(out, "ct512.pgm"), ct.pixel_array.astype(np.uint16), (1 << int(ct.BitsStored)) - 1)

rng = np.random.default_rng(2026)
h, w = 3000, 2500
y, x = np.mgrid[0:h, 0:w].astype(np.float32)
# breast: half ellipse against the left edge (chest wall)
r = np.sqrt(((y - h / 2) / (0.42 * h)) ** 2 + (x / (0.78 * w)) ** 2)
inside = r < 1.0
# smooth texture: coarse noise upsampled (bilinear through two kron steps and a box blur)
coarse = rng.normal(0, 1, (h // 50 + 2, w // 50 + 2)).astype(np.float32)
tex = np.kron(coarse, np.ones((50, 50), np.float32))[:h, :w]
k = 25
c = np.cumsum(np.cumsum(np.pad(tex, ((k, k), (k, k)), mode="edge"), 0), 1)
tex = (c[2 * k:, 2 * k:] - c[:-2 * k, 2 * k:] - c[2 * k:, :-2 * k] + c[:-2 * k, :-2 * k])[:h, :w] / (4 * k * k)
tex = tex / (np.abs(tex).max() + 1e-6)
signal = np.where(inside, 9000 - 3500 * r ** 4 + 1800 * tex, 600.0)
signal = signal + rng.normal(0, 1, (h, w)).astype(np.float32) * np.sqrt(np.maximum(signal, 1)) * 1.5
mammo = np.clip(signal, 0, (1 << 14) - 1).astype(np.uint16)
write_pgm(os.path.join(out, "mammo.pgm"), mammo, (1 << 14) - 1)
print("ok", out)
