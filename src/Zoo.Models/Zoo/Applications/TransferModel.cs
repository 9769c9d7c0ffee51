using System.Text.Json.Nodes;
using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Formats.Summary;
using Zoo.Models.ModelZoo.Builder;

namespace Zoo.Models.ModelZoo.Applications;

/// <summary>How <see cref="TransferModel.Build"/> wraps a base.</summary>
public sealed record TransferModelOptions
{
    /// <summary>The new head.</summary>
    public ClassifierHeadOptions Head { get; init; } = new();

    /// <summary>The base's <c>trainable</c> flag (Keras's guide sets it false before the first training run).</summary>
    public bool BaseTrainable { get; init; }

    /// <summary>The <c>training</c> keyword of the base's call (<c>base(x, training=False)</c> keeps its BatchNormalization in inference mode); null passes none.</summary>
    public bool? BaseTraining { get; init; } = false;

    /// <summary>The outer model's name.</summary>
    public string Name { get; init; } = "model";
}

/// <summary>
/// The model Keras's transfer-learning guide builds around a pre-trained base, laid out as Keras saves it:
/// <code>
/// base.trainable = False
/// inputs = keras.Input(shape)
/// x = base(inputs, training=False)
/// x = keras.layers.GlobalAveragePooling2D()(x)
/// x = keras.layers.Dropout(0.2)(x)
/// outputs = keras.layers.Dense(classes, activation="softmax")(x)
/// model = keras.Model(inputs, outputs)
/// </code>
/// The base becomes a layer holding its own graph (a nested model, called at Keras node 1), in the base's dialect.
/// </summary>
public static class TransferModel
{
    /// <summary>Builds the model around a copy of <paramref name="base"/> (one image input with a declared shape).</summary>
    /// <exception cref="UnsupportedFeatureException">The base has several inputs or outputs, or an input without a declared shape.</exception>
    public static ModelGraph Build(ModelGraph @base, TransferModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(@base);
        var o = options ?? new TransferModelOptions();
        var dialect = @base.Metadata.Dialect;
        var summary = ModelSummary.Of(@base);
        if (summary.OutputShapes.Count != 1 || summary.OutputShapes[0] is not { } featureShape || featureShape.Dims.Skip(1).Any(d => d is null))
            throw new UnsupportedFeatureException($"model '{@base.Name}': a transfer model needs a base with one output of known shape");
        var inputShape = InputShapeOf(@base);

        var nested = @base.DeepClone();
        nested.TrainingConfig = null;
        nested.OptimizerWeights.Clear();
        foreach (var key in new[] { "keras_version", "backend", "compile_config", "build_config" }) nested.Extras.Remove(key);
        var baseLayer = new LayerNode(nested.ClassName == "Model" ? "Functional" : nested.ClassName, nested.Name, nested.ConfigExtras)
        {
            Nested = nested,
            Extras = nested.Extras,
        };
        if (dialect == KerasDialectKind.Keras3)
        {
            baseLayer.Extras["module"] = baseLayer.ClassName == "Functional" ? "keras.src.models.functional" : "keras";
            baseLayer.Extras["registered_name"] = baseLayer.ClassName == "Functional" ? "Functional" : null;
        }
        // base.trainable = value propagates to every layer inside, as Keras's setter does.
        SetTrainable(baseLayer, o.BaseTrainable);

        var outer = new ModelGraph
        {
            ClassName = "Functional", Name = o.Name,
            Metadata = new ModelMetadata { KerasVersion = @base.Metadata.KerasVersion, Backend = @base.Metadata.Backend ?? "tensorflow", Dialect = dialect },
        };
        outer.ConfigExtras["name"] = o.Name;
        var names = new HashSet<string>(ClassifierHead.AllNames(@base), StringComparer.Ordinal) { @base.Name, o.Name };
        var input = InputLayer(dialect == KerasDialectKind.Keras3 ? ClassifierHead.Unique(names, "input_layer") : NumberedName(names, "input"), inputShape, dialect);
        outer.Layers.Add(input);
        outer.Inputs.Add(new TensorRef(input.Name, 0, 0));
        outer.Layers.Add(baseLayer);
        var kwargs = o.BaseTraining is { } t ? new JsonObject { ["training"] = t } : null;
        baseLayer.InboundNodes.Add(new NodeCall([new TensorRef(input.Name, 0, 0)], kwargs));
        var features = new TensorRef(baseLayer.Name, KerasNodeIndex.FirstSavedNode(baseLayer, dialect), 0);
        var output = ClassifierHead.Append(outer, features, featureShape.Dims.Select(d => d ?? 1).ToArray(), o.Head);
        outer.Outputs.Add(output!.Value);
        outer.SetDialect(dialect);
        return outer;
    }

    // tf.keras numbers its automatic input names from 1: input_1, input_2, …
    private static string NumberedName(HashSet<string> names, string prefix)
    {
        for (int n = 1; ; n++)
            if (names.Add($"{prefix}_{n}")) return $"{prefix}_{n}";
    }

    private static long?[] InputShapeOf(ModelGraph g)
    {
        var first = g.IsSequential ? g.Layers.FirstOrDefault() : g.Inputs.Count == 1 ? g.FindLayer(g.Inputs[0].Layer) : null;
        var shape = first?.Config["batch_input_shape"] ?? first?.Config["batch_shape"];
        if (first is null || shape is not JsonArray dims)
            throw new UnsupportedFeatureException($"model '{g.Name}': a transfer model needs a base with one input of declared shape");
        return dims.Select(d => d is JsonValue v && v.TryGetValue(out long n) ? n : (long?)null).ToArray();
    }

    private static LayerNode InputLayer(string name, long?[] shape, KerasDialectKind dialect)
    {
        var dims = new JsonArray(shape.Select(d => d is { } n ? JsonValue.Create(n) : null).ToArray<JsonNode?>());
        var config = dialect == KerasDialectKind.Keras3
            ? new JsonObject { ["batch_shape"] = dims, ["dtype"] = "float32", ["sparse"] = false, ["name"] = name }
            : new JsonObject { ["batch_input_shape"] = dims, ["dtype"] = "float32", ["sparse"] = false, ["ragged"] = false, ["name"] = name };
        // Re-parsed so every value is a JSON element, as a reader would produce.
        var layer = new LayerNode("InputLayer", name, (JsonObject)JsonNode.Parse(config.ToJsonString())!);
        if (dialect == KerasDialectKind.Keras3)
        {
            layer.Extras["module"] = "keras.layers";
            layer.Extras["registered_name"] = null;
        }
        return layer;
    }

    private static void SetTrainable(LayerNode layer, bool value)
    {
        layer.Trainable = value;
        if (layer.Nested is null) return;
        foreach (var inner in layer.Nested.Layers) SetTrainable(inner, value);
    }
}
