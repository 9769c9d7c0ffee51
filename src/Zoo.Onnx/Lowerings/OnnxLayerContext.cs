using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using Zoo.Formats.Summary;
using Zoo.Onnx.Export;

namespace Zoo.Onnx.Lowerings;

/// <summary>Everything one lowering needs for one layer call: the builder, the spec, input values and shapes, bound weights.</summary>
internal sealed class OnnxLayerContext
{
    private float[][]? weights;

    public OnnxLayerContext(OnnxGraphBuilder builder, LayerNode node, LayerSpec spec, string scope, IReadOnlyList<string> inputs,
        IReadOnlyList<TensorShape?> inputShapes, OnnxExportOptions options, string? backend, float[][]? presetWeights = null)
    {
        B = builder;
        Node = node;
        Spec = spec;
        Scope = scope;
        Inputs = inputs;
        InputShapes = inputShapes;
        Options = options;
        Backend = backend;
        weights = presetWeights;
    }

    /// <summary>The graph builder.</summary>
    public OnnxGraphBuilder B { get; }

    /// <summary>The Keras layer (its stored weights are read from here).</summary>
    public LayerNode Node { get; }

    /// <summary>The typed config.</summary>
    public LayerSpec Spec { get; }

    /// <summary>Prefix for node and value names: the layer name, with <c>#k</c> for a shared layer's k-th call.</summary>
    public string Scope { get; }

    /// <summary>The ONNX values the layer is called on, Keras layout.</summary>
    public IReadOnlyList<string> Inputs { get; }

    /// <summary>Keras shapes of <see cref="Inputs"/> (batch first); null where unknown.</summary>
    public IReadOnlyList<TensorShape?> InputShapes { get; }

    /// <summary>The export options.</summary>
    public OnnxExportOptions Options { get; }

    /// <summary>The Keras backend that wrote the weights (theano kernels are flipped).</summary>
    public string? Backend { get; }

    /// <summary>A BatchNormalization to fold into this convolution's kernel and bias, when folding chose one.</summary>
    public (LayerNode Node, BatchNormalizationSpec Spec)? FoldBatchNorm { get; init; }

    /// <summary>Keras shapes of the layer's outputs as shape inference sees them; null when unknown.</summary>
    public IReadOnlyList<TensorShape>? OutputShapes { get; init; }

    /// <summary>
    /// Output shapes a lowering worked out itself, for layers the summary's shape rules cannot size (Dot):
    /// the walker uses them when <see cref="OutputShapes"/> is null, so graph outputs still carry a shape.
    /// </summary>
    public IReadOnlyList<TensorShape>? LoweredShapes { get; set; }

    /// <summary>The single input.</summary>
    public string X => Inputs[0];

    /// <summary>The single input's shape, or null when unknown.</summary>
    public TensorShape? XShape => InputShapes.Count > 0 ? InputShapes[0] : null;

    /// <summary>The rank of the single input; fails with a clear message when shape inference could not tell.</summary>
    public int Rank => XShape?.Rank ?? throw Unsupported("its input rank is unknown (declare the model's input shape)");

    /// <summary>The weights the spec expects, bound from the layer, in spec order.</summary>
    public float[][] Weights => weights ??= OnnxWeights.Bind(Node, Spec.Weights(new[] { ConcreteShape(XShape) }), Backend);

    /// <summary>The expected weight specs (names and shapes) for the single input.</summary>
    public IReadOnlyList<WeightSpec> WeightSpecs => Spec.Weights(new[] { ConcreteShape(XShape) });

    /// <summary>Adds one node named after this layer.</summary>
    public string Op(string op, IReadOnlyList<string> inputs, params (string, object)[] attributes) => B.Op(op, Scope, inputs, attributes);

    /// <summary>Adds one single-input node named after this layer.</summary>
    public string Op(string op, string input, params (string, object)[] attributes) => B.Op(op, Scope, new[] { input }, attributes);

    /// <summary>Adds a float32 initializer named <c>layer/name</c>.</summary>
    public string Init(string name, long[] dims, float[] data) => B.Floats($"{Scope}/{name}", dims, data);

    /// <summary>Adds an int64 initializer named <c>layer/name</c>.</summary>
    public string Ints(string name, params long[] data) => B.Int64s($"{Scope}/{name}", data);

    /// <summary>Adds a float32 scalar initializer named <c>layer/name</c>.</summary>
    public string Scalar(string name, double value) => B.Scalar($"{Scope}/{name}", (float)value);

    /// <summary>A context for a wrapped layer (Bidirectional, TimeDistributed) with its own spec and weights.</summary>
    public OnnxLayerContext Inner(LayerSpec spec, string scope, IReadOnlyList<string> inputs, IReadOnlyList<TensorShape?> shapes, float[][] innerWeights)
        => new(B, Node, spec, scope, inputs, shapes, Options, Backend, innerWeights) { OutputShapes = OutputShapes };

    /// <summary>An <see cref="UnsupportedFeatureException"/> naming this layer.</summary>
    public UnsupportedFeatureException Unsupported(string what)
        => new($"layer '{Node.Name}' ({Node.ClassName}): cannot be exported to ONNX: {what}", null, $"layers/{Node.Name}");

    /// <summary>A shape with unknown dimensions replaced by 1 (weights never depend on batch or time).</summary>
    public static long[] ConcreteShape(TensorShape? s) => s is null ? new long[] { 1 } : s.Dims.Select(d => d ?? 1).ToArray();
}
