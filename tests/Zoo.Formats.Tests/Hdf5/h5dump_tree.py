"""Dumps an HDF5 file as JSON with h5py: every group, dataset and attribute, with the storage kind of
string attributes and a sha256 of every dataset's bytes. Zoo's tests compare this independent view of a
file Zoo wrote with the view of the file it came from."""
import hashlib
import json
import sys

import h5py
import numpy as np


def attr_view(obj, name):
    aid = h5py.h5a.open(obj.id, name.encode("utf-8"))
    t = aid.get_type()
    space = aid.get_space()
    scalar = space.get_simple_extent_type() == h5py.h5s.SCALAR
    value = obj.attrs[name]
    view = {"scalar": bool(scalar), "shape": list(np.shape(value))}
    if isinstance(t, h5py.h5t.TypeStringID):
        view["kind"] = "vlen" if t.is_variable_str() else "fixed%d" % t.get_size()
        view["cset"] = "utf8" if t.get_cset() == h5py.h5t.CSET_UTF8 else "ascii"
        items = [value] if scalar else list(value)
        view["values"] = [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in items]
    else:
        arr = np.asarray(value)
        view["dtype"] = str(arr.dtype)
        view["sha256"] = hashlib.sha256(np.ascontiguousarray(arr).tobytes()).hexdigest()
    return view


def dump(path):
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            entry = {"attrs": {a: attr_view(obj, a) for a in obj.attrs}}
            if isinstance(obj, h5py.Dataset):
                data = obj[()]
                entry["shape"] = list(obj.shape)
                entry["dtype"] = str(obj.dtype)
                entry["sha256"] = hashlib.sha256(np.ascontiguousarray(data).tobytes()).hexdigest()
            else:
                entry["group"] = True
            out["/" + name] = entry
        out["/"] = {"attrs": {a: attr_view(f, a) for a in f.attrs}, "group": True}
        f.visititems(visit)
    return out


if __name__ == "__main__":
    print(json.dumps(dump(sys.argv[1]), sort_keys=True, ensure_ascii=False))
