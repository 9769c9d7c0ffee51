using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Models.ModelZoo;
using Zoo.Models.ModelZoo.Applications;
using Zoo.Models.Tests.CrossCheck;

namespace Zoo.Models.Tests.ModelZoo;

/// <summary>One zoo architecture at a small input, as the cross-check builds it.</summary>
/// <param name="Id">Case id (the model's name, plus its variant).</param>
/// <param name="Shape">Input (height, width, channels).</param>
/// <param name="Build">The graph with seeded Keras-initialized weights.</param>
public sealed record ZooCase(string Id, int[] Shape, Func<ModelGraph> Build);

/// <summary>
/// Builds every zoo architecture, gives it seeded weights in which every parameter matters, writes it with
/// <see cref="KerasFile.Save"/> and runs tfjs-layers on all of them in ONE node invocation (the
/// cross-check harness's <c>predict</c> request). Tests read each case's tfjs outputs from here.
/// </summary>
public sealed class ZooCrossCheckSession : IDisposable
{
    internal const int Seed = 4242;
    internal const int Batch = 2;
    private readonly string work = Path.Combine(Path.GetTempPath(), "zoo-zoo-crosscheck-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, JsonObject> results = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Exception> prepareErrors = new(StringComparer.Ordinal);

    // Logits rather than softmax on the heads, so a wrong logit cannot hide in a saturated probability.
    private static ApplicationOptions Top(int h, int w, int c) => new() { InputShape = [h, w, c], Classes = 10, ClassifierActivation = null, Seed = Seed };
    private static ApplicationOptions NoTop(int h, int w, Pooling pooling = Pooling.None) => new() { InputShape = [h, w, 3], IncludeTop = false, Pooling = pooling, Seed = Seed };

    /// <summary>Every architecture of the zoo (and each built-in variant tfjs-layers can run), by id.</summary>
    internal static readonly IReadOnlyDictionary<string, ZooCase> Cases = new ZooCase[]
    {
        new("lenet5", [32, 32, 1], () => LeNet5.Build(Top(32, 32, 1))),
        new("lenet5-relu-maxpool", [32, 32, 1], () => LeNet5.Build(Top(32, 32, 1), modern: true)),
        new("alexnet", [67, 67, 3], () => AlexNet.Build(Top(67, 67, 3))),
        new("alexnet-batchnorm", [67, 67, 3], () => AlexNet.Build(Top(67, 67, 3), AlexNetNormalization.BatchNormalization)),
        new("vgg16-notop", [32, 32, 3], () => Vgg16.Build(NoTop(32, 32))),
        new("vgg19-notop-maxpool", [32, 32, 3], () => Vgg19.Build(NoTop(32, 32, Pooling.Max))),
        new("resnet50-top10", [64, 64, 3], () => ResNet.ResNet50(Top(64, 64, 3))),
        new("resnet101-notop-avg", [32, 32, 3], () => ResNet.ResNet101(NoTop(32, 32, Pooling.Avg))),
        new("resnet152-notop", [32, 32, 3], () => ResNet.ResNet152(NoTop(32, 32))),
        new("resnet50v2-top10", [64, 64, 3], () => ResNetV2.ResNet50V2(Top(64, 64, 3))),
        new("resnet101v2-notop-avg", [32, 32, 3], () => ResNetV2.ResNet101V2(NoTop(32, 32, Pooling.Avg))),
        new("resnet152v2-notop", [32, 32, 3], () => ResNetV2.ResNet152V2(NoTop(32, 32))),
        new("inceptionv3-notop", [75, 75, 3], () => InceptionV3.Build(NoTop(75, 75))),
    }.ToDictionary(c => c.Id, StringComparer.Ordinal);

    /// <summary>Prepares every case and runs node once (nothing when node or node_modules is absent).</summary>
    public ZooCrossCheckSession()
    {
        SkipReason = NodeCrossCheck.SkipReason;
        if (SkipReason is not null) return;
        Directory.CreateDirectory(work);
        var cases = new JsonArray();
        foreach (var c in Cases.Values)
        {
            // A case Zoo cannot build or write keeps its error for its own test; the others still run.
            try { cases.Add(Prepare(c)); }
            catch (Exception e) { prepareErrors[c.Id] = e; }
        }
        var watch = Stopwatch.StartNew();
        var result = NodeCrossCheck.Run(new JsonObject { ["cases"] = cases }, work);
        NodeSeconds = watch.Elapsed.TotalSeconds;
        Tool = result["tool"]!.ToJsonString();
        foreach (var r in result["cases"]!.AsArray().Cast<JsonObject>()) results[(string)r["id"]!] = r;
    }

    /// <summary>Why the cross-check cannot run here, or null.</summary>
    public string? SkipReason { get; }

    /// <summary>Wall time of the single node invocation for all models.</summary>
    public double NodeSeconds { get; }

    /// <summary>The tool versions crosscheck.mjs reported.</summary>
    public string Tool { get; } = "";

    /// <summary>The H5 file Zoo wrote for <paramref name="id"/>.</summary>
    internal string H5Of(string id) => Path.Combine(work, id, "model.h5");

    /// <summary>The tfjs result of <paramref name="id"/>; fails the test when Zoo could not prepare the case.</summary>
    internal JsonObject Result(string id)
    {
        if (prepareErrors.TryGetValue(id, out var error)) Assert.Fail($"{id}: Zoo could not build or write the model: {error.GetType().Name}: {error.Message}");
        Assert.True(results.TryGetValue(id, out var r), $"{id}: crosscheck.mjs returned no result");
        return r!;
    }

    /// <summary>The input written for <paramref name="id"/>: uniform in [−1, 1], batch <see cref="Batch"/>.</summary>
    internal (float[] Data, long[] Shape) Input(string id) => (Bin.Read(Path.Combine(work, id, "x0.bin")), InputShape(Cases[id]));

    private static long[] InputShape(ZooCase c) => [Batch, c.Shape[0], c.Shape[1], c.Shape[2]];

    private JsonObject Prepare(ZooCase c)
    {
        var dir = Path.Combine(work, c.Id);
        Directory.CreateDirectory(dir);
        var graph = c.Build();
        HeScaleKernelsOfPlainStacks(graph);
        EveryParameterMatters(graph, Seed);
        KerasFile.Save(graph, H5Of(c.Id));
        var shape = InputShape(c);
        var random = new Random(Seed + 1);
        var x = new float[shape.Aggregate(1L, (a, b) => a * b)];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(random.NextDouble() * 2 - 1);
        var xPath = Path.Combine(dir, "x0.bin");
        Bin.Write(xPath, x);
        return new JsonObject
        {
            ["id"] = c.Id,
            ["mode"] = "predict",
            ["file"] = H5Of(c.Id),
            ["inputs"] = new JsonArray(new JsonObject { ["file"] = xPath, ["shape"] = new JsonArray(shape.Select(d => (JsonNode?)d).ToArray()) }),
            ["outDir"] = Path.Combine(dir, "tfjs"),
        };
    }

    /// <summary>
    /// Glorot-uniform kernels keep a signal's variance through a linear layer but ReLU halves it, so after the
    /// 13 convolutions of VGG16 (or InceptionV3's ~20 on its longest path) the input's contribution is ~1% of
    /// the biases' and an agreement would say little about the deep kernels. Plain stacks (no residual Add)
    /// get their kernels scaled to He variance (2/fan_in), which keeps the signal's scale layer after layer;
    /// residual networks keep Glorot, whose smaller branches stop the sum of 50 blocks from exploding.
    /// </summary>
    internal static void HeScaleKernelsOfPlainStacks(ModelGraph graph)
    {
        if (graph.Layers.Any(l => l.ClassName == "Add")) return;
        foreach (var layer in graph.Layers)
            for (int k = 0; k < layer.Weights.Count; k++)
            {
                var w = layer.Weights[k];
                if (w.ShortName != "kernel" || w.DType != DType.Float32 || w.Shape.Length < 2) continue;
                var (fanIn, fanOut) = (w.Shape[^2] * w.Shape[..^2].Aggregate(1L, (a, b) => a * b), w.Shape[^1] * w.Shape[..^2].Aggregate(1L, (a, b) => a * b));
                float factor = (float)Math.Sqrt((fanIn + fanOut) / (double)fanIn);
                var data = new byte[w.Data.Length];
                for (int i = 0; i < data.Length; i += 4)
                    BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i), BinaryPrimitives.ReadSingleLittleEndian(w.Data.AsSpan(i)) * factor);
                layer.Weights[k] = new WeightTensor(w.Name, w.Shape, w.DType, data) { ObjectPath = w.ObjectPath };
            }
    }

    /// <summary>
    /// Keras's initial biases are zero and its BatchNormalization starts as the identity (γ 1, β 0, mean 0,
    /// variance 1), so a wrongly bound bias or a swapped mean/variance would still agree. Give each of them
    /// seeded values near those, keeping the variance around 1 so deep activations stay in a sane range.
    /// </summary>
    internal static void EveryParameterMatters(ModelGraph graph, int seed)
    {
        var random = new Random(seed);
        foreach (var layer in graph.Layers)
            for (int k = 0; k < layer.Weights.Count; k++)
            {
                var w = layer.Weights[k];
                (double Low, double High)? range = w.ShortName switch
                {
                    "bias" or "beta" => (-0.1, 0.1),
                    "gamma" => (0.8, 1.2),
                    "moving_mean" => (-0.1, 0.1),
                    "moving_variance" => (0.6, 1.4),
                    _ => null,
                };
                if (range is not { } r || w.DType != DType.Float32) continue;
                var data = new byte[w.Data.Length];
                for (int i = 0; i < data.Length; i += 4)
                    BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i), (float)(r.Low + random.NextDouble() * (r.High - r.Low)));
                layer.Weights[k] = new WeightTensor(w.Name, w.Shape, w.DType, data) { ObjectPath = w.ObjectPath };
            }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // ZOO_CROSSCHECK_KEEP=1 keeps the models, inputs and tfjs outputs to rerun by hand.
        if (Environment.GetEnvironmentVariable("ZOO_CROSSCHECK_KEEP") == "1") return;
        try { if (Directory.Exists(work)) Directory.Delete(work, recursive: true); }
        catch (IOException) { /* a temp folder left behind is harmless */ }
    }
}

/// <summary>The collection that shares one <see cref="ZooCrossCheckSession"/> (one node run for the whole zoo).</summary>
[CollectionDefinition(Name)]
public sealed class ZooCrossCheckCollection : ICollectionFixture<ZooCrossCheckSession>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "zoo models against tfjs-layers";
}
