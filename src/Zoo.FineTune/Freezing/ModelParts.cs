using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Models;
using static TorchSharp.torch;

namespace Zoo.FineTune.Freezing;

/// <summary>
/// A model seen as a convolutional base followed by a classifier head. The head starts at the first
/// top-level Flatten or global pooling layer (or, without one, at the trailing run of Dense/Dropout/
/// Activation layers); everything before it is the base. The base's stages are runs of layers at one
/// spatial resolution: a strided convolution opens a new stage, a pooling layer closes its stage (as
/// keras.applications names them: VGG's <c>block5_pool</c> ends block 5, ResNet's stride-2 <c>conv3_block1</c>
/// opens conv3).
/// </summary>
public sealed class ModelParts
{
    private static readonly HashSet<string> HeadOpeners = new(StringComparer.Ordinal)
    {
        "Flatten", "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
        "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D",
    };

    private static readonly HashSet<string> HeadLayers = new(StringComparer.Ordinal) { "Dense", "Dropout", "Activation", "Softmax" };

    private ModelParts(IReadOnlyList<LayerNode> baseLayers, IReadOnlyList<LayerNode> headLayers)
    {
        Base = baseLayers;
        Head = headLayers;
    }

    /// <summary>Top-level layers of the base (input layers excluded), in Keras's layer order.</summary>
    public IReadOnlyList<LayerNode> Base { get; }

    /// <summary>Top-level layers of the head, in order; empty for a model without one (include_top=False).</summary>
    public IReadOnlyList<LayerNode> Head { get; }

    /// <summary>Splits <paramref name="graph"/>'s top-level layers into base and head.</summary>
    public static ModelParts Of(ModelGraph graph)
    {
        var layers = graph.Layers.Where(l => l.ClassName != "InputLayer").ToList();
        int start = layers.FindIndex(l => HeadOpeners.Contains(l.ClassName));
        if (start < 0)
        {
            start = layers.Count;
            while (start > 0 && HeadLayers.Contains(layers[start - 1].ClassName)) start--;
            if (start == 0) start = layers.Count;
        }
        return new ModelParts(layers.Take(start).ToList(), layers.Skip(start).ToList());
    }

    /// <summary>The base's leaf layers (inside nested models too) with their <c>model/layer</c> paths, in order.</summary>
    public IReadOnlyList<(string Path, LayerNode Node)> BaseLeaves()
    {
        var result = new List<(string, LayerNode)>();
        void Walk(LayerNode node, string prefix)
        {
            if (node.Nested is null) { result.Add((prefix + node.Name, node)); return; }
            foreach (var inner in node.Nested.Layers.Where(l => l.ClassName != "InputLayer")) Walk(inner, prefix + node.Name + "/");
        }
        foreach (var l in Base) Walk(l, "");
        return result;
    }

    /// <summary>
    /// The stage (1-based) of each base leaf, from one forward pass at batch 1 on <paramref name="graph"/>
    /// (whose inputs must declare their shapes).
    /// </summary>
    public IReadOnlyList<int> Stages(ModelGraph graph)
    {
        var shapes = OutputShapes(graph);
        var leaves = BaseLeaves();
        var stages = new int[leaves.Count];
        int stage = 1;
        bool stageHasWeights = false, closePending = false;
        long? current = null;
        for (int i = 0; i < leaves.Count; i++)
        {
            var (path, node) = leaves[i];
            bool padding = node.ClassName.StartsWith("ZeroPadding", StringComparison.Ordinal);
            bool pooling = node.ClassName.Contains("Pooling", StringComparison.Ordinal);
            long? size = !padding && shapes.TryGetValue(path, out var s) && s.Length >= 3 ? s[1..^1].Aggregate(1L, (a, b) => a * b) : null;
            if (size is { } z)
            {
                if (closePending) { stage++; stageHasWeights = false; closePending = false; }
                if (current is { } c && z < c)
                {
                    if (pooling) closePending = true;
                    else if (stageHasWeights) { stage++; stageHasWeights = false; }
                }
                if (current is null || z < current) current = z;
            }
            stageHasWeights |= node.Weights.Count > 0 || node.ClassName.Contains("Conv", StringComparison.Ordinal);
            stages[i] = stage;
        }
        return stages;
    }

    /// <summary>
    /// The units the Medium policy cuts between, one per base leaf (1-based), with what they are called and how many
    /// of the last ones train by default. keras.applications' InceptionV3 is cut between inception blocks (each ends
    /// in a <c>mixedN</c> concatenation) and trains the last two, as Keras's fine-tuning guide does; every other
    /// base is cut between its <see cref="Stages"/> (a ResNet after a stage's last block, a VGG after a block's pool)
    /// and trains the last one.
    /// </summary>
    public (IReadOnlyList<int> Units, string Kind, int Recommended) Units(ModelGraph graph)
    {
        var leaves = BaseLeaves();
        int blocks = leaves.Count(l => IsInceptionBlockEnd(l.Node));
        if (blocks >= 3)
        {
            var units = new int[leaves.Count];
            int unit = 1;
            for (int i = 0; i < leaves.Count; i++)
            {
                units[i] = unit;
                if (IsInceptionBlockEnd(leaves[i].Node)) unit++;
            }
            // Layers after the last block end (none in keras.applications' base) belong to the last block.
            for (int i = 0; i < units.Length; i++) units[i] = Math.Min(units[i], blocks);
            return (units, "inception block", 2);
        }
        return (Stages(graph), "stage", 1);
    }

    // keras.applications names InceptionV3's block outputs mixed0 … mixed10 (mixed9_0 and mixed9_1 are inside block 9).
    private static bool IsInceptionBlockEnd(LayerNode node)
        => node.ClassName == "Concatenate" && System.Text.RegularExpressions.Regex.IsMatch(node.Name, @"^mixed\d+$");

    /// <summary>Every layer call's output shape (Keras layout), keyed by path, from a batch-1 pass of ones.</summary>
    internal static Dictionary<string, long[]> OutputShapes(ModelGraph graph)
    {
        using var model = KerasModel.FromGraph(graph);
        var shapes = model.InputShapes;
        if (shapes.Count == 0 || shapes.Any(s => s is null))
            throw new UnsupportedFeatureException($"model '{graph.Name}': finding stages needs every input to declare its shape");
        var probes = shapes.Select(s => ones(s!.Select((d, i) => i == 0 ? 1 : d ?? 32).ToArray())).ToArray();
        try
        {
            var acts = model.PredictActivations(probes);
            var result = acts.ToDictionary(p => p.Key, p => p.Value.shape, StringComparer.Ordinal);
            foreach (var t in acts.Values) t.Dispose();
            return result;
        }
        finally { foreach (var p in probes) p.Dispose(); }
    }
}
