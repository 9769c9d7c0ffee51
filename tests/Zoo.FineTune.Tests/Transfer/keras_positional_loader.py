#!/usr/bin/env python3
"""What tf.keras's legacy HDF5 loader would do with a file, without Keras.

tf.keras's `load_weights_from_hdf5_group` (hdf5_format.py) rebuilds the model from `model_config`, then for each
layer that has weights takes `layer.trainable_weights + layer.non_trainable_weights` and assigns the group's stored
values to them BY POSITION. For a model used as a layer those lists follow each layer's own `trainable` flag:

    trainable_weights(L)     = L.trainable ? L._trainable + sum(trainable_weights(c)) : []
    non_trainable_weights(L) = L.trainable ? L._non_trainable + sum(non_trainable_weights(c))
                                           : L._trainable + L._non_trainable + sum(weights(c))

This script recomputes that order from the config alone (each class's variables in creation order, as its build()
makes them) and checks that every stored value sits where Keras would put it: same owning layer, same variable.
Usage: keras_positional_loader.py FILE.h5  -> JSON {"ok": bool, "problems": [...], "layers": {...}} on stdout.
"""
import json
import sys

import h5py


def var_list(cls, cfg):
    """(trainable, non_trainable) variable short names of a plain layer, in creation order."""
    bias = ["bias"] if cfg.get("use_bias", True) else []
    if cls in ("Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose", "Dense"):
        return ["kernel"] + bias, []
    if cls == "DepthwiseConv2D":
        return ["depthwise_kernel"] + bias, []
    if cls in ("SeparableConv1D", "SeparableConv2D"):
        return ["depthwise_kernel", "pointwise_kernel"] + bias, []
    if cls == "BatchNormalization":
        t = (["gamma"] if cfg.get("scale", True) else []) + (["beta"] if cfg.get("center", True) else [])
        return t, ["moving_mean", "moving_variance"]
    if cls == "LayerNormalization":
        return (["gamma"] if cfg.get("scale", True) else []) + (["beta"] if cfg.get("center", True) else []), []
    if cls == "Embedding":
        return ["embeddings"], []
    if cls == "PReLU":
        return ["alpha"], []
    if cls in ("LSTM", "GRU", "SimpleRNN"):
        return ["kernel", "recurrent_kernel"] + bias, []
    if cls in WEIGHTLESS:
        return [], []
    raise KeyError(cls)


WEIGHTLESS = {
    "InputLayer", "Activation", "ReLU", "LeakyReLU", "ELU", "Softmax", "Dropout", "SpatialDropout1D", "SpatialDropout2D",
    "GaussianNoise", "GaussianDropout", "Flatten", "Reshape", "Permute", "RepeatVector",
    "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
    "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D",
    "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "Cropping1D", "Cropping2D", "UpSampling1D", "UpSampling2D",
    "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot",
}

MODEL_CLASSES = ("Functional", "Model", "Sequential")


def layers_of(model_cfg):
    cfg = model_cfg["config"]
    return cfg if isinstance(cfg, list) else cfg["layers"]


def is_model(entry):
    return entry["class_name"] in MODEL_CLASSES and (isinstance(entry["config"], list) or "layers" in entry["config"])


def trainable_flag(entry):
    cfg = entry["config"]
    return True if isinstance(cfg, list) else bool(cfg.get("trainable", True))


def split(entry):
    """(trainable_weights, non_trainable_weights) of one layer entry as (owner layer, variable) pairs."""
    if is_model(entry):
        own_t, own_n = [], []
        children = [split(c) for c in layers_of(entry)]
    else:
        name = entry["config"]["name"]
        t, n = var_list(entry["class_name"], entry["config"])
        own_t, own_n = [(name, v) for v in t], [(name, v) for v in n]
        children = []
    if trainable_flag(entry):
        return own_t + [w for c in children for w in c[0]], own_n + [w for c in children for w in c[1]]
    return [], own_t + own_n + [w for c in children for w in c[0] + c[1]]


def owner_and_var(stored, group_layers):
    """A stored weight name (tf.keras: '<layer>/<var>:0', wrappers deeper) as (owning layer, variable)."""
    name = stored.split(":")[0]
    parts = name.split("/")
    owner = next((p for p in parts[:-1] if p in group_layers), parts[0])
    return owner, parts[-1]


def name_list(group, attr):
    if attr in group.attrs:
        return [n.decode("utf8") if isinstance(n, bytes) else str(n) for n in group.attrs[attr]]
    out, i = [], 0
    while f"{attr}{i}" in group.attrs:
        out += [n.decode("utf8") if isinstance(n, bytes) else str(n) for n in group.attrs[f"{attr}{i}"]]
        i += 1
    return out


def all_names(entry):
    names = {entry.get("name") or entry["config"].get("name")}
    if is_model(entry):
        for c in layers_of(entry):
            names |= all_names(c)
    return names


def main(path):
    problems, report = [], {}
    with h5py.File(path, "r") as f:
        config = f.attrs["model_config"]
        config = json.loads(config.decode("utf8") if isinstance(config, bytes) else config)
        root = f["model_weights"] if "model_weights" in f else f
        for entry in layers_of(config):
            name = entry.get("name") or entry["config"]["name"]
            try:
                t, n = split(entry)
            except KeyError as e:
                problems.append(f"layer '{name}': the emulator does not know class {e}")
                continue
            expected = t + n
            stored = name_list(root[name], "weight_names") if name in root else []
            if not expected and not stored:
                continue
            known = all_names(entry)
            got = [owner_and_var(s, known) for s in stored]
            report[name] = {"expected": [f"{o}/{v}" for o, v in expected], "stored": stored}
            if len(got) != len(expected):
                problems.append(f"layer '{name}': Keras expects {len(expected)} weights, the file holds {len(got)}")
                continue
            for i, (e, g) in enumerate(zip(expected, got)):
                if e != g:
                    problems.append(f"layer '{name}': position {i} holds {stored[i]}, Keras assigns it to {e[0]}/{e[1]}")
                    break
    print(json.dumps({"ok": not problems, "problems": problems, "layers": report}))


if __name__ == "__main__":
    main(sys.argv[1])
