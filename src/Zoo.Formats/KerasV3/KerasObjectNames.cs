using System.Text.RegularExpressions;
using Zoo.Formats.Ir;

namespace Zoo.Formats.KerasV3;

/// <summary>
/// Keras 3 addresses a layer's state by where it sits in its model, never by the layer's own name:
/// <c>layers/&lt;snake_cased class&gt;[_&lt;n&gt;]</c>, counted per container in <c>model.layers</c> order.
/// This file holds those naming rules (Keras's <c>naming.to_snake_case</c> and the saving code's
/// per-container unique-name counter).
/// </summary>
internal static partial class KerasObjectNames
{
    /// <summary>The group that holds a container's layers.</summary>
    public const string LayersGroup = "layers";

    /// <summary>The group that holds one object's own variables.</summary>
    public const string VarsGroup = "vars";

    /// <summary>Keras's snake-casing of a class name: <c>Conv2D</c> → <c>conv2d</c>, <c>QActivation</c> → <c>q_activation</c>.</summary>
    public static string ToSnakeCase(string name)
    {
        var s = NonWord().Replace(name, "");
        s = CapitalisedWord().Replace(s, "$1_$2");
        return LowerThenUpper().Replace(s, "$1_$2").ToLowerInvariant();
    }

    /// <summary>
    /// The class Keras 3 instantiates for a config class name, as far as naming is concerned: tf.keras's
    /// <c>Model</c> with a functional config becomes <c>Functional</c>.
    /// </summary>
    public static string RuntimeClassName(LayerNode layer)
        => layer.ClassName == "Model" && layer.Nested is not null ? "Functional" : layer.ClassName;

    /// <summary>
    /// The layers of <paramref name="graph"/> that Keras 3 saves, each with its object path relative to
    /// the model (<c>layers/dense_1</c>). A Sequential model's leading InputLayer is not among
    /// <c>Sequential.layers</c> and has no object; a Functional model's InputLayers are.
    /// </summary>
    public static List<(LayerNode Layer, string Path)> ContainerPaths(ModelGraph graph)
    {
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<(LayerNode, string)>(graph.Layers.Count);
        for (int i = 0; i < graph.Layers.Count; i++)
        {
            var layer = graph.Layers[i];
            if (i == 0 && IsSequential(graph) && layer.ClassName == "InputLayer") continue;
            result.Add((layer, $"{LayersGroup}/{UniqueName(ToSnakeCase(RuntimeClassName(layer)), used)}"));
        }
        return result;
    }

    /// <summary>Keras's per-container counter: the first <c>dense</c>, then <c>dense_1</c>, <c>dense_2</c>…</summary>
    public static string UniqueName(string name, Dictionary<string, int> used)
    {
        if (used.TryGetValue(name, out int n))
        {
            used[name] = n + 1;
            return $"{name}_{n + 1}";
        }
        used[name] = 0;
        return name;
    }

    private static bool IsSequential(ModelGraph graph) => graph.ClassName == "Sequential";

    [GeneratedRegex(@"\W+")]
    private static partial Regex NonWord();

    [GeneratedRegex("(.)([A-Z][a-z]+)")]
    private static partial Regex CapitalisedWord();

    [GeneratedRegex("([a-z])([A-Z])")]
    private static partial Regex LowerThenUpper();
}
