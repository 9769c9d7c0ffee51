namespace Zoo.Formats.Ir;

/// <summary>The ways Keras stores a model, as detected from a file's content.</summary>
public enum KerasFormat
{
    /// <summary>Legacy HDF5 full model, <c>model.save('m.h5')</c>: config, weights, optional training config and optimizer state.</summary>
    H5Full,
    /// <summary>Legacy HDF5 weights only, <c>model.save_weights('w.h5')</c>.</summary>
    H5Weights,
    /// <summary>Architecture JSON, <c>model.to_json()</c>.</summary>
    Json,
    /// <summary>Architecture YAML, <c>model.to_yaml()</c> (Keras ≤ 2.5).</summary>
    Yaml,
    /// <summary>Keras 3 <c>.keras</c> zip archive.</summary>
    KerasArchive,
    /// <summary>Keras 3 <c>.weights.h5</c> (object-path layout <c>layers/&lt;name&gt;/vars/&lt;i&gt;</c>).</summary>
    KerasWeights,
    /// <summary>TensorFlow.js layers model (<c>model.json</c> with <c>modelTopology</c>, plus binary weight shards); read only.</summary>
    TfjsLayers,
    /// <summary>ONNX model (<c>.onnx</c>) lowered from the graph for inference; written by the Zoo.Onnx library (<c>Zoo.Onnx.Export.OnnxExporter</c>), never by <see cref="KerasFile"/>.</summary>
    Onnx,
}
