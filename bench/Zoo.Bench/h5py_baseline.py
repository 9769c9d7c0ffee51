"""h5py baseline for the Zoo HDF5 benchmark: the same VGG16-sized Keras weights-only layout.

usage: h5py_baseline.py write PATH | read PATH   -> prints "seconds peak_rss_mb"
"""
import resource, sys, time
import h5py, numpy as np

LAYERS = [
    ("block1_conv1", (3, 3, 3, 64)), ("block1_conv2", (3, 3, 64, 64)),
    ("block2_conv1", (3, 3, 64, 128)), ("block2_conv2", (3, 3, 128, 128)),
    ("block3_conv1", (3, 3, 128, 256)), ("block3_conv2", (3, 3, 256, 256)), ("block3_conv3", (3, 3, 256, 256)),
    ("block4_conv1", (3, 3, 256, 512)), ("block4_conv2", (3, 3, 512, 512)), ("block4_conv3", (3, 3, 512, 512)),
    ("block5_conv1", (3, 3, 512, 512)), ("block5_conv2", (3, 3, 512, 512)), ("block5_conv3", (3, 3, 512, 512)),
    ("fc1", (25088, 4096)), ("fc2", (4096, 4096)), ("predictions", (4096, 1000)),
]

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0

def write(path):
    rng = np.random.default_rng(12345)
    arrays = [(n, rng.random(k, dtype=np.float32) - 0.5, rng.random(k[-1], dtype=np.float32)) for n, k in LAYERS]
    t = time.perf_counter()
    with h5py.File(path, "w") as f:
        f.attrs["layer_names"] = np.array([n.encode() for n, _ in LAYERS])
        f.attrs["backend"] = "tensorflow"
        f.attrs["keras_version"] = "2.15.0"
        for n, k, b in arrays:
            g = f.create_group(n)
            g.attrs["weight_names"] = np.array([f"{n}/kernel:0".encode(), f"{n}/bias:0".encode()])
            g.create_dataset(f"{n}/kernel:0", data=k)
            g.create_dataset(f"{n}/bias:0", data=b)
    return time.perf_counter() - t

def read(path):
    t = time.perf_counter()
    out = {}
    with h5py.File(path, "r") as f:
        for n in [x.decode() if isinstance(x, bytes) else x for x in f.attrs["layer_names"]]:
            g = f[n]
            for w in g.attrs["weight_names"]:
                w = w.decode() if isinstance(w, bytes) else w
                out[w] = g[w][()]
    return time.perf_counter() - t

if __name__ == "__main__":
    op, path = sys.argv[1], sys.argv[2]
    secs = write(path) if op == "write" else read(path)
    print(f"{secs:.3f} {peak_mb():.0f}")
