// Independent-implementation cross-check for Zoo (see README.md beside this file).
//
//   node crosscheck.mjs REQUEST.json RESULT.json
//
// REQUEST: { "cases": [ { "id": "...", "mode": "h5" | "predict", ... } ], "mode": default for cases }
//   h5:      { "file": "m.h5" }  -> a dump of the Keras HDF5 layout as libhdf5 (h5wasm) sees it
//   predict: { "file": "m.h5", "inputs": [ { "file": "x0.bin", "shape": [..] } ], "outDir": "dir" }
//            -> tfjs-layers rebuilds model_config, takes every weight from the same file in Keras
//               order, predicts; outputs are written as raw little-endian float32 files.
// RESULT:  { "tool": {...versions}, "cases": [ { "id", "ok", "error"?, ...mode-specific } ] }
// One case failing never stops the others: its error is recorded and the next case runs.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import h5wasm from 'h5wasm/node';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';

const [requestPath, resultPath] = process.argv.slice(2);
if (!requestPath || !resultPath) {
  console.error('usage: node crosscheck.mjs REQUEST.json RESULT.json');
  process.exit(2);
}

await h5wasm.ready;
await tf.setBackend('cpu');
const request = JSON.parse(readFileSync(requestPath, 'utf8'));
const baseDir = path.dirname(path.resolve(requestPath));
const resolve = (p) => path.resolve(baseDir, p);

// ---------- HDF5 reading (libhdf5 via h5wasm) ----------

function openH5(file) {
  return new h5wasm.File(resolve(file), 'r');
}

function attrValue(entity, name) {
  const a = entity.attrs[name];
  if (a === undefined) return undefined;
  return normalize(a.json_value);
}

// Name lists come back as strings, or as byte arrays for NumPy 'S' data in some writers: make them strings.
function normalize(v) {
  if (Array.isArray(v)) return v.map(normalize);
  if (v instanceof Uint8Array) return new TextDecoder().decode(v).replace(/\0+$/, '');
  return v;
}

// Keras splits lists over 64 KiB into name0, name1, ...: join them back.
function nameList(group, name) {
  const whole = attrValue(group, name);
  if (whole !== undefined) return [].concat(whole).map(String);
  const parts = [];
  for (let i = 0; attrValue(group, name + i) !== undefined; i++) parts.push(...[].concat(attrValue(group, name + i)).map(String));
  return parts;
}

function dtypeOf(ds) {
  const m = ds.metadata;
  const kind = m.type === 1 ? 'float' : m.type === 0 ? (m.signed ? 'int' : 'uint') : `class${m.type}`;
  return `${kind}${m.size * 8}${m.littleEndian ? 'le' : 'be'}`;
}

// Scalars come back as a plain number or bigint: put them in the typed array their dtype names.
function typedValue(ds) {
  const v = ds.value;
  if (ArrayBuffer.isView(v)) return v;
  const m = ds.metadata;
  if (typeof v === 'bigint') return m.signed ? BigInt64Array.of(v) : BigUint64Array.of(v);
  if (typeof v === 'number') {
    if (m.type === 1) return m.size === 8 ? Float64Array.of(v) : Float32Array.of(v);
    const ints = { 1: [Int8Array, Uint8Array], 2: [Int16Array, Uint16Array], 4: [Int32Array, Uint32Array] }[m.size];
    if (ints) return (m.signed ? ints[0] : ints[1]).of(v);
  }
  throw new Error(`dataset '${ds.path}' holds a value of an unexpected kind (${typeof v})`);
}

// Hash the values as little-endian bytes, so a big-endian original and a little-endian copy of
// the same numbers agree (h5wasm hands back native-order typed arrays; this runs on little-endian hosts).
function sha256Of(ds) {
  const v = typedValue(ds);
  return createHash('sha256').update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)).digest('hex');
}

function attrsOf(entity) {
  const out = {};
  for (const k of Object.keys(entity.attrs).sort()) out[k] = attrValue(entity, k);
  return out;
}

function weightsRoot(f) {
  return f.keys().includes('model_weights') ? f.get('model_weights') : f;
}

function dumpLayers(group) {
  return nameList(group, 'layer_names').map((layer) => {
    const g = group.get(layer);
    if (!g) return { name: layer, missingGroup: true };
    const weightNames = nameList(g, 'weight_names');
    return {
      name: layer,
      weight_names: weightNames,
      weights: weightNames.map((w) => {
        const ds = g.get(w);
        if (!ds || !(ds instanceof h5wasm.Dataset)) return { name: w, missing: true };
        return { name: w, shape: ds.shape, dtype: dtypeOf(ds), sha256: sha256Of(ds) };
      }),
    };
  });
}

function dumpOptimizer(f) {
  const g = f.get('optimizer_weights');
  if (!g) return null;
  const names = nameList(g, 'weight_names');
  return names.map((w) => {
    const ds = g.get(w);
    return ds ? { name: w, shape: ds.shape, dtype: dtypeOf(ds), sha256: sha256Of(ds) } : { name: w, missing: true };
  });
}

function dumpH5(c) {
  const f = openH5(c.file);
  try {
    const root = weightsRoot(f);
    return {
      root_attrs: attrsOf(f),
      weights_group_attrs: root === f ? null : attrsOf(root),
      layer_names: nameList(root, 'layer_names'),
      layers: dumpLayers(root),
      optimizer_weights: dumpOptimizer(f),
    };
  } finally {
    f.close();
  }
}

// ---------- tfjs-layers prediction ----------

function readWeights(f, layerName) {
  const root = weightsRoot(f);
  const g = root.get(layerName);
  if (!g) return [];
  return nameList(g, 'weight_names').map((w) => {
    const ds = g.get(w);
    if (!ds) throw new Error(`weight '${layerName}/${w}' listed in weight_names is not in the file`);
    return tf.tensor(Float32Array.from(typedValue(ds), Number), ds.shape, 'float32');
  });
}

// tfjs sets weights per layer in its own weights order, which for every layer it implements is
// Keras's (trainable then non-trainable; nested models all trainable then all non-trainable).
function setWeightsFromH5(model, f) {
  let count = 0;
  for (const layer of model.layers) {
    const values = readWeights(f, layer.name);
    if (values.length !== layer.weights.length) {
      throw new Error(`layer '${layer.name}': the file holds ${values.length} weights, tfjs expects ${layer.weights.length} ` +
        `(${layer.weights.map((w) => `${w.originalName}${JSON.stringify(w.shape)}`).join(', ')})`);
    }
    if (values.length) layer.setWeights(values);
    count += values.length;
    tf.dispose(values);
  }
  return count;
}

// Two adaptations of a Keras config that change no computed value, both for tfjs-layers 4.22's sake:
// every initializer becomes Zeros (each weight is then overwritten from the file, and tfjs's
// Orthogonal initializer crashes with "rMat.flatten is not a function"), and a model nested as a
// functional model used as a layer is tagged "Model" (tfjs rebuilds a nested "Functional" with a disconnected graph).
function adaptForTfjs(node, nested = false) {
  if (Array.isArray(node)) return node.map((n) => adaptForTfjs(n, nested));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k.endsWith('_initializer') && v !== null) out[k] = { class_name: 'Zeros', config: {} };
    else out[k] = adaptForTfjs(v, nested || k === 'layers');
  }
  if (nested && out.class_name === 'Functional' && out.config && out.config.layers) out.class_name = 'Model';
  // Keras writes every initializer; a hand-made config may omit them, and tfjs's default recurrent one is Orthogonal.
  if (['LSTM', 'GRU', 'SimpleRNN'].includes(out.class_name) && out.config) out.config.recurrent_initializer = { class_name: 'Zeros', config: {} };
  return out;
}

function readInput(spec) {
  const buf = readFileSync(resolve(spec.file));
  const data = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  return tf.tensor(data, spec.shape, 'float32');
}

async function predict(c) {
  const f = openH5(c.file);
  try {
    const configText = attrValue(f, 'model_config');
    if (typeof configText !== 'string') throw new Error('root attribute model_config is missing or not a string');
    const model = await tfl.models.modelFromJSON({ modelTopology: adaptForTfjs(JSON.parse(configText)) });
    const weightCount = setWeightsFromH5(model, f);
    const inputs = c.inputs.map(readInput);
    let y = model.predict(inputs.length === 1 ? inputs[0] : inputs);
    y = Array.isArray(y) ? y : [y];
    const outDir = resolve(c.outDir);
    mkdirSync(outDir, { recursive: true });
    const outputs = y.map((t, i) => {
      const file = path.join(outDir, `y${i}.bin`);
      const data = t.dataSync();
      writeFileSync(file, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
      return { file, shape: t.shape };
    });
    tf.dispose([...inputs, ...y]);
    model.dispose();
    return { weightCount, outputs };
  } finally {
    f.close();
  }
}

// ---------- driver ----------

const results = [];
for (const c of request.cases) {
  const mode = c.mode ?? request.mode;
  const started = Date.now();
  try {
    const body = mode === 'h5' ? dumpH5(c) : mode === 'predict' ? await predict(c) : (() => { throw new Error(`unknown mode '${mode}'`); })();
    results.push({ id: c.id, mode, ok: true, ms: Date.now() - started, ...body });
  } catch (e) {
    results.push({ id: c.id, mode, ok: false, ms: Date.now() - started, error: String(e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : e) });
  }
}

const versions = JSON.parse(readFileSync(new URL('./package-lock.json', import.meta.url), 'utf8')).packages;
writeFileSync(resultPath, JSON.stringify({
  tool: {
    node: process.version,
    tfjsLayers: versions['node_modules/@tensorflow/tfjs-layers']?.version,
    tfjsCore: versions['node_modules/@tensorflow/tfjs-core']?.version,
    h5wasm: versions['node_modules/h5wasm']?.version,
    backend: tf.getBackend(),
  },
  cases: results,
}, null, 1));
