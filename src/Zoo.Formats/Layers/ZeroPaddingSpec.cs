namespace Zoo.Formats.Layers;

/// <summary><c>ZeroPadding1D/2D/3D</c>: zeros added (before, after) on each spatial axis.</summary>
public sealed record ZeroPaddingSpec(string Name, string ClassName, int Rank, int[][] Padding, DataFormat DataFormat) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec.</summary>
    public static ZeroPaddingSpec Read(LayerConfig c, int rank)
        => new(c.Name, c.Node.ClassName, rank, PadPairs.Read(c, rank, "padding"), c.DataFormat());
}
