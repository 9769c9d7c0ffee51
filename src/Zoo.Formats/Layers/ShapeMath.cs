namespace Zoo.Formats.Layers;

/// <summary>Small helpers specs share to find channel counts in input shapes.</summary>
internal static class ShapeMath
{
    /// <summary>The channel dimension of a batch-first shape under <paramref name="format"/>.</summary>
    public static long Channels(long[] shape, DataFormat format)
        => format == DataFormat.ChannelsLast ? shape[^1] : shape[1];

    /// <summary>The single input shape of a one-input layer.</summary>
    public static long[] Single(IReadOnlyList<long[]> inputShapes, string layer)
        => inputShapes.Count == 1 ? inputShapes[0]
            : throw new ModelFormatException($"layer '{layer}': expected one input, found {inputShapes.Count}");

    /// <summary>Concatenates dims into a shape.</summary>
    public static long[] Shape(params long[] dims) => dims;
}
