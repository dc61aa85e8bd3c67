"""Writes the hostile HDF5 files that src/h5/h5-safety.test.ts must refuse.

Run with Debian's h5py (`apt-get install -y python3-h5py`):
    /usr/bin/python3 scripts/make-unsafe-h5.py
Each file is a few kilobytes; they are test inputs, not Keras fixtures.
"""
import os

import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test-data")
os.makedirs(OUT, exist_ok=True)


def path(name):
    return os.path.join(OUT, name)


# Raw data kept in a host file: a loader must never read /etc/hostname through it.
with h5py.File(path("external-dataset.h5"), "w", libver="earliest") as f:
    f.create_dataset("d", shape=(4,), dtype="f4", external=[("/etc/hostname", 0, 16)])

with h5py.File(path("virtual-dataset.h5"), "w") as f:
    layout = h5py.VirtualLayout(shape=(4,), dtype="f4")
    layout[:] = h5py.VirtualSource("other.h5", "x", shape=(4,))
    f.create_virtual_dataset("v", layout)

with h5py.File(path("external-link.h5"), "w") as f:
    f["ext"] = h5py.ExternalLink("/etc/passwd", "/x")

with h5py.File(path("soft-link.h5"), "w") as f:
    g = f.create_group("a")
    g["d"] = np.ones(3, dtype="f4")
    f["soft"] = h5py.SoftLink("/a")

# 40 GB declared, never allocated: a reader that trusts the shape allocates it.
with h5py.File(path("shape-bomb.h5"), "w") as f:
    f.create_dataset("d", shape=(100000, 100000), dtype="f4")

with h5py.File(path("hard-link-cycle.h5"), "w") as f:
    g = f.create_group("a")
    g["loop"] = g
