namespace Zoo.Formats.Layers;

/// <summary>How UpSampling2D fills new cells.</summary>
public enum Interpolation
{
    /// <summary>Repeat each cell.</summary>
    Nearest,
    /// <summary>Bilinear with half-pixel centres (tf.image.resize, TF 2).</summary>
    Bilinear,
}

/// <summary><c>UpSampling1D/2D/3D</c>: size per spatial axis (Keras 1: <c>length</c>).</summary>
public sealed record UpSamplingSpec(string Name, string ClassName, int Rank, int[] Size, Interpolation Interpolation, DataFormat DataFormat)
    : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec.</summary>
    public static UpSamplingSpec Read(LayerConfig c, int rank)
    {
        var size = rank == 1 ? new[] { c.Int(2, "size", "length") } : c.Ints(rank, Enumerable.Repeat(2, rank).ToArray(), "size");
        var interp = c.String("nearest", "interpolation") switch
        {
            "nearest" => Interpolation.Nearest,
            "bilinear" => Interpolation.Bilinear,
            var s => throw new UnsupportedFeatureException($"layer '{c.Name}' ({c.Node.ClassName}): interpolation '{s}' is not supported (nearest, bilinear)", null, $"layers/{c.Name}"),
        };
        return new(c.Name, c.Node.ClassName, rank, size, interp, c.DataFormat());
    }
}
