namespace Zoo.Formats.Layers;

/// <summary>
/// The config every Zoo normalization over a channel axis shares (<c>Zoo&gt;BatchInstanceNormalization</c>,
/// <c>Zoo&gt;SwitchableNormalization</c>, <c>Zoo&gt;OnlineNormalization</c>): the channel axis, ε, the momentum
/// of the moving statistics, and whether β (<c>center</c>) and γ (<c>scale</c>) exist.
/// </summary>
/// <param name="Axis">The channel axis (−1, channels last, by default).</param>
/// <param name="Epsilon">ε added to every variance.</param>
/// <param name="Momentum">Weight of the old value in the moving statistics (Keras's convention: 0.99 keeps 99%).</param>
/// <param name="Center">Whether β exists.</param>
/// <param name="Scale">Whether γ exists.</param>
public sealed record ChannelNormOptions(int Axis, double Epsilon, double Momentum, bool Center, bool Scale)
{
    /// <summary>Reads the shared keys with <paramref name="momentumKey"/> naming the momentum (its default <paramref name="momentumDefault"/>).</summary>
    public static ChannelNormOptions Read(LayerConfig c, string momentumKey = "momentum", double momentumDefault = 0.99)
    {
        double momentum = c.Double(momentumDefault, momentumKey);
        if (momentum is < 0 or > 1) throw c.Bad(momentumKey, "a number in [0, 1]", c.Find(momentumKey));
        double epsilon = c.Double(1e-3, "epsilon");
        if (!(epsilon > 0)) throw c.Bad("epsilon", "a number > 0", c.Find("epsilon"));
        return new(c.Int(-1, "axis"), epsilon, momentum, c.Bool(true, "center"), c.Bool(true, "scale"));
    }

    /// <summary>
    /// The channel count of <paramref name="shape"/> (batch first), checked: the axis must be a non-batch axis and,
    /// when <paramref name="needsSpatial"/>, the input must have an axis besides batch and channels.
    /// </summary>
    public long Channels(long[] shape, string layer, string className, bool needsSpatial)
    {
        int axis = AxisList.Normalize(Axis, shape.Length);
        if (axis <= 0 || axis >= shape.Length)
            throw new ModelFormatException($"layer '{layer}' ({className}): axis {Axis} is not a non-batch axis of an input of rank {shape.Length}", null, $"layers/{layer}/config/axis");
        if (needsSpatial && shape.Length < 3)
            throw new UnsupportedFeatureException($"layer '{layer}' ({className}): needs an input with spatial axes (rank ≥ 3) for its instance statistics, found rank {shape.Length}", null, $"layers/{layer}");
        return shape[axis];
    }

    /// <summary>γ then β when present, each of <paramref name="channels"/>.</summary>
    public IEnumerable<WeightSpec> Affine(long channels)
    {
        if (Scale) yield return new("gamma", new[] { channels });
        if (Center) yield return new("beta", new[] { channels });
    }

    /// <summary>The non-trainable moving mean and variance, each of <paramref name="channels"/>.</summary>
    public static IEnumerable<WeightSpec> Moving(long channels)
    {
        yield return new("moving_mean", new[] { channels });
        yield return new("moving_variance", new[] { channels });
    }
}
