"""Crafts hostile HDF5 files with h5py, one structural twist each (the classes of issue 15).

  hostile_h5.py one KIND PATH SEED     writes one file (and any file beside it the kind needs)
  hostile_h5.py batch DIR COUNT SEED   writes COUNT files DIR/caseN.h5 of random kinds; prints "N KIND" per line

Sizes are drawn from SEED so a campaign covers a range; every kind stays a few MB on disk.
"""
import os
import random
import sys
import zlib

import h5py
import numpy as np

KINDS = ["soft_self", "soft_cycle", "soft_chain", "hard_cycle", "ext_dangling", "ext_fifo", "dense_soft",
         "backslash", "chunk_missing", "chunk_gzip", "chunk_huge", "chunk_overflow", "vlen_repeat"]


_deflated = {}


def zeros_deflated(n, level=9):
    if (n, level) in _deflated:
        return _deflated[(n, level)]
    c = zlib.compressobj(level)
    block = bytes(min(n, 1 << 20))
    out, left = [], n
    while left > 0:
        out.append(c.compress(block[:min(left, len(block))]))
        left -= min(left, len(block))
    out.append(c.flush())
    _deflated[(n, level)] = b"".join(out)
    return _deflated[(n, level)]


def keras3_store(f):
    """Enough of a Keras 3 weight store that readers take the file for one."""
    f.create_group("layers/dense/vars").create_dataset("0", data=np.zeros((2, 2), "f4"))
    f.create_group("vars")


def make(kind, path, r):
    folder = os.path.dirname(path)
    if kind == "soft_self":
        with h5py.File(path, "w") as f:
            keras3_store(f)
            g = f.create_group("g" * r.randint(1, 5))
            g["loop"] = h5py.SoftLink(g.name + "/loop")
    elif kind == "soft_cycle":
        with h5py.File(path, "w", libver="latest") as f:
            keras3_store(f)
            f["a"] = h5py.SoftLink("/b")
            f["b"] = h5py.SoftLink("/a")
    elif kind == "soft_chain":
        with h5py.File(path, "w", libver=r.choice(["earliest", "latest"])) as f:
            keras3_store(f)
            n = r.randint(2, 50)
            for i in range(n):
                f["s%d" % i] = h5py.SoftLink("/s%d" % ((i + 1) % n))
    elif kind == "hard_cycle":
        with h5py.File(path, "w") as f:
            keras3_store(f)
            g = f.create_group("layers/dense/inner")
            g["up"] = f["/layers"] if r.random() < 0.5 else f
    elif kind == "ext_dangling":
        with h5py.File(path, "w") as f:
            keras3_store(f)
            f["layers/ext"] = h5py.ExternalLink("missing-%d.h5" % r.randint(0, 99), "/x")
    elif kind == "ext_fifo":
        fifo = os.path.join(folder, "fifo.h5")
        if not os.path.exists(fifo):
            os.mkfifo(fifo)
        with h5py.File(path, "w") as f:
            keras3_store(f)
            f["layers/ext"] = h5py.ExternalLink("fifo.h5", "/g")
    elif kind == "dense_soft":
        with h5py.File(path, "w", libver="latest") as f:
            keras3_store(f)
            g = f.create_group("layers/many")
            for i in range(r.randint(9, 40)):
                g.create_group("l%d" % i)
            g["loop"] = h5py.SoftLink("/layers/many/loop")
    elif kind == "backslash":
        with h5py.File(path, "w") as f:
            keras3_store(f)
            parts = r.choice([65, 200, 3000, 20000])
            f.create_group("layers" + "\\a" * parts).create_dataset("vars/0", data=np.zeros(1, "f4"))
    elif kind == "chunk_missing":
        with h5py.File(path, "w") as f:
            keras3_store(f)
            pad = r.randint(1, 3) << 20
            f.create_dataset("pad", data=np.frombuffer(os.urandom(pad), "u1"))
            per = 150 * pad // 4  # under the per-dataset cap of 200x the file, over the budget together
            for i in range(r.randint(4, 12)):
                f.create_dataset("layers/dense/vars/%d" % (i + 1), shape=(per,), dtype="f4", chunks=(1 << 18,))
    elif kind == "chunk_gzip":
        with h5py.File(path, "w") as f:
            keras3_store(f)
            f.create_dataset("pad", data=np.frombuffer(os.urandom(2 << 20), "u1"))
            chunk = 1 << 18
            blob = zeros_deflated(chunk * 4)
            for i in range(r.randint(8, 30)):
                n = 80  # 80 chunks of 1 MiB: 80 MiB each from ~100 KB; 640 MiB to 2.4 GiB together
                d = f.create_dataset("layers/dense/vars/%d" % (i + 1), shape=(n * chunk,), dtype="f4", chunks=(chunk,), compression="gzip")
                for c in range(n):
                    d.id.write_direct_chunk((c * chunk,), blob)
    elif kind == "chunk_huge":
        with h5py.File(path, "w") as f:
            keras3_store(f)
            elements = r.choice([1 << 26, 1 << 28])  # 256 MiB or 1 GiB of float32 in one chunk
            blob = zeros_deflated(elements * 4)
            for i in range(4):
                d = f.create_dataset("layers/dense/vars/%d" % (i + 1), shape=(4,), maxshape=(None,), dtype="f4", chunks=(elements,), compression="gzip")
                d.id.write_direct_chunk((0,), blob)
    elif kind == "chunk_overflow":
        with h5py.File(path, "w") as f:
            keras3_store(f)
            chunk = 1 << 10
            d = f.create_dataset("layers/dense/vars/1", shape=(chunk,), dtype="f4", chunks=(chunk,), compression="gzip")
            d.id.write_direct_chunk((0,), zeros_deflated(r.choice([2, 1000, 100000]) * chunk * 4))
    elif kind == "vlen_repeat":
        big = "x" * r.choice([300_000, 500_000])
        n = r.choice([1000, 2000])
        with h5py.File(path, "w") as f:
            keras3_store(f)
            f.attrs.create("big", big, dtype=h5py.string_dtype())
            f.attrs.create("many", ["y"] * n, dtype=h5py.string_dtype())
        repoint(path, len(big))
    else:
        raise SystemExit("unknown kind " + kind)


def repoint(path, big_length):
    """Points every heap id of the 'many' attribute at the one big string: same bytes, n times the text."""
    data = bytearray(open(path, "rb").read())
    big_id = None
    for at in range(0, len(data) - 16):
        if int.from_bytes(data[at:at + 4], "little") == big_length and data[at + 12:at + 16] != b"\0\0\0\0":
            big_id = data[at:at + 16]
            break
    if big_id is None:
        raise SystemExit("big string heap id not found")
    collections = set()
    at = data.find(b"GCOL")
    while at >= 0:
        collections.add(at.to_bytes(8, "little"))
        at = data.find(b"GCOL", at + 1)
    count = 0
    at = 0
    while at < len(data) - 16:
        if int.from_bytes(data[at:at + 4], "little") == 1 and bytes(data[at + 4:at + 12]) in collections:
            data[at:at + 16] = big_id
            count += 1
            at += 16
        else:
            at += 1
    if count == 0:
        raise SystemExit("no short heap ids found")
    open(path, "wb").write(bytes(data))


if __name__ == "__main__":
    if sys.argv[1] == "one":
        make(sys.argv[2], sys.argv[3], random.Random(int(sys.argv[4])))
    else:
        folder, count, seed = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        for i in range(count):
            r = random.Random(seed * 1_000_003 + i)
            kind = KINDS[r.randrange(len(KINDS))]
            os.makedirs(os.path.join(folder, "case%d" % i), exist_ok=True)
            make(kind, os.path.join(folder, "case%d" % i, "model.weights.h5"), r)
            print(i, kind, flush=True)
