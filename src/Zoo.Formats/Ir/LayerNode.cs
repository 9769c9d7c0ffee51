using System.Text.Json.Nodes;

namespace Zoo.Formats.Ir;

/// <summary>
/// One layer of a model: its Keras class, name, the config exactly as read (so fields Zoo does not
/// know survive any round trip), its calls in a functional graph, its weights and, for a model used
/// as a layer, the nested graph.
/// </summary>
public sealed class LayerNode
{
    /// <summary>Creates a layer of Keras class <paramref name="className"/> named <paramref name="name"/>.</summary>
    public LayerNode(string className, string name, JsonObject? config = null)
    {
        ClassName = className;
        Name = name;
        Config = config ?? new JsonObject();
    }

    /// <summary>Keras class name as written (<c>Conv2D</c>, <c>Convolution2D</c>, <c>Functional</c>, a custom name).</summary>
    public string ClassName { get; set; }

    /// <summary>Layer name, unique within its graph.</summary>
    public string Name { get; set; }

    /// <summary>The layer's <c>config</c> object, verbatim, in the dialect the graph was read in.</summary>
    public JsonObject Config { get; set; }

    /// <summary>
    /// Other members of the layer's entry besides <c>class_name</c>, <c>config</c>, <c>name</c> and
    /// <c>inbound_nodes</c> (Keras 3's <c>module</c>, <c>registered_name</c>, <c>build_config</c>, …), verbatim.
    /// </summary>
    public JsonObject Extras { get; set; } = new();

    /// <summary>Calls of this layer in a functional graph, by node index; empty in a Sequential model.</summary>
    public List<NodeCall> InboundNodes { get; } = new();

    /// <summary>The <c>inbound_nodes</c> JSON as read, reused when writing the same dialect and the calls are unchanged.</summary>
    public JsonArray? RawInboundNodes { get; set; }

    /// <summary>The layer's weights in Keras order (trainable then non-trainable). For a nested model, its own layers hold them.</summary>
    public List<WeightTensor> Weights { get; } = new();

    /// <summary>For a model used as a layer (Sequential, Functional, Model): its graph.</summary>
    public ModelGraph? Nested { get; set; }

    /// <summary>
    /// For a nested model: the weight names in the order its H5 group listed them (all trainable, then all
    /// non-trainable, across its layers). Writers reuse it while it still matches the weights.
    /// </summary>
    public List<string>? StoredWeightOrder { get; set; }

    /// <summary>
    /// The nested model's <c>trainable</c> flags when <see cref="StoredWeightOrder"/> was read
    /// (<see cref="Weights.KerasWeightOrder.TrainableFlags"/>): the stored order holds only while they are unchanged.
    /// </summary>
    public string? StoredTrainableFlags { get; set; }

    /// <summary>
    /// Where a Keras 3 weight store keeps this layer, relative to its model (<c>layers/dense_1</c>); set by
    /// readers of weights-only Keras 3 stores, where no architecture can recompute it. Null otherwise:
    /// writers derive it from the architecture.
    /// </summary>
    public string? ObjectPath { get; set; }

    /// <summary>The <c>trainable</c> flag of the config (true when absent).</summary>
    public bool Trainable
    {
        get => Config["trainable"] is JsonValue v && v.TryGetValue(out bool b) ? b : true;
        set => Config["trainable"] = value;
    }

    /// <summary>True when this layer is itself a model.</summary>
    public bool IsModel => Nested is not null;

    /// <summary>All weights, including those of nested models' layers, depth first.</summary>
    public IEnumerable<WeightTensor> AllWeights()
        => Nested is null ? Weights : Weights.Concat(Nested.Layers.SelectMany(l => l.AllWeights()));

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({ClassName})";
}
