namespace Zoo.Formats.Layers;

/// <summary>Which reduction a pooling layer applies.</summary>
public enum PoolKind
{
    /// <summary>Maximum over the window.</summary>
    Max,
    /// <summary>Mean over the window (padded cells excluded under "same").</summary>
    Average,
}

/// <summary>
/// <c>MaxPooling1D/2D/3D</c>, <c>AveragePooling1D/2D/3D</c> (and Keras 1's <c>pool_length</c>, <c>border_mode</c>):
/// strides default to the pool size.
/// </summary>
public sealed record PoolingSpec(string Name, string ClassName, PoolKind Kind, int Rank, int[] PoolSize, int[] Strides,
    Padding Padding, DataFormat DataFormat) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads a pooling layer.</summary>
    public static PoolingSpec Read(LayerConfig c, PoolKind kind, int rank)
    {
        var pool = rank == 1 && !c.Has("pool_size") ? new[] { c.Int(2, "pool_length") } : c.Ints(rank, Enumerable.Repeat(2, rank).ToArray(), "pool_size");
        var strides = c.Find("strides", "stride") is null ? pool : c.Ints(rank, null, "strides", "stride");
        return new(c.Name, c.Node.ClassName, kind, rank, pool, strides, c.Padding(), c.DataFormat());
    }
}
