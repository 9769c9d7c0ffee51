using Zoo.Formats.Ir;

namespace Zoo.Formats.Summary.Rules;

/// <summary>Inputs, Dense, Embedding and the layers that reshape without weights.</summary>
internal static class CoreRules
{
    /// <summary>Layers whose output has their input's shape (activations, dropout, noise, masking, ...).</summary>
    public static readonly LayerRule Identity = new((l, c, x) => [x[0]]);

    public static readonly LayerRule Input = new((l, c, x) => DeclaredInput(c) is { } s ? [s] : null);

    /// <summary>The shape an input layer or a Sequential model's first layer declares, in any dialect.</summary>
    public static TensorShape? DeclaredInput(ConfigView c)
    {
        if (ConfigView.ShapeOf(c.Node("batch_shape", "batch_input_shape")) is { } batch) return batch;
        if (ConfigView.ShapeOf(c.Node("shape", "input_shape")) is { } shape)
            return new TensorShape(new long?[] { c.Long("batch_size") }.Concat(shape.Dims));
        if (c.Long("input_dim") is long dim)
            return c.Long("input_length") is long len ? TensorShape.Of(null, len, dim) : TensorShape.Of(null, dim);
        return null;
    }

    public static readonly LayerRule Dense = new(
        (l, c, x) => c.Long("units", "output_dim") is long u ? [x[0].With(-1, u)] : null,
        (l, c, x) => x[0][-1] is long inDim && c.Long("units", "output_dim") is long u
            ? new ParamCount(inDim * u + (c.Bool(true, "use_bias", "bias") ? u : 0), 0) : null);

    public static readonly LayerRule Embedding = new(
        (l, c, x) => c.Long("output_dim") is long d ? [new TensorShape(x[0].Dims.Append(d))] : null,
        (l, c, x) => c.Long("input_dim") is long i && c.Long("output_dim") is long o ? new ParamCount(i * o, 0) : null);

    public static readonly LayerRule Flatten = new((l, c, x) =>
    {
        var s = x[0];
        // channels_first Flatten transposes first; the size is the same either way.
        return [TensorShape.Of(s[0], s.Rank == 1 ? 1 : s.Product(1))];
    });

    public static readonly LayerRule Reshape = new((l, c, x) =>
    {
        var target = ConfigView.ShapeOf(c.Node("target_shape", "dims"));
        if (target is null) return null;
        var raw = c.Node("target_shape", "dims")!.AsArray().Select(ConfigView.AsLong).ToArray();
        var dims = new List<long?> { x[0][0] };
        long known = 1;
        int unknownAt = -1;
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] is long d && d >= 0) { dims.Add(d); known *= d; }
            else { dims.Add(null); unknownAt = i + 1; }
        }
        if (unknownAt > 0 && x[0].Product(1) is long total && known > 0) dims[unknownAt] = total / known;
        return [new TensorShape(dims)];
    });

    public static readonly LayerRule Permute = new((l, c, x) =>
    {
        if (c.Node("dims") is not System.Text.Json.Nodes.JsonArray a) return null;
        var dims = new List<long?> { x[0][0] };
        foreach (var d in a) dims.Add(x[0][(int)(ConfigView.AsLong(d) ?? throw new FormatException("Permute dims"))]);
        return [new TensorShape(dims)];
    });

    public static readonly LayerRule RepeatVector = new((l, c, x)
        => x[0].Rank == 2 ? [TensorShape.Of(x[0][0], c.Long("n"), x[0][1])] : null);

    public static readonly LayerRule PReLU = new(CoreRules.Identity.Shape, (l, c, x) =>
    {
        var shared = c.Node("shared_axes") is System.Text.Json.Nodes.JsonArray a
            ? a.Select(ConfigView.AsLong).Where(v => v is not null).Select(v => (int)v!.Value).ToHashSet()
            : ConfigView.AsLong(c.Node("shared_axes")) is long one ? [(int)one] : new HashSet<int>();
        long n = 1;
        for (int i = 1; i < x[0].Rank; i++)
        {
            if (shared.Contains(i)) continue;
            if (x[0][i] is not long d) return null;
            n *= d;
        }
        return new ParamCount(n, 0);
    });
}
