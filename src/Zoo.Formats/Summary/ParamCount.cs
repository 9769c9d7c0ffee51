namespace Zoo.Formats.Summary;

/// <summary>Trainable and non-trainable parameter counts.</summary>
/// <param name="Trainable">Elements updated by training.</param>
/// <param name="NonTrainable">Elements kept out of training (BatchNorm moving statistics, frozen layers).</param>
public readonly record struct ParamCount(long Trainable, long NonTrainable)
{
    /// <summary>Trainable plus non-trainable.</summary>
    public long Total => Trainable + NonTrainable;

    /// <summary>Element-wise sum.</summary>
    public static ParamCount operator +(ParamCount a, ParamCount b) => new(a.Trainable + b.Trainable, a.NonTrainable + b.NonTrainable);

    /// <summary>The same total, all of it non-trainable (a layer with <c>trainable: false</c>).</summary>
    public ParamCount Frozen() => new(0, Total);

    /// <summary>Twice the counts (Bidirectional wraps two copies of its layer).</summary>
    public ParamCount Twice() => new(2 * Trainable, 2 * NonTrainable);
}
