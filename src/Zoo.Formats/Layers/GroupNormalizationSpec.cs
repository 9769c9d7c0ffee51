namespace Zoo.Formats.Layers;

/// <summary>
/// Keras 3 <c>GroupNormalization</c>: the channels on <see cref="Axis"/> split into <see cref="Groups"/>
/// consecutive groups, each normalized over its channels and every non-batch axis with biased variance;
/// gamma then beta (each of the channel count) when <c>scale</c>/<c>center</c>. <c>groups=-1</c> (Keras 3, and
/// TensorFlow Addons' InstanceNormalization) means one group per channel: instance normalization.
/// </summary>
public sealed record GroupNormalizationSpec(string Name, string ClassName, int Groups, int Axis, double Epsilon, bool Center, bool Scale)
    : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec (groups 32, axis −1, ε 1e-3 by default, as Keras 3).</summary>
    public static GroupNormalizationSpec Read(LayerConfig c)
        => new(c.Name, c.Node.ClassName, c.Int(32, "groups"), c.Int(-1, "axis"), c.Double(1e-3, "epsilon"),
            c.Bool(true, "center"), c.Bool(true, "scale"));

    /// <summary>The channel count of <paramref name="shape"/>, checked to split into whole groups.</summary>
    public long Channels(long[] shape)
    {
        int axis = AxisList.Normalize(Axis, shape.Length);
        if (axis <= 0 || axis >= shape.Length)
            throw new ModelFormatException($"layer '{Name}' (GroupNormalization): axis {Axis} is not a non-batch axis of an input of rank {shape.Length}", null, $"layers/{Name}/config/axis");
        long ch = shape[axis];
        long groups = Groups == -1 ? ch : Groups;
        if (groups <= 0 || ch % groups != 0)
            throw new ModelFormatException($"layer '{Name}' (GroupNormalization): {ch} channels do not split into groups={Groups}", null, $"layers/{Name}/config/groups");
        return ch;
    }

    /// <summary>The number of groups for <paramref name="shape"/>: <see cref="Groups"/>, or the channel count when it is −1.</summary>
    public int GroupsFor(long[] shape) => Groups == -1 ? (int)Channels(shape) : Groups;

    /// <inheritdoc/>
    public override IReadOnlyList<WeightSpec> Weights(IReadOnlyList<long[]> inputShapes)
    {
        long ch = Channels(ShapeMath.Single(inputShapes, Name));
        var w = new List<WeightSpec>();
        if (Scale) w.Add(new("gamma", new[] { ch }));
        if (Center) w.Add(new("beta", new[] { ch }));
        return w;
    }
}
