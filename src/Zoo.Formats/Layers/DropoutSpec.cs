using System.Text.Json.Nodes;

namespace Zoo.Formats.Layers;

/// <summary>What a layer of the Dropout family draws in training.</summary>
public enum NoiseKind
{
    /// <summary><c>Dropout</c>: each unit kept with probability 1 − rate and scaled by 1/(1 − rate).</summary>
    Dropout,
    /// <summary><c>SpatialDropout1D/2D/3D</c>: as Dropout, one draw per sample and channel (whole feature maps).</summary>
    SpatialDropout,
    /// <summary><c>GaussianNoise</c>: x + N(0, stddev²).</summary>
    GaussianNoise,
    /// <summary><c>GaussianDropout</c>: x · N(1, rate/(1 − rate)).</summary>
    GaussianDropout,
    /// <summary><c>AlphaDropout</c>: dropped units set to SELU's negative saturation, then an affine map that keeps mean and variance.</summary>
    AlphaDropout,
}

/// <summary>
/// The Dropout family and the noise layers: the identity at inference; in training each draws as <see cref="Kind"/>
/// says, with Keras's arithmetic. Keras 1 spells the rate <c>p</c> and GaussianNoise's deviation <c>sigma</c>.
/// </summary>
/// <param name="Name">The layer's name.</param>
/// <param name="ClassName">The Keras class name.</param>
/// <param name="Kind">What is drawn in training.</param>
/// <param name="Rate">The drop rate in [0, 1) (0 for GaussianNoise).</param>
/// <param name="Stddev">GaussianNoise's standard deviation (0 otherwise).</param>
public sealed record DropoutSpec(string Name, string ClassName, NoiseKind Kind, double Rate, double Stddev) : LayerSpec(Name, ClassName)
{
    /// <summary>Dropout's <c>noise_shape</c> (null entries take the input's size); null for one draw per unit.</summary>
    public long?[]? NoiseShape { get; init; }

    /// <summary>Where SpatialDropout2D/3D keep their channels.</summary>
    public DataFormat DataFormat { get; init; } = DataFormat.ChannelsLast;

    /// <summary>Reads the spec of any class of the family, checking the rate and deviation ranges.</summary>
    public static DropoutSpec Read(LayerConfig c)
    {
        var kind = c.Node.ClassName switch
        {
            "Dropout" => NoiseKind.Dropout,
            "SpatialDropout1D" or "SpatialDropout2D" or "SpatialDropout3D" => NoiseKind.SpatialDropout,
            "GaussianNoise" => NoiseKind.GaussianNoise,
            "GaussianDropout" => NoiseKind.GaussianDropout,
            "AlphaDropout" => NoiseKind.AlphaDropout,
            var other => throw new UnsupportedFeatureException($"layer '{c.Name}': class '{other}' is not a dropout or noise layer", null, $"layers/{c.Name}"),
        };
        double rate = 0, stddev = 0;
        if (kind == NoiseKind.GaussianNoise)
        {
            stddev = c.Double(null, "stddev", "sigma");
            if (!(stddev >= 0 && double.IsFinite(stddev))) throw c.Bad("stddev", "a finite number ≥ 0", c.Find("stddev", "sigma"));
        }
        else
        {
            rate = c.Double(kind == NoiseKind.Dropout ? 0.5 : null, "rate", "p");
            if (!(rate >= 0 && rate < 1)) throw c.Bad("rate", "a number in [0, 1)", c.Find("rate", "p"));
        }
        return new(c.Name, c.Node.ClassName, kind, rate, stddev)
        {
            NoiseShape = kind == NoiseKind.Dropout ? ReadNoiseShape(c) : null,
            DataFormat = kind == NoiseKind.SpatialDropout && c.Node.ClassName != "SpatialDropout1D" ? c.DataFormat() : DataFormat.ChannelsLast,
        };
    }

    private static long?[]? ReadNoiseShape(LayerConfig c)
    {
        var node = c.Find("noise_shape");
        if (node is null) return null;
        if (node is not JsonArray a) throw c.Bad("noise_shape", "null or a list of sizes", node);
        var shape = new long?[a.Count];
        for (int i = 0; i < a.Count; i++)
        {
            if (a[i] is null) continue;
            if (a[i] is JsonValue v && v.TryGetValue(out long d) && d >= 1) shape[i] = d;
            else throw c.Bad("noise_shape", "sizes ≥ 1 or null", node);
        }
        return shape;
    }
}
