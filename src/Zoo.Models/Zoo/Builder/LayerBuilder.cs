using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Zoo.Formats;
using Zoo.Formats.Ir;

namespace Zoo.Models.ModelZoo.Builder;

/// <summary>
/// A small Keras-style functional builder that emits the IR: each factory returns a layer to call on
/// tensors, exactly as <c>keras.layers</c> does, and <c>Model</c> returns a <see cref="ModelGraph"/>
/// with tf.keras 2.15 layer configs, Keras's automatic names and layer order, and Keras 2 weight names.
/// <code>
/// var layers = new LayerBuilder(seed: 1);
/// var input = layers.Input(224, 224, 3);
/// var x = layers.Conv2D(64, 3, padding: Padding.Same, activation: "relu", name: "block1_conv1")(input);
/// var graph = layers.Model(input, x, "tiny");
/// </code>
/// One builder builds one model, as one fresh Keras session does: automatic names (<c>conv2d</c>,
/// <c>conv2d_1</c>, …) count per class from zero.
/// </summary>
public sealed partial class LayerBuilder
{
    private readonly Dictionary<string, int> nameCounters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Layer> layers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<(string Name, long[] Shape)>> expectedWeights = new(StringComparer.Ordinal);
    private ulong rngState;
    private bool finished;

    /// <summary>Creates a builder whose weights are drawn from <paramref name="seed"/> (or not created at all, see <paramref name="fill"/>).</summary>
    public LayerBuilder(int seed = 0, WeightFill fill = WeightFill.Initialized)
    {
        rngState = (ulong)(uint)seed * 0x2545F4914F6CDD1DUL + 1;
        Fill = fill;
    }

    /// <summary>How weights are filled.</summary>
    public WeightFill Fill { get; }

    /// <summary>
    /// The variables each built layer created (short name and shape, in Keras order), recorded even when
    /// <see cref="Fill"/> is <see cref="WeightFill.None"/>: what a weights file must supply.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<(string Name, long[] Shape)>> ExpectedWeights => expectedWeights;

    /// <summary>A layer under construction: its IR node and the rules that size its output and weights.</summary>
    private sealed record Layer(
        LayerNode Node,
        Func<IReadOnlyList<int[]>, int[]> OutputShape,
        Func<IReadOnlyList<int[]>, IReadOnlyList<WeightSlot>> WeightSlots)
    {
        public bool Built { get; set; }
    }

    /// <summary>One variable a layer creates on its first call: short name, shape and initializer.</summary>
    private readonly record struct WeightSlot(string Name, long[] Shape, Init Init);

    private enum Init { GlorotUniform, Zeros, Ones }

    /// <summary>Keras's <c>unique_object_name(to_snake_case(cls), zero_based=True)</c>: conv2d, conv2d_1, …</summary>
    private string AutoName(string prefix, bool zeroBased = true)
    {
        while (true)
        {
            int n = nameCounters.GetValueOrDefault(prefix);
            nameCounters[prefix] = n + 1;
            var name = zeroBased ? (n == 0 ? prefix : $"{prefix}_{n}") : $"{prefix}_{n + 1}";
            if (!layers.ContainsKey(name)) return name;
        }
    }

    /// <summary>Keras's <c>to_snake_case</c> of a class name: <c>BatchNormalization</c> → <c>batch_normalization</c>, <c>Conv2D</c> → <c>conv2d</c>.</summary>
    public static string SnakeCase(string className)
    {
        var intermediate = System.Text.RegularExpressions.Regex.Replace(className, "(.)([A-Z][a-z0-9]+)", "$1_$2");
        return System.Text.RegularExpressions.Regex.Replace(intermediate, "([a-z])([A-Z])", "$1_$2").ToLowerInvariant();
    }

    /// <summary>Registers a layer and returns the function that calls it.</summary>
    private LayerCall Define(string className, string? name, JsonObject config,
        Func<IReadOnlyList<int[]>, int[]> outputShape, Func<IReadOnlyList<int[]>, IReadOnlyList<WeightSlot>>? weights = null)
    {
        var layer = DefineLayer(className, name, config, outputShape, weights, inputLayer: false);
        return inputs => Call(layer, inputs);
    }

    private Layer DefineLayer(string className, string? name, JsonObject config,
        Func<IReadOnlyList<int[]>, int[]> outputShape, Func<IReadOnlyList<int[]>, IReadOnlyList<WeightSlot>>? weights, bool inputLayer)
    {
        ThrowIfFinished();
        // Input layers are named input_1, input_2, … (one-based), every other class zero-based.
        name ??= inputLayer ? AutoName("input", zeroBased: false) : AutoName(SnakeCase(className));
        if (layers.ContainsKey(name))
            throw new UnsupportedFeatureException($"model being built: a layer named '{name}' already exists; Keras requires unique layer names");
        var configWithName = inputLayer ? new JsonObject() : new JsonObject { ["name"] = name, ["trainable"] = true, ["dtype"] = "float32" };
        foreach (var (k, v) in config) configWithName[k] = v?.DeepClone();
        if (inputLayer) configWithName["name"] = name;
        // Re-parsed so that every value is a JSON element, as any reader produces (the runtime's specs read
        // numbers as JSON elements; a boxed C# int would not convert to double there).
        configWithName = (JsonObject)JsonNode.Parse(configWithName.ToJsonString())!;
        var layer = new Layer(new LayerNode(className, name, configWithName), outputShape, weights ?? (_ => Array.Empty<WeightSlot>()));
        layers.Add(name, layer);
        return layer;
    }

    private SymbolicTensor Call(Layer layer, SymbolicTensor[] inputs)
    {
        ThrowIfFinished();
        if (inputs.Length == 0) throw new ArgumentException($"layer '{layer.Node.Name}' called on no tensors", nameof(inputs));
        foreach (var t in inputs)
            if (!ReferenceEquals(t.Owner, this))
                throw new ArgumentException($"layer '{layer.Node.Name}' called on tensor {t} of another builder", nameof(inputs));
        var shapes = inputs.Select(t => t.Shape).ToArray();
        var output = layer.OutputShape(shapes);
        if (!layer.Built)
        {
            var slots = layer.WeightSlots(shapes);
            foreach (var slot in slots) layer.Node.Weights.AddRange(MakeWeight(layer.Node.Name, slot));
            expectedWeights[layer.Node.Name] = slots.Select(s => (s.Name, s.Shape)).ToList();
            layer.Built = true;
        }
        else
        {
            var again = layer.WeightSlots(shapes);
            if (!again.Select(s => s.Shape).SequenceEqual(expectedWeights[layer.Node.Name].Select(w => w.Shape), ShapeComparer.Instance))
                throw new UnsupportedFeatureException($"layer '{layer.Node.Name}' is shared but called on inputs of other shapes ({string.Join(", ", shapes.Select(Text))})");
        }
        bool asList = inputs.Length > 1 || layer.Node.ClassName is "Concatenate" or "Add";
        layer.Node.InboundNodes.Add(new NodeCall(inputs.Select(t => t.Source), new JsonObject(), asList));
        return new SymbolicTensor(this, new TensorRef(layer.Node.Name, layer.Node.InboundNodes.Count - 1, 0), output);
    }

    private IEnumerable<WeightTensor> MakeWeight(string layer, WeightSlot slot)
    {
        if (Fill == WeightFill.None) yield break;
        var values = new float[WeightTensor.ElementCount(slot.Shape)];
        switch (slot.Init)
        {
            case Init.GlorotUniform: Initializers.FillGlorotUniform(values, slot.Shape, ref rngState); break;
            case Init.Ones: values.AsSpan().Fill(1f); break;
        }
        yield return new WeightTensor($"{layer}/{slot.Name}:0", slot.Shape, DType.Float32, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
    }

    /// <summary>
    /// Ends the build: a functional model named <paramref name="name"/> from <paramref name="inputs"/> to
    /// <paramref name="outputs"/>, its layers in Keras's order (see <see cref="LayerOrder"/>).
    /// </summary>
    public ModelGraph Model(IReadOnlyList<SymbolicTensor> inputs, IReadOnlyList<SymbolicTensor> outputs, string name)
    {
        ThrowIfFinished();
        finished = true;
        var graph = new ModelGraph { ClassName = "Functional", Name = name };
        graph.ConfigExtras["trainable"] = true;
        graph.Inputs.AddRange(inputs.Select(t => t.Source));
        graph.Outputs.AddRange(outputs.Select(t => t.Source));
        graph.Layers.AddRange(LayerOrder.Of(layers.ToDictionary(p => p.Key, p => p.Value.Node), graph.Inputs, graph.Outputs));
        graph.Metadata.Dialect = KerasDialectKind.Keras2;
        graph.Metadata.KerasVersion = "2.15.0";
        graph.Metadata.Backend = "tensorflow";
        return graph;
    }

    /// <summary>As <see cref="Model(IReadOnlyList{SymbolicTensor}, IReadOnlyList{SymbolicTensor}, string)"/> for one input and one output.</summary>
    public ModelGraph Model(SymbolicTensor input, SymbolicTensor output, string name) => Model([input], [output], name);

    private void ThrowIfFinished()
    {
        if (finished) throw new InvalidOperationException("this builder already produced its model; use a new LayerBuilder for another");
    }

    private static string Text(int[] shape) => $"(None, {string.Join(", ", shape)})";

    private sealed class ShapeComparer : IEqualityComparer<long[]>
    {
        public static readonly ShapeComparer Instance = new();
        public bool Equals(long[]? a, long[]? b) => a is not null && b is not null && a.AsSpan().SequenceEqual(b);
        public int GetHashCode(long[] a) => a.Length;
    }
}
