using System.Text.Json.Nodes;

namespace Zoo.Formats.Ir;

/// <summary>
/// The format-neutral model: what every reader produces and every writer consumes. It holds the
/// architecture (layers and their connectivity), the weights, the training config, the optimizer
/// state and who wrote it. A weights-only file gives a graph with <see cref="HasArchitecture"/> false.
/// </summary>
public sealed class ModelGraph
{
    /// <summary>Model class: <c>Sequential</c>, <c>Functional</c> (tf.keras ≥ 2.4, Keras 3) or <c>Model</c> (Keras 1/2).</summary>
    public string ClassName { get; set; } = "Functional";

    /// <summary>Model name.</summary>
    public string Name { get; set; } = "model";

    /// <summary>False for a weights-only file: layers carry names and weights but no config.</summary>
    public bool HasArchitecture { get; set; } = true;

    /// <summary>Layers in config order (for Sequential, execution order).</summary>
    public List<LayerNode> Layers { get; } = new();

    /// <summary>Functional model inputs (<c>input_layers</c>).</summary>
    public List<TensorRef> Inputs { get; } = new();

    /// <summary>Functional model outputs (<c>output_layers</c>).</summary>
    public List<TensorRef> Outputs { get; } = new();

    /// <summary>Whether <c>input_layers</c>/<c>output_layers</c> were a single ref rather than a list of refs (Keras 3 writes that for one input).</summary>
    public bool InputsAsSingle { get; set; }

    /// <summary>See <see cref="InputsAsSingle"/>.</summary>
    public bool OutputsAsSingle { get; set; }

    /// <summary>Members of the model's <c>config</c> other than <c>name</c>, <c>layers</c>, <c>input_layers</c>, <c>output_layers</c>, verbatim.</summary>
    public JsonObject ConfigExtras { get; set; } = new();

    /// <summary>Members of the model's top-level object other than <c>class_name</c> and <c>config</c> (Keras 3 <c>module</c>, <c>compile_config</c>, …).</summary>
    public JsonObject Extras { get; set; } = new();

    /// <summary>True when a Sequential config was the bare list of layers written before Keras 2.2.3.</summary>
    public bool SequentialConfigIsList { get; set; }

    /// <summary>The <c>training_config</c> (loss, metrics, optimizer config) of a compiled model; null when absent.</summary>
    public JsonObject? TrainingConfig { get; set; }

    /// <summary>Optimizer state in the optimizer's own order; names as stored.</summary>
    public List<WeightTensor> OptimizerWeights { get; } = new();

    /// <summary>Who wrote the model and in which format.</summary>
    public ModelMetadata Metadata { get; set; } = new();

    /// <summary>Things a reader noticed but could go on without (missing weight shards, Lambda layers, …), one sentence each.</summary>
    public List<string> Warnings { get; } = new();

    /// <summary>True for Sequential models.</summary>
    public bool IsSequential => ClassName == "Sequential";

    /// <summary>Sets the dialect of this graph and of every nested model's graph (they were all written by one Keras).</summary>
    public void SetDialect(KerasDialectKind dialect)
    {
        Metadata.Dialect = dialect;
        foreach (var l in Layers) l.Nested?.SetDialect(dialect);
    }

    /// <summary>Finds a layer by name (null when absent).</summary>
    public LayerNode? FindLayer(string name) => Layers.FirstOrDefault(l => l.Name == name);

    /// <summary>Finds a layer by name or throws a <see cref="ModelFormatException"/> naming it.</summary>
    public LayerNode GetLayer(string name)
        => FindLayer(name) ?? throw new ModelFormatException($"model '{Name}': no layer named '{name}'");

    /// <summary>All weights, including nested models', in layer order.</summary>
    public IEnumerable<WeightTensor> AllWeights() => Layers.SelectMany(l => l.AllWeights());

    /// <summary>Total number of weight elements.</summary>
    public long ParameterCount() => AllWeights().Sum(w => w.ElementCount());
}
