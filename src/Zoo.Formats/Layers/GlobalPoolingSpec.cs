namespace Zoo.Formats.Layers;

/// <summary><c>GlobalMaxPooling1D/2D/3D</c>, <c>GlobalAveragePooling1D/2D/3D</c>: reduce every spatial axis, optionally keeping them as size 1.</summary>
public sealed record GlobalPoolingSpec(string Name, string ClassName, PoolKind Kind, int Rank, DataFormat DataFormat, bool KeepDims)
    : LayerSpec(Name, ClassName)
{
    /// <summary>Reads a global pooling layer.</summary>
    public static GlobalPoolingSpec Read(LayerConfig c, PoolKind kind, int rank)
        => new(c.Name, c.Node.ClassName, kind, rank, c.DataFormat(), c.Bool(false, "keepdims"));
}
