"""Writes a Keras weights file the way Keras's own save_weights wrote keras.applications' ImageNet files.

Usage: keras_applications_h5.py MANIFEST.json OUT.h5

The manifest names the file's layers in order, each with its weights (stored name, shape, and the offset of its
float32 values in one raw little-endian blob) and the root attributes to write (backend, keras_version; absent for
Keras 1 files). What is written
follows the savers under those files (docs/imagenet-weights.md): Keras 1.x `save_weights_to_hdf5_group` and
Keras 2.0-2.2 `save_weights_to_hdf5_group` on h5py 2, which stored a list of bytes as a fixed-length string
array, an empty list as an empty float64 array, and each weight as a plain contiguous dataset named by the
variable (a '/' in the name makes nested groups).
"""
import json
import sys

import h5py
import numpy as np


def names(values):
    # h5py 2 turned a list of bytes into a fixed-length 'S' array; an empty list became float64 of shape (0,).
    return np.array([v.encode("utf8") for v in values]) if values else np.array([])


def main(manifest_path, out_path):
    with open(manifest_path, encoding="utf8") as f:
        manifest = json.load(f)
    blob = np.memmap(manifest["blob"], dtype="<f4", mode="r")
    with h5py.File(out_path, "w") as f:
        f.attrs["layer_names"] = names([layer["name"] for layer in manifest["layers"]])
        for key in ("backend", "keras_version"):
            value = manifest["attrs"].get(key)
            if value is not None:
                f.attrs[key] = np.bytes_(value.encode("utf8"))
        for layer in manifest["layers"]:
            group = f.create_group(layer["name"])
            group.attrs["weight_names"] = names([w["name"] for w in layer["weights"]])
            for weight in layer["weights"]:
                shape = tuple(weight["shape"])
                start = weight["offset"] // 4
                value = np.asarray(blob[start:start + int(np.prod(shape, dtype=np.int64))], dtype=np.float32).reshape(shape)
                dataset = group.create_dataset(weight["name"], value.shape, dtype=value.dtype)
                if value.shape:
                    dataset[:] = value
                else:
                    dataset[()] = value


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
