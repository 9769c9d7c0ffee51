using System.Text.Json.Nodes;
using Xunit.Abstractions;
using Zoo.Formats;
using Zoo.Formats.Tests.Support;

namespace Zoo.Models.Tests.CrossCheck;

/// <summary>
/// The real Keras-written H5 files against the independent implementations: libhdf5 (h5wasm) must see
/// the same layout in Zoo's rewrite as in Keras's original, and tfjs-layers must predict what Zoo
/// predicts from the original.
/// </summary>
[Collection(CrossCheckCollection.Name)]
public class RealFixtureCrossCheckTests(CrossCheckSession session, ITestOutputHelper output)
{
    /// <summary>Every real H5 model and weights file.</summary>
    public static IEnumerable<object[]> H5Files => Fixtures.OfKinds("h5-full", "h5-weights");

    /// <summary>Every real full-model H5 file.</summary>
    public static IEnumerable<object[]> H5Models => Fixtures.OfKinds("h5-full");

    [SkippableTheory]
    [MemberData(nameof(H5Files))]
    public void Libhdf5_sees_the_same_layers_weights_and_attributes_in_Zoos_rewrite_as_in_the_Keras_original(string localPath)
    {
        Skip.If(session.SkipReason is not null, session.SkipReason);
        Fixtures.Require();
        var notRead = session.NotRead("ours:" + localPath);
        Skip.If(notRead is not null, $"Zoo does not read {localPath}: {notRead}");
        var original = session.Result("orig:" + localPath);
        var ours = session.Result("ours:" + localPath);
        Assert.True((bool)original["ok"]!, $"h5wasm could not read the original: {original["error"]}");
        Assert.True((bool)ours["ok"]!, $"h5wasm could not read Zoo's rewrite: {ours["error"]}");

        H5Dump.AssertSameLayout(original, ours);
        int weights = original["layers"]!.AsArray().Sum(l => l!["weights"]?.AsArray().Count ?? 0);
        output.WriteLine($"{localPath}: {original["layer_names"]!.AsArray().Count} layers, {weights} weight datasets bit-identical (SHA-256), attributes equal");
    }

    [SkippableTheory]
    [MemberData(nameof(H5Models))]
    public void Tfjs_layers_and_Zoo_predict_the_same_from_a_real_Keras_file(string localPath)
    {
        Skip.If(session.SkipReason is not null, session.SkipReason);
        Fixtures.Require();
        var id = "real:" + localPath;
        var prepare = session.PrepareError(id);
        Skip.If(prepare is UnsupportedFeatureException || prepare?.Message.Contains("declares no input shape", StringComparison.Ordinal) == true,
            $"Zoo cannot generate an input for {localPath}: {prepare?.Message}");
        var tfjs = session.Result(id);
        var original = session.Result("orig:" + localPath);
        Skip.If((string?)original["root_attrs"]?["backend"] == "theano",
            $"{localPath} was written by the Theano backend: Keras's loader flips its convolution kernels for TensorFlow (Zoo does too), tfjs-layers does not, so it gives no independent answer");
        Skip.If(!(bool)tfjs["ok"]!, $"tfjs-layers 4.22 cannot rebuild {localPath}, so there is no independent answer: {tfjs["error"]}");

        var errors = Agreement.Measure(Fixtures.Path(localPath), session.Inputs(id), tfjs);
        output.WriteLine($"{localPath}: {Agreement.Describe(errors)}; tolerance 1e-5 × max(1, max |y|)");
        Assert.All(errors, e => Assert.True(e.MaxAbs <= 1e-5f * Math.Max(1, e.Magnitude), $"{localPath}: {Agreement.Describe(errors)}"));
    }

    /// <summary>Every real full-model H5 file not in the Keras 2 dialect (Keras 1, Keras 3's legacy H5).</summary>
    public static IEnumerable<object[]> OtherDialectModels => Fixtures.OfKinds("h5-full")
        .Where(r => r[0] is string p && Fixtures.Manifest().FirstOrDefault(m => m.LocalPath == p) is { } m && !m.KerasVersion.StartsWith("2.", StringComparison.Ordinal))
        .DefaultIfEmpty(new object[] { "(fixtures absent)" });

    /// <summary>Zoo bugs this cross-check found in a conversion, by fixture.</summary>
    private static readonly Dictionary<string, string> ConversionBugs = new(StringComparer.Ordinal)
    {
    };

    [SkippableTheory]
    [MemberData(nameof(OtherDialectModels))]
    public void Tfjs_layers_rebuilding_Zoos_Keras_2_conversion_predicts_what_Zoo_predicts_from_the_original(string localPath)
    {
        Skip.If(session.SkipReason is not null, session.SkipReason);
        Fixtures.Require();
        Skip.If(ConversionBugs.TryGetValue(localPath, out var bug), bug);
        var id = "keras2:" + localPath;
        var notRead = session.NotRead(id);
        Skip.If(notRead is not null, $"Zoo does not read {localPath}: {notRead}");
        var tfjs = session.Result(id);
        Assert.True((bool)tfjs["ok"]!, $"tfjs-layers could not rebuild Zoo's Keras 2 conversion of {localPath}: {tfjs["error"]}");

        var errors = Agreement.Measure(Fixtures.Path(localPath), session.Inputs("real:" + localPath), tfjs);
        output.WriteLine($"{localPath} → Keras 2: {Agreement.Describe(errors)}; tolerance 1e-5 × max(1, max |y|)");
        Assert.All(errors, e => Assert.True(e.MaxAbs <= 1e-5f * Math.Max(1, e.Magnitude), $"{localPath}: {Agreement.Describe(errors)}"));
    }
}

/// <summary>Compares two h5wasm dumps of Keras H5 files, saying exactly where they differ.</summary>
internal static class H5Dump
{
    private static readonly string[] JsonAttributes = { "model_config", "training_config" };

    public static void AssertSameLayout(JsonObject original, JsonObject ours)
    {
        Assert.Equal(Names(original["layer_names"]), Names(ours["layer_names"]));
        var a = original["layers"]!.AsArray();
        var b = ours["layers"]!.AsArray();
        for (int i = 0; i < a.Count; i++)
        {
            var layer = (string)a[i]!["name"]!;
            Assert.Equal(Names(a[i]!["weight_names"]), Names(b[i]!["weight_names"]));
            var wa = a[i]!["weights"]!.AsArray();
            var wb = b[i]!["weights"]!.AsArray();
            for (int j = 0; j < wa.Count; j++)
                Assert.True(JsonNode.DeepEquals(wa[j], wb[j]), $"layer '{layer}': weight {wa[j]!.ToJsonString()} became {wb[j]!.ToJsonString()}");
        }
        Assert.True(JsonNode.DeepEquals(original["optimizer_weights"], ours["optimizer_weights"]),
            $"optimizer_weights differ: {original["optimizer_weights"]?.ToJsonString()} vs {ours["optimizer_weights"]?.ToJsonString()}");
        AssertSameAttributes("root", original["root_attrs"] as JsonObject, ours["root_attrs"] as JsonObject);
        AssertSameAttributes("model_weights", original["weights_group_attrs"] as JsonObject, ours["weights_group_attrs"] as JsonObject);
    }

    // Configs are compared as JSON values: Keras's writer and ours may space and order keys differently.
    private static void AssertSameAttributes(string group, JsonObject? a, JsonObject? b)
    {
        Assert.Equal(a is null, b is null);
        if (a is null || b is null) return;
        Assert.Equal(a.Select(p => p.Key).Order(), b.Select(p => p.Key).Order());
        foreach (var (key, value) in a)
        {
            var other = b[key];
            bool same = JsonAttributes.Contains(key) && value is JsonValue && other is JsonValue
                ? JsonNode.DeepEquals(JsonNode.Parse((string)value!), JsonNode.Parse((string)other!))
                : JsonNode.DeepEquals(value, other);
            Assert.True(same, $"{group} attribute '{key}': {Short(value)} became {Short(other)}");
        }
    }

    private static string[] Names(JsonNode? list) => list!.AsArray().Select(n => (string)n!).ToArray();

    private static string Short(JsonNode? n)
    {
        var s = n?.ToJsonString() ?? "null";
        return s.Length > 300 ? s[..300] + "…" : s;
    }
}
