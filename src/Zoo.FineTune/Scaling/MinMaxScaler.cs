using System.Text.Json;
using System.Text.Json.Nodes;
using Zoo.Formats;
using Zoo.Formats.IO;

namespace Zoo.FineTune.Scaling;

/// <summary>
/// Per-feature min-max scaling with scikit-learn's meaning: x' = (x − min) · (hi − lo) / (max − min) + lo, each
/// feature mapped to the chosen range; a constant feature (max = min) maps to lo. Features are everything but
/// the batch axis ([n, f] tables: one per column; [n, h, w, c] images: one per pixel and channel). Fitted state
/// saves as a small JSON file, so the scaling a model was trained with ships next to it.
/// </summary>
public sealed class MinMaxScaler
{
    private double[]? min, max;

    /// <summary>A scaler to [<paramref name="low"/>, <paramref name="high"/>], optionally clipping transformed values into it.</summary>
    /// <exception cref="ArgumentException"><paramref name="low"/> is not below <paramref name="high"/>.</exception>
    public MinMaxScaler(double low = 0, double high = 1, bool clip = false)
    {
        if (!(low < high)) throw new ArgumentException($"feature range must have low < high, got ({low}, {high})");
        (Low, High, Clip) = (low, high, clip);
    }

    /// <summary>Lower end of the target range.</summary>
    public double Low { get; }

    /// <summary>Upper end of the target range.</summary>
    public double High { get; }

    /// <summary>Whether <see cref="Transform"/> clips into the range (values outside the fitted min/max otherwise overshoot).</summary>
    public bool Clip { get; }

    /// <summary>Number of samples seen by <see cref="Fit"/> / <see cref="PartialFit"/>.</summary>
    public long SamplesSeen { get; private set; }

    /// <summary>Per-feature minimum seen (null before fitting).</summary>
    public IReadOnlyList<double>? DataMin => min;

    /// <summary>Per-feature maximum seen (null before fitting).</summary>
    public IReadOnlyList<double>? DataMax => max;

    /// <summary>Forgets any earlier fit and learns min and max from <paramref name="x"/> shaped <paramref name="shape"/> (batch first).</summary>
    public MinMaxScaler Fit(ReadOnlySpan<float> x, long[] shape)
    {
        (min, max, SamplesSeen) = (null, null, 0);
        return PartialFit(x, shape);
    }

    /// <summary>Updates min and max with another batch, so data too large for memory can be fitted in pieces.</summary>
    /// <exception cref="ArgumentException">The batch's feature count differs from what was fitted, or a value is NaN.</exception>
    public MinMaxScaler PartialFit(ReadOnlySpan<float> x, long[] shape)
    {
        int features = Features(x, shape);
        if (min is null) { min = Enumerable.Repeat(double.PositiveInfinity, features).ToArray(); max = Enumerable.Repeat(double.NegativeInfinity, features).ToArray(); }
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            if (double.IsNaN(v)) throw new ArgumentException($"value {i} is NaN; min-max scaling needs real numbers");
            int f = i % features;
            if (v < min[f]) min[f] = v;
            if (v > max![f]) max[f] = v;
        }
        SamplesSeen += shape[0];
        return this;
    }

    /// <summary>Scales <paramref name="x"/> (same features as fitted) into the range; returns a new array.</summary>
    public float[] Transform(ReadOnlySpan<float> x, long[] shape)
    {
        var (lo, scale) = Coefficients(x, shape);
        var y = new float[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            int f = i % lo.Length;
            double v = (x[i] - lo[f]) * scale[f] + Low;
            y[i] = (float)(Clip ? Math.Clamp(v, Low, High) : v);
        }
        return y;
    }

    /// <summary>Undoes <see cref="Transform"/> (exact up to float rounding for values that were not clipped).</summary>
    public float[] InverseTransform(ReadOnlySpan<float> x, long[] shape)
    {
        var (lo, scale) = Coefficients(x, shape);
        var y = new float[x.Length];
        for (int i = 0; i < x.Length; i++) { int f = i % lo.Length; y[i] = (float)((x[i] - Low) / scale[f] + lo[f]); }
        return y;
    }

    /// <summary>Fits and transforms in one call.</summary>
    public float[] FitTransform(ReadOnlySpan<float> x, long[] shape) => Fit(x, shape).Transform(x, shape);

    /// <summary>Writes the fitted state as JSON (atomically).</summary>
    public void Save(string path)
    {
        var (dmin, dmax) = Fitted();
        var json = new JsonObject
        {
            ["class_name"] = nameof(MinMaxScaler),
            ["feature_range"] = new JsonArray(Low, High),
            ["clip"] = Clip,
            ["n_samples_seen"] = SamplesSeen,
            ["data_min"] = new JsonArray(dmin.Select(v => (JsonNode?)v).ToArray()),
            ["data_max"] = new JsonArray(dmax.Select(v => (JsonNode?)v).ToArray()),
        };
        AtomicFile.WriteText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Reads a scaler written by <see cref="Save"/>.</summary>
    /// <exception cref="ModelFormatException">The file is not such a JSON document, or its fields disagree.</exception>
    public static MinMaxScaler Load(string path)
    {
        JsonObject json;
        try { json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new JsonException("not an object"); }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        { throw new ModelFormatException($"{path}: expected a MinMaxScaler JSON object, found unreadable content ({e.Message})", path, "/", e); }
        try
        {
            var range = json["feature_range"]!.AsArray();
            var scaler = new MinMaxScaler(range[0]!.GetValue<double>(), range[1]!.GetValue<double>(), json["clip"]?.GetValue<bool>() ?? false);
            scaler.min = json["data_min"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            scaler.max = json["data_max"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            scaler.SamplesSeen = json["n_samples_seen"]?.GetValue<long>() ?? 0;
            if (scaler.min.Length != scaler.max.Length || scaler.min.Length == 0)
                throw new InvalidOperationException($"data_min has {scaler.min.Length} values, data_max {scaler.max.Length}");
            return scaler;
        }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException or FormatException or ArgumentException or IndexOutOfRangeException)
        { throw new ModelFormatException($"{path}: expected feature_range [lo, hi], data_min and data_max of equal non-zero length, found {e.Message}", path, "/", e); }
    }

    private (double[] Min, double[] Max) Fitted() =>
        min is null ? throw new InvalidOperationException("the scaler has not been fitted") : (min, max!);

    private (double[] Lo, double[] Scale) Coefficients(ReadOnlySpan<float> x, long[] shape)
    {
        var (dmin, dmax) = Fitted();
        int features = Features(x, shape);
        if (features != dmin.Length) throw new ArgumentException($"data has {features} features per sample, the scaler was fitted on {dmin.Length}");
        // A constant feature would divide by zero; scikit-learn treats its range as 1, and so do we.
        var scale = dmin.Select((lo, f) => (High - Low) / (dmax[f] - lo is var r && r == 0 ? 1 : dmax[f] - lo)).ToArray();
        return (dmin, scale);
    }

    private static int Features(ReadOnlySpan<float> x, long[] shape)
    {
        if (shape.Length < 2 || shape[0] <= 0) throw new ArgumentException($"shape [{string.Join(",", shape)}] is not batch-first with features");
        long features = shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        if (features * shape[0] != x.Length) throw new ArgumentException($"shape [{string.Join(",", shape)}] needs {features * shape[0]} values, found {x.Length}");
        return checked((int)features);
    }
}
