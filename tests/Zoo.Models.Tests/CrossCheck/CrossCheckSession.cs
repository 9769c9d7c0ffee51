using System.Text.Json.Nodes;
using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Support;

namespace Zoo.Models.Tests.CrossCheck;

/// <summary>
/// Prepares every cross-check case (Zoo writes the H5 files and inputs), then runs tfjs-layers and
/// h5wasm on all of them in ONE node invocation, so the whole cross-check costs one Node start-up.
/// Tests read their case's result from here; a case Zoo could not prepare carries its error instead.
/// </summary>
public sealed class CrossCheckSession : IDisposable
{
    internal const int Seed = 20251126;
    private readonly string work = Path.Combine(Path.GetTempPath(), "zoo-crosscheck-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, JsonObject> results = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Exception> prepareErrors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> notRead = new(StringComparer.Ordinal);

    /// <summary>Every layer case, by id.</summary>
    internal static readonly IReadOnlyDictionary<string, LayerCase> Cases =
        SingleLayerCases.All().Concat(GraphAndRecurrentCases.All()).ToDictionary(c => c.Id, StringComparer.Ordinal);

    /// <summary>Runs the preparation and the one node invocation (nothing when node or the fixtures are absent).</summary>
    public CrossCheckSession()
    {
        SkipReason = NodeCrossCheck.SkipReason;
        if (SkipReason is not null) return;
        Directory.CreateDirectory(work);
        var cases = new JsonArray();
        foreach (var c in Cases.Values) Prepare(() => PrepareLayerCase(c, cases), "layer:" + c.Id);
        if (Fixtures.KerasRealRoot is not null)
            foreach (var row in Fixtures.Manifest().Where(r => r.Kind is "h5-full" or "h5-weights"))
            {
                Prepare(() => PrepareRewrite(row.LocalPath, cases), "ours:" + row.LocalPath);
                cases.Add(new JsonObject { ["id"] = "orig:" + row.LocalPath, ["mode"] = "h5", ["file"] = Fixtures.Path(row.LocalPath) });
                if (row.Kind != "h5-full") continue;
                Prepare(() => PrepareRealPredict(row.LocalPath, cases), "real:" + row.LocalPath);
                Prepare(() => PrepareKeras2Conversion(row.LocalPath, cases), "keras2:" + row.LocalPath);
            }
        var started = DateTime.UtcNow;
        var result = NodeCrossCheck.Run(new JsonObject { ["cases"] = cases }, work);
        NodeSeconds = (DateTime.UtcNow - started).TotalSeconds;
        Tool = result["tool"]!.ToJsonString();
        foreach (var r in result["cases"]!.AsArray().Cast<JsonObject>()) results[(string)r["id"]!] = r;
    }

    /// <summary>Why the cross-check cannot run here, or null.</summary>
    public string? SkipReason { get; }

    /// <summary>Wall time of the single node invocation.</summary>
    public double NodeSeconds { get; }

    /// <summary>The tool versions crosscheck.mjs reported.</summary>
    public string Tool { get; } = "";

    /// <summary>The case's folder: model file, inputs, tfjs outputs.</summary>
    internal string CaseDir(string id) => Path.Combine(work, Sanitize(id));

    /// <summary>The H5 file Zoo wrote for a case id (<c>layer:…</c> or <c>ours:…</c>).</summary>
    internal string H5Of(string id) => Path.Combine(CaseDir(id), "model.h5");

    /// <summary>Why Zoo does not read the fixture behind <paramref name="id"/> (its UnsupportedFeatureException), or null.</summary>
    internal string? NotRead(string id) => notRead.GetValueOrDefault(id);

    /// <summary>What stopped Zoo preparing the case (reading, writing or loading a model), or null.</summary>
    internal Exception? PrepareError(string id) => prepareErrors.GetValueOrDefault(id);

    /// <summary>The node result for <paramref name="id"/>; fails the test when Zoo could not prepare the case.</summary>
    internal JsonObject Result(string id)
    {
        if (prepareErrors.TryGetValue(id, out var error)) Assert.Fail($"{id}: Zoo could not prepare the case: {error.GetType().Name}: {error.Message}");
        Assert.True(results.TryGetValue(id, out var r), $"{id}: crosscheck.mjs returned no result");
        return r!;
    }

    /// <summary>Seeded inputs written for a predict case.</summary>
    internal (float[] Data, long[] Shape)[] Inputs(string id)
    {
        var request = (JsonArray)JsonNode.Parse(File.ReadAllText(Path.Combine(CaseDir(id), "inputs.json")))!;
        return request.Select(i => (Bin.Read((string)i!["file"]!), i!["shape"]!.AsArray().Select(d => (long)d!).ToArray())).ToArray();
    }

    private void Prepare(Action prepare, string id)
    {
        // Any failure is kept and reported by that case's own test, so one bad case never hides the others.
        try { prepare(); }
        catch (Exception e) { prepareErrors[id] = e; }
    }

    private void PrepareLayerCase(LayerCase c, JsonArray cases)
    {
        var id = "layer:" + c.Id;
        Directory.CreateDirectory(CaseDir(id));
        KerasFile.Save(c.Build(Seed), H5Of(id));
        var x = c.MakeInputs(Seed + 1);
        cases.Add(PredictCase(id, H5Of(id), x.Select((d, i) => (d, c.Inputs[i].Shape)).ToArray()));
    }

    private void PrepareRewrite(string localPath, JsonArray cases)
    {
        var id = "ours:" + localPath;
        Directory.CreateDirectory(CaseDir(id));
        if (Load(id, localPath) is not { } graph) return;
        var format = graph.HasArchitecture ? KerasFormat.H5Full : KerasFormat.H5Weights;
        KerasFile.Save(graph, H5Of(id), new SaveOptions { Format = format });
        cases.Add(new JsonObject { ["id"] = id, ["mode"] = "h5", ["file"] = H5Of(id) });
    }

    // Files in another dialect (Keras 1, Keras 3's legacy H5) that Zoo converts to Keras 2: tfjs-layers
    // reads the conversion, Zoo predicts from the original, and the two must agree.
    private void PrepareKeras2Conversion(string localPath, JsonArray cases)
    {
        var id = "keras2:" + localPath;
        if (Load(id, localPath) is not { } graph || graph.Metadata.Dialect == KerasDialectKind.Keras2) return;
        Directory.CreateDirectory(CaseDir(id));
        KerasFile.Save(graph, H5Of(id), new SaveOptions { Dialect = KerasDialectKind.Keras2 });
        if (File.Exists(Path.Combine(CaseDir("real:" + localPath), "inputs.json")))
        {
            var inputs = Inputs("real:" + localPath);
            cases.Add(PredictCase(id, H5Of(id), inputs));
        }
    }

    private ModelGraph? Load(string id, string localPath)
    {
        try { return KerasFile.Load(Fixtures.Path(localPath)); }
        catch (UnsupportedFeatureException e) { notRead[id] = e.Message; return null; }
    }

    private void PrepareRealPredict(string localPath, JsonArray cases)
    {
        var id = "real:" + localPath;
        Directory.CreateDirectory(CaseDir(id));
        IReadOnlyList<long?[]?> shapes;
        using (var model = KerasModel.Load(Fixtures.Path(localPath))) shapes = model.InputShapes;
        if (shapes.Any(s => s is null)) throw new InvalidOperationException("the model declares no input shape, so no input can be generated");
        var random = new Random(Seed);
        var inputs = shapes.Select(s =>
        {
            var shape = s!.Select((d, j) => j == 0 ? 2 : d ?? 8).ToArray();
            var data = new float[shape.Aggregate(1L, (a, b) => a * b)];
            for (int k = 0; k < data.Length; k++) data[k] = (float)(random.NextDouble() * 2 - 1);
            return (data, shape);
        }).ToArray();
        cases.Add(PredictCase(id, Fixtures.Path(localPath), inputs));
    }

    private JsonObject PredictCase(string id, string file, (float[] Data, long[] Shape)[] inputs)
    {
        var list = new JsonArray();
        for (int i = 0; i < inputs.Length; i++)
        {
            var path = Path.Combine(CaseDir(id), $"x{i}.bin");
            Bin.Write(path, inputs[i].Data);
            list.Add(new JsonObject { ["file"] = path, ["shape"] = new JsonArray(inputs[i].Shape.Select(d => (JsonNode?)d).ToArray()) });
        }
        File.WriteAllText(Path.Combine(CaseDir(id), "inputs.json"), list.ToJsonString());
        return new JsonObject { ["id"] = id, ["mode"] = "predict", ["file"] = file, ["inputs"] = list, ["outDir"] = Path.Combine(CaseDir(id), "tfjs") };
    }

    private static string Sanitize(string id) => string.Concat(id.Select(ch => char.IsLetterOrDigit(ch) || ch is '.' or '_' or '-' ? ch : '_'));

    /// <inheritdoc/>
    public void Dispose()
    {
        // ZOO_CROSSCHECK_KEEP=1 keeps the files (models, inputs, request and result JSON) to rerun by hand.
        if (Environment.GetEnvironmentVariable("ZOO_CROSSCHECK_KEEP") == "1") return;
        try { if (Directory.Exists(work)) Directory.Delete(work, recursive: true); }
        catch (IOException) { /* a temp folder left behind is harmless */ }
    }
}

/// <summary>Raw little-endian float32 files, the exchange format with crosscheck.mjs.</summary>
internal static class Bin
{
    public static void Write(string path, float[] data)
    {
        var bytes = new byte[data.Length * 4];
        for (int i = 0; i < data.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), data[i]);
        File.WriteAllBytes(path, bytes);
    }

    public static float[] Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var data = new float[bytes.Length / 4];
        for (int i = 0; i < data.Length; i++) data[i] = System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4));
        return data;
    }
}

/// <summary>The one collection that shares <see cref="CrossCheckSession"/>.</summary>
[CollectionDefinition(Name)]
public sealed class CrossCheckCollection : ICollectionFixture<CrossCheckSession>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "tfjs-layers and h5wasm cross-check";
}
