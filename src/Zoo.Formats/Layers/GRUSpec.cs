namespace Zoo.Formats.Layers;

/// <summary>
/// <c>GRU</c>: gates in Keras order z, r, h. With <see cref="ResetAfter"/> (tf.keras 2 and Keras 3 default)
/// the reset gate multiplies the recurrent product and the bias is (2, 3u): input and recurrent biases.
/// Keras 1 stores W_/U_/b_ per gate in the order z, r, h.
/// </summary>
public sealed record GRUSpec(string Name, string ClassName, RecurrentOptions Options, bool ResetAfter) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec; reset_after defaults to false only where Keras 1/2.0–2.2 had no such option.</summary>
    public static GRUSpec Read(LayerConfig c)
    {
        var o = RecurrentOptions.Read(c, RecurrentOptions.DefaultGate(c.Dialect));
        return new(c.Name, c.Node.ClassName, o, !o.Keras1 && c.Bool(false, "reset_after"));
    }

    /// <inheritdoc/>
    public override IReadOnlyList<WeightSpec> Weights(IReadOnlyList<long[]> inputShapes)
        => Options.Weights(ShapeMath.Single(inputShapes, Name)[^1], 3, "zrh", ResetAfter ? 2 : 1);
}
