using Zoo.Formats;
using Zoo.Formats.Ir;

namespace Zoo.FineTune.Freezing;

/// <summary>What <see cref="Freezer.Prepare"/> decided, and why.</summary>
public sealed record FreezeReport(FreezePolicy Policy, IReadOnlyList<string> Reasoning, IReadOnlyList<string> FrozenLayers, IReadOnlyList<string> TrainableLayers)
{
    /// <summary>The reasoning, one line each.</summary>
    public override string ToString() => string.Join(Environment.NewLine, Reasoning);
}

/// <summary>
/// Applies the size-based transfer-learning rules to a model: optionally gives it a new head, then sets
/// every layer's <c>trainable</c> flag (so exported configs carry them) — Small freezes the whole base,
/// Medium freezes the base up to a stage boundary, Large trains everything, Auto picks one of the three.
/// <code>
/// var (graph, report) = Freezer.Prepare(ResNet50.Build(new() { Weights = "resnet50.h5" }),
///     new FineTuneOptions { Policy = FreezePolicy.Auto, DatasetSize = 800, NewHeadClasses = 5 });
/// Console.WriteLine(report);
/// </code>
/// </summary>
public static class Freezer
{
    /// <summary>A prepared copy of <paramref name="graph"/> and the report; the input graph is not changed.</summary>
    public static (ModelGraph Graph, FreezeReport Report) Prepare(ModelGraph graph, FineTuneOptions options)
    {
        RefuseRandomBase(graph, options);
        var g = options.NewHeadClasses is { } classes
            ? HeadReplacer.Replace(graph, classes, options.HeadDropout, options.HeadActivation, options.Seed)
            : graph.DeepClone();
        return (g, Apply(g, options, options.NewHeadClasses));
    }

    /// <summary>
    /// Sets the <c>trainable</c> flags of <paramref name="graph"/> itself by <paramref name="options"/>' policy (a new head,
    /// <see cref="FineTuneOptions.NewHeadClasses"/>, needs <see cref="Prepare"/>: it makes a new graph).
    /// </summary>
    public static FreezeReport Apply(ModelGraph graph, FineTuneOptions options)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (options.NewHeadClasses is not null)
            throw new ArgumentException("a new head makes a new model: use Freezer.Prepare or KerasModel.ReplaceHead", nameof(options));
        RefuseRandomBase(graph, options);
        return Apply(graph, options, newHead: null);
    }

    // Frozen random features train nothing useful: only an explicit request freezes a base that was never trained.
    private static void RefuseRandomBase(ModelGraph graph, FineTuneOptions options)
    {
        if (graph.Metadata.RandomWeights && options.Policy != FreezePolicy.Large && !options.AllowRandomBase)
            throw new UnsupportedFeatureException(
                $"model '{graph.Name}' has freshly initialized weights, no imported ones: the {options.Policy.ToString().ToLowerInvariant()} policy would freeze random features, which trains nothing useful; load pre-trained weights, use the large policy (training from scratch), or allow it explicitly (AllowRandomBase)");
    }

    private static FreezeReport Apply(ModelGraph g, FineTuneOptions options, int? newHead)
    {
        var reasons = new List<string>();
        var policy = options.Policy;
        if (g.Metadata.RandomWeights && policy == FreezePolicy.Large)
            reasons.Add("large: the base has no imported weights, so the whole model trains from scratch");
        if (policy == FreezePolicy.Auto)
        {
            var size = options.DatasetSize ?? throw new ArgumentException("the Auto policy needs FineTuneOptions.DatasetSize (the number of training samples)", nameof(options));
            (policy, var why) = AutoPolicy.Choose(size, options.Similarity, options.Thresholds);
            reasons.Add("auto: " + why);
        }
        if (newHead is { } c) reasons.Add($"head: replaced by GlobalAveragePooling2D + Dropout({options.HeadDropout}) + Dense({c}, {options.HeadActivation})");
        else reasons.Add("head: kept");

        var parts = ModelParts.Of(g);
        var leaves = parts.BaseLeaves();
        int cut = policy switch
        {
            FreezePolicy.Small => leaves.Count,
            FreezePolicy.Large => 0,
            _ => MediumCut(g, parts, options.Cut, reasons),
        };
        if (policy == FreezePolicy.Small && parts.Head.Count == 0)
            throw new UnsupportedFeatureException($"model '{g.Name}': the Small policy trains only the head, and this model has none; ask for a new head (NewHeadClasses)");
        var frozenPaths = leaves.Take(cut).Select(l => l.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var layer in g.Layers) SetTrainable(layer, "", frozenPaths);
        var frozen = new List<string>();
        var trainable = new List<string>();
        foreach (var (path, on) in TrainableFlags.Effective(g))
            (on ? trainable : frozen).Add(path);
        reasons.Add(policy switch
        {
            FreezePolicy.Small => $"small: the whole base ({leaves.Count} layers) is frozen; the head ({string.Join(", ", parts.Head.Select(l => l.Name))}) trains",
            FreezePolicy.Large => $"large: all {trainable.Count} layers train from the imported weights",
            _ => $"medium: {cut} base layers frozen (up to '{(cut > 0 ? leaves[cut - 1].Path : "-")}'), {leaves.Count - cut} base layers and the head train",
        });
        return new FreezeReport(policy, reasons, frozen, trainable);
    }

    private static int MediumCut(ModelGraph g, ModelParts parts, FreezeCut cut, List<string> reasons)
    {
        var leaves = parts.BaseLeaves();
        if (cut is FreezeCut.Layer byName)
        {
            int at = leaves.ToList().FindIndex(l => l.Path == byName.Name || l.Node.Name == byName.Name);
            if (at < 0) throw new UnsupportedFeatureException($"model '{g.Name}': no base layer named '{byName.Name}' to cut at");
            reasons.Add($"cut: at layer '{byName.Name}' (index {at} of {leaves.Count} base layers)");
            return at;
        }
        var (stages, kind, recommended) = parts.Units(g);
        int count = stages.Count == 0 ? 0 : stages[^1];
        var starts = Enumerable.Range(1, count).Select(s => stages.ToList().IndexOf(s)).Where(i => i >= 0).ToList();
        int result;
        if (cut is FreezeCut.Stages or FreezeCut.ByArchitecture)
        {
            int train = cut is FreezeCut.Stages last ? last.Count : recommended;
            int firstTrained = Math.Max(1, count - train + 1);
            result = count == 0 ? 0 : starts[firstTrained - 1];
            reasons.Add($"cut: the base has {count} {kind}s; the last {Math.Min(train, count)} train (from layer '{(result < leaves.Count ? leaves[result].Path : "-")}', {result} base layers frozen)");
        }
        else
        {
            double f = ((FreezeCut.FractionCut)cut).Value;
            double target = f * leaves.Count;
            result = starts.Append(leaves.Count).OrderBy(i => Math.Abs(i - target)).First();
            reasons.Add($"cut: {f:P0} of {leaves.Count} base layers is {target:0.#}; moved to the stage boundary at {result}");
        }
        return result;
    }

    private static bool SetTrainable(LayerNode layer, string prefix, HashSet<string> frozen)
    {
        if (layer.ClassName == "InputLayer") return false;
        if (layer.Nested is null)
        {
            layer.Trainable = !frozen.Contains(prefix + layer.Name);
            return layer.Trainable;
        }
        bool any = false;
        foreach (var inner in layer.Nested.Layers) any |= SetTrainable(inner, prefix + layer.Name + "/", frozen);
        // A nested model is trainable when any of its layers is, as Keras's container flag must allow them.
        layer.Trainable = any;
        return any;
    }
}
