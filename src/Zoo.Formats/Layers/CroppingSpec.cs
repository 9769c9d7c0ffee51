namespace Zoo.Formats.Layers;

/// <summary><c>Cropping1D/2D/3D</c>: cells removed (before, after) on each spatial axis.</summary>
public sealed record CroppingSpec(string Name, string ClassName, int Rank, int[][] Cropping, DataFormat DataFormat) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec.</summary>
    public static CroppingSpec Read(LayerConfig c, int rank)
        => new(c.Name, c.Node.ClassName, rank, PadPairs.Read(c, rank, "cropping"), c.DataFormat());
}
