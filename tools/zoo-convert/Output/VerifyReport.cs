using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Zoo.Convert.Output;

/// <summary>One compared tensor: a model output or a layer's activation.</summary>
/// <param name="Name">The output or layer name.</param>
/// <param name="Shape">Our shape.</param>
/// <param name="ExpectedShape">The reference's shape.</param>
/// <param name="MaxAbs">Largest |ours − expected| (NaN when a NaN differs or the shapes differ).</param>
/// <param name="MaxRel">Largest |ours − expected| / |expected| over non-zero expected values.</param>
/// <param name="Pass">Whether every element is within atol + rtol·|expected|.</param>
/// <param name="Problem">Why the comparison could not be made (shape mismatch, missing layer), or null.</param>
internal sealed record TensorCheck(string Name, long[] Shape, long[] ExpectedShape, double MaxAbs, double MaxRel, bool Pass, string? Problem = null);

/// <summary>
/// What <c>verify</c> found, rendered as the text lines it always printed or as one JSON object whose
/// fields are a stable interface (schema <see cref="Schema"/>, documented in docs/cli.md).
/// </summary>
internal sealed class VerifyReport(string model, string? weights, string runtime, double atol, double rtol)
{
    /// <summary>The <c>schema</c> field: bumped only when a field changes meaning or disappears.</summary>
    public const string Schema = "zoo-convert/verify/1";

    /// <summary>Graph outputs compared with the --expected files, in the model's output order.</summary>
    public List<TensorCheck> Outputs { get; } = new();

    /// <summary>Layers compared with the --activations file, in execution order; null without --activations.</summary>
    public List<TensorCheck>? Layers { get; set; }

    /// <summary>The --activations file's name, for the text header.</summary>
    public string? ActivationsFile { get; set; }

    /// <summary>The first layer over tolerance, in execution order.</summary>
    public string? FirstDivergentLayer => Layers?.FirstOrDefault(l => !l.Pass && l.Problem is null or not NoSuchLayer)?.Name;

    /// <summary>The Problem text of a recorded layer the model does not have.</summary>
    public const string NoSuchLayer = "the model has no layer of that name";

    /// <summary>Whether everything compared passed.</summary>
    public bool Passed => Outputs.All(o => o.Pass) && (Layers?.All(l => l.Pass) ?? true);

    /// <summary>The lines verify prints: one per output and layer, then the verdict.</summary>
    public void WriteText(TextWriter w)
    {
        foreach (var c in Outputs) w.WriteLine(Line("output", c));
        if (Layers is not null)
        {
            w.WriteLine($"layers ({Layers.Count} recorded in {ActivationsFile}):");
            foreach (var c in Layers) w.WriteLine(Line("  layer", c));
            if (FirstDivergentLayer is { } bad) w.WriteLine($"first layer that diverges: {bad}");
        }
        w.WriteLine(Passed ? $"verification passed (atol {G(atol)}, rtol {G(rtol)})" : $"verification FAILED (atol {G(atol)}, rtol {G(rtol)})");
    }

    /// <summary>The report as one indented JSON object.</summary>
    public string ToJson()
    {
        var o = new JsonObject
        {
            ["schema"] = Schema,
            ["model"] = model,
            ["weights_file"] = weights,
            ["runtime"] = runtime,
            ["atol"] = atol,
            ["rtol"] = rtol,
            ["passed"] = Passed,
            ["outputs"] = new JsonArray(Outputs.Select(CheckJson).ToArray()),
            ["layers"] = Layers is null ? null : new JsonArray(Layers.Select(CheckJson).ToArray()),
            ["first_divergent_layer"] = FirstDivergentLayer,
        };
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonNode CheckJson(TensorCheck c) => new JsonObject
    {
        ["name"] = c.Name,
        ["shape"] = new JsonArray(c.Shape.Select(d => (JsonNode?)d).ToArray()),
        ["expected_shape"] = new JsonArray(c.ExpectedShape.Select(d => (JsonNode?)d).ToArray()),
        // JSON has no NaN: an error that could not be measured is null, and "passed" says the rest.
        ["max_abs"] = double.IsFinite(c.MaxAbs) ? c.MaxAbs : null,
        ["max_rel"] = double.IsFinite(c.MaxRel) ? c.MaxRel : null,
        ["passed"] = c.Pass,
        ["problem"] = c.Problem,
    };

    private static string Line(string what, TensorCheck c)
    {
        var detail = c.Problem ?? $"[{string.Join(",", c.Shape)}] max abs {G(c.MaxAbs)}, max rel {G(c.MaxRel)}";
        return $"{what} {c.Name}: {detail}  {(c.Pass ? "ok" : "FAIL")}";
    }

    private static string G(double v) => v.ToString("G3", CultureInfo.InvariantCulture);
}
