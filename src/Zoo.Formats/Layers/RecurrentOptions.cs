using Zoo.Formats.Ir;

namespace Zoo.Formats.Layers;

/// <summary>What every Keras recurrent layer shares: size, activations and which outputs it returns.</summary>
/// <param name="Units">Hidden size (Keras 1: <c>output_dim</c>).</param>
/// <param name="Activation">Candidate/output activation (tanh by default).</param>
/// <param name="RecurrentActivation">Gate activation (Keras 1: <c>inner_activation</c>).</param>
/// <param name="UseBias">Whether a bias is added.</param>
/// <param name="ReturnSequences">Return every step rather than the last.</param>
/// <param name="ReturnState">Also return the final states.</param>
/// <param name="GoBackwards">Process the sequence in reverse (and return the reversed sequence).</param>
/// <param name="Keras1">Weights are stored split per gate (Keras 1).</param>
public sealed record RecurrentOptions(int Units, KerasActivation Activation, KerasActivation RecurrentActivation, bool UseBias,
    bool ReturnSequences, bool ReturnState, bool GoBackwards, bool Keras1)
{
    /// <summary>Reads the shared options; <paramref name="defaultGate"/> is the dialect's default gate activation.</summary>
    public static RecurrentOptions Read(LayerConfig c, KerasActivation defaultGate)
    {
        if (c.Bool(false, "stateful"))
            throw new UnsupportedFeatureException($"layer '{c.Name}' ({c.Node.ClassName}): stateful recurrent layers are not supported", null, $"layers/{c.Name}");
        if (c.Bool(false, "time_major"))
            throw new UnsupportedFeatureException($"layer '{c.Name}' ({c.Node.ClassName}): time_major is not supported", null, $"layers/{c.Name}");
        var gate = c.Has("recurrent_activation", "inner_activation") ? c.Activation("recurrent_activation", "inner_activation") : defaultGate;
        return new(c.Int(null, "units", "output_dim"), c.Has("activation") ? c.Activation() : KerasActivation.Tanh, gate,
            c.Bool(true, "use_bias", "bias"), c.Bool(false, "return_sequences"), c.Bool(false, "return_state"),
            c.Bool(false, "go_backwards"), c.Dialect == KerasDialectKind.Keras1 || c.Has("output_dim") || StoresKeras1Split(c.Node))
        {
            ZeroOutputForMask = c.Bool(false, "zero_output_for_mask"),
        };
    }

    /// <summary>With a mask, masked steps output zeros instead of repeating the previous output (Bidirectional sets it with return_sequences).</summary>
    public bool ZeroOutputForMask { get; init; }

    /// <summary>
    /// True when the stored weights are Keras 1's per-gate split (<c>lstm_1_W_i:0</c>), which survives a
    /// config translated to Keras 2.
    /// </summary>
    private static bool StoresKeras1Split(LayerNode node)
        => node.Weights.Count > 0 && node.Weights.All(w => w.ShortName is var s && (s.EndsWith("_W", StringComparison.Ordinal)
            || s.EndsWith("_U", StringComparison.Ordinal) || s.EndsWith("_b", StringComparison.Ordinal)
            || (s.Length > 4 && s[^2] == '_' && s[^4..^2] is "_W" or "_U" or "_b")));

    /// <summary>Keras 2's default gate activation is hard_sigmoid; Keras 3's is sigmoid.</summary>
    public static KerasActivation DefaultGate(KerasDialectKind d)
        => d == KerasDialectKind.Keras3 ? KerasActivation.Sigmoid : KerasActivation.HardSigmoidKeras2;

    /// <summary>
    /// The weights of a recurrent layer with <paramref name="gates"/> gates: Keras 2/3 fused kernel (in, g·u),
    /// recurrent_kernel (u, g·u), bias (g·u, or <paramref name="biasRows"/>×g·u); Keras 1 split per gate in
    /// <paramref name="keras1Gates"/> order (W_x (in,u), U_x (u,u), b_x (u)).
    /// </summary>
    public IReadOnlyList<WeightSpec> Weights(long inDim, int gates, string keras1Gates, int biasRows = 1)
    {
        long u = Units;
        if (Keras1)
            return keras1Gates.SelectMany(g => new[]
            {
                new WeightSpec($"W_{g}", new[] { inDim, u }),
                new WeightSpec($"U_{g}", new[] { u, u }),
                new WeightSpec($"b_{g}", new[] { u }),
            }).ToList();
        var w = new List<WeightSpec> { new("kernel", new[] { inDim, gates * u }), new("recurrent_kernel", new[] { u, gates * u }) };
        if (UseBias) w.Add(new("bias", biasRows == 1 ? new[] { gates * u } : new[] { biasRows, gates * u }));
        return w;
    }
}
