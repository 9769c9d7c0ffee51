namespace Zoo.Formats.Summary.Rules;

/// <summary>
/// Where the spatial and channel axes of an N-d feature map are, and Keras's output-length
/// arithmetic for convolutions, pooling and transposed convolutions.
/// </summary>
internal static class Spatial
{
    /// <summary>Indices of the spatial axes of a rank-(n+2) tensor.</summary>
    public static int[] Axes(int n, bool channelsFirst)
        => Enumerable.Range(channelsFirst ? 2 : 1, n).ToArray();

    /// <summary>Index of the channel axis.</summary>
    public static int ChannelAxis(int rank, bool channelsFirst) => channelsFirst ? 1 : rank - 1;

    /// <summary>Keras's conv_output_length: <c>valid</c>, <c>same</c>, <c>causal</c> and Keras 1 <c>full</c> padding.</summary>
    public static long? ConvLength(long? length, long kernel, string padding, long stride, long dilation = 1)
    {
        if (length is not long n) return null;
        long k = (kernel - 1) * dilation + 1;
        long outLen = padding switch
        {
            "same" or "causal" => n,
            "full" => n + k - 1,
            _ => n - k + 1,
        };
        if (outLen <= 0) return 0;
        return (outLen + stride - 1) / stride;
    }

    /// <summary>Keras's deconv_output_length for transposed convolutions.</summary>
    public static long? DeconvLength(long? length, long kernel, string padding, long stride, long? outputPadding, long dilation = 1)
    {
        if (length is not long n) return null;
        long k = (kernel - 1) * dilation + 1;
        if (outputPadding is not long op)
        {
            return padding switch
            {
                "same" => n * stride,
                "full" => n * stride - (stride + k - 2),
                _ => n * stride + Math.Max(k - stride, 0),
            };
        }
        long pad = padding switch { "same" => k / 2, "full" => k - 1, _ => 0 };
        return (n - 1) * stride + k - 2 * pad + op;
    }

    /// <summary>
    /// Reads a padding or cropping amount as (before, after) per spatial axis from an int, a tuple of ints
    /// (symmetric), a tuple of pairs, or Keras 1's flat 4-tuple (top, bottom, left, right).
    /// </summary>
    public static (long Before, long After)[]? Amounts(System.Text.Json.Nodes.JsonNode? node, int n)
    {
        if (ConfigView.AsLong(node) is long all) return Enumerable.Repeat((all, all), n).ToArray();
        if (node is not System.Text.Json.Nodes.JsonArray a) return null;
        if (n == 1 && a.Count == 2 && ConfigView.AsLong(a[0]) is long b1 && ConfigView.AsLong(a[1]) is long a1) return [(b1, a1)];
        if (a.Count == 2 * n && n > 1 && a.All(x => ConfigView.AsLong(x) is not null))
            return Enumerable.Range(0, n).Select(i => (ConfigView.AsLong(a[2 * i])!.Value, ConfigView.AsLong(a[2 * i + 1])!.Value)).ToArray();
        if (a.Count != n) return null;
        var r = new (long, long)[n];
        for (int i = 0; i < n; i++)
        {
            if (ConfigView.AsLong(a[i]) is long s) r[i] = (s, s);
            else if (a[i] is System.Text.Json.Nodes.JsonArray p && p.Count == 2
                     && ConfigView.AsLong(p[0]) is long pb && ConfigView.AsLong(p[1]) is long pa) r[i] = (pb, pa);
            else return null;
        }
        return r;
    }

    /// <summary>Adds <paramref name="delta"/> to a known size; unknown stays unknown.</summary>
    public static long? Add(long? size, long delta) => size is long s ? s + delta : null;

    /// <summary>Multiplies a known size; unknown stays unknown.</summary>
    public static long? Mul(long? size, long factor) => size is long s ? s * factor : null;
}
