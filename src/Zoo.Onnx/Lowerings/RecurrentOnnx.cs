using Zoo.Formats.Layers;

namespace Zoo.Onnx.Lowerings;

/// <summary>
/// LSTM, GRU and SimpleRNN as ONNX's LSTM/GRU/RNN ops (time-major, one direction). Keras kernels
/// <c>[in, gates·u]</c> become <c>W[1, gates·u, in]</c> with the gate blocks reordered (LSTM i,f,c,o → ONNX
/// i,o,f,c; GRU z,r,h is already ONNX's order), the Keras bias is the input bias Wb and the recurrent bias Rb is
/// zero — except GRU reset_after, whose second bias row is Rb and which maps to linear_before_reset=1.
/// go_backwards reverses the sequence first and leaves the outputs in processing order, as Keras does.
/// </summary>
internal static class RecurrentOnnx
{
    private static readonly int[] LstmOrder = { 0, 3, 1, 2 };
    private static readonly int[] GruOrder = { 0, 1, 2 };

    /// <summary><c>LSTM</c>.</summary>
    public static IReadOnlyList<string> Lstm(OnnxLayerContext c)
    {
        var o = ((LSTMSpec)c.Spec).Options;
        return Run(c, o, "LSTM", LstmOrder, new[] { o.RecurrentActivation, o.Activation, o.Activation }, resetAfter: null);
    }

    /// <summary><c>GRU</c> (reset_after ↔ linear_before_reset).</summary>
    public static IReadOnlyList<string> Gru(OnnxLayerContext c)
    {
        var s = (GRUSpec)c.Spec;
        return Run(c, s.Options, "GRU", GruOrder, new[] { s.Options.RecurrentActivation, s.Options.Activation }, s.ResetAfter);
    }

    /// <summary><c>SimpleRNN</c>.</summary>
    public static IReadOnlyList<string> SimpleRnn(OnnxLayerContext c)
    {
        var o = ((SimpleRNNSpec)c.Spec).Options;
        return Run(c, o, "RNN", new[] { 0 }, new[] { o.Activation }, resetAfter: null);
    }

    private static IReadOnlyList<string> Run(OnnxLayerContext c, RecurrentOptions o, string op, int[] order, KerasActivation[] acts, bool? resetAfter)
    {
        if (o.Keras1) throw c.Unsupported("Keras 1 split recurrent weights (translate the graph to Keras 2 first; OnnxExporter does)");
        if (c.Inputs.Count != 1) throw c.Unsupported("initial states are not supported");
        int gates = order.Length;
        long u = o.Units;
        var specs = c.WeightSpecs;
        long inDim = specs[0].Shape[0];
        var w = Gates(c.Weights[0], inDim, u, order);
        var r = Gates(c.Weights[1], u, u, order);
        var bias = new float[2 * gates * u];
        if (o.UseBias)
        {
            var b = c.Weights[2];
            bool twoRows = resetAfter == true;
            var wb = Reorder(twoRows ? b[..(int)(gates * u)] : b, u, order);
            wb.CopyTo(bias, 0);
            if (twoRows) Reorder(b[(int)(gates * u)..], u, order).CopyTo(bias, gates * u);
        }
        var x = c.X;
        if (o.GoBackwards) x = Reverse(c, x);
        var xs = c.Op("Transpose", x, ("perm", new[] { 1, 0, 2 }));
        var inputs = new[]
        {
            xs,
            c.Init("kernel", new[] { 1, gates * u, inDim }, w),
            c.Init("recurrent_kernel", new[] { 1, gates * u, u }, r),
            c.Init("bias", new[] { 1, 2 * gates * u }, bias),
        };
        var attrs = new List<(string, object)> { ("hidden_size", u), ("direction", "forward") };
        AddActivations(c, acts, attrs);
        if (resetAfter is bool ra) attrs.Add(("linear_before_reset", ra ? 1 : 0));
        int outs = op == "LSTM" ? 3 : 2;
        var y = c.B.Node(op, c.Scope, inputs, outs, attrs.ToArray());
        string output = o.ReturnSequences
            ? c.Op("Transpose", c.Op("Squeeze", new[] { y[0], c.Ints("axis1", 1) }), ("perm", new[] { 1, 0, 2 }))
            : c.Op("Squeeze", new[] { y[1], c.Ints("axis0", 0) });
        if (!o.ReturnState) return new[] { output };
        var states = y.Skip(1).Select(s => c.Op("Squeeze", new[] { s, c.Ints("axis0", 0) }));
        return new[] { output }.Concat(states).ToArray();
    }

    /// <summary>Reverses a (batch, time, …) tensor along time.</summary>
    public static string Reverse(OnnxLayerContext c, string x)
        => c.Op("Slice", new[] { x, c.Ints("rev_starts", -1), c.Ints("rev_ends", long.MinValue), c.Ints("rev_axes", 1), c.Ints("rev_steps", -1) });

    // [rows, gates·u] in Keras gate order → [gates·u, rows] in ONNX gate order.
    private static float[] Gates(float[] kernel, long rows, long u, int[] order)
    {
        int g = order.Length;
        var t = OnnxLayout.Transpose(kernel, new[] { rows, g * u }, new[] { 1, 0 }, out _);
        var result = new float[t.Length];
        for (int k = 0; k < g; k++) Array.Copy(t, order[k] * u * rows, result, k * u * rows, u * rows);
        return result;
    }

    private static float[] Reorder(float[] bias, long u, int[] order)
    {
        var result = new float[bias.Length];
        for (int k = 0; k < order.Length; k++) Array.Copy(bias, order[k] * u, result, k * u, u);
        return result;
    }

    private static void AddActivations(OnnxLayerContext c, KerasActivation[] acts, List<(string, object)> attrs)
    {
        var names = new List<string>();
        var alphas = new List<float>();
        var betas = new List<float>();
        foreach (var a in acts)
        {
            switch (a)
            {
                case KerasActivation.Sigmoid: names.Add("Sigmoid"); break;
                case KerasActivation.Tanh: names.Add("Tanh"); break;
                case KerasActivation.Relu: names.Add("Relu"); break;
                case KerasActivation.Softsign: names.Add("Softsign"); break;
                case KerasActivation.Softplus: names.Add("Softplus"); break;
                case KerasActivation.HardSigmoidKeras2: names.Add("HardSigmoid"); alphas.Add(0.2f); betas.Add(0.5f); break;
                case KerasActivation.HardSigmoidKeras3: names.Add("HardSigmoid"); alphas.Add(1f / 6f); betas.Add(0.5f); break;
                case KerasActivation.Linear: names.Add("Affine"); alphas.Add(1f); betas.Add(0f); break;
                case KerasActivation.Elu: names.Add("Elu"); alphas.Add(1f); break;
                default: throw c.Unsupported($"recurrent activation {a} has no ONNX RNN activation");
            }
        }
        attrs.Add(("activations", names.ToArray()));
        if (alphas.Count > 0) attrs.Add(("activation_alpha", alphas.ToArray()));
        if (betas.Count > 0) attrs.Add(("activation_beta", betas.ToArray()));
    }
}
