using Zoo.Formats;
using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>
/// Shared time loop of LSTM, GRU and SimpleRNN, in Keras's own weight layout (fused gates, kernel
/// (in, g·u)), so no gate reordering can go wrong. Keras 1's per-gate weights are fused on load.
/// Extra call inputs are the initial states, as in <c>layer(x, initial_state=[h, c])</c>.
/// </summary>
public abstract class RecurrentLowering : LoweredLayer
{
    private readonly RecurrentOptions o;

    /// <summary>Lowers a recurrent layer with options <paramref name="options"/>.</summary>
    protected RecurrentLowering(LayerSpec spec, RecurrentOptions options) : base(spec) => o = options;

    /// <summary>Fused input kernel (in, g·u).</summary>
    protected Tensor Kernel { get; private set; } = null!;
    /// <summary>Fused recurrent kernel (u, g·u).</summary>
    protected Tensor Recurrent { get; private set; } = null!;
    /// <summary>Bias added to the input projection (g·u), or null.</summary>
    protected Tensor? InputBias { get; private set; }
    /// <summary>Bias added to the recurrent projection (GRU reset_after), or null.</summary>
    protected Tensor? RecurrentBias { get; private set; }

    /// <summary>Number of states (LSTM 2: h, c; others 1).</summary>
    protected abstract int StateCount { get; }

    /// <summary>Keras 1 gate letters in the fused Keras 2 order ("ifco" for LSTM, "zrh" for GRU, "" for SimpleRNN).</summary>
    protected abstract string FusedGateOrder { get; }

    /// <summary>Advances one step: <paramref name="xProjected"/> is x_t·kernel + input bias (N, g·u).</summary>
    protected abstract Tensor[] Step(Tensor xProjected, Tensor[] states);

    /// <summary>Applies the gate activation.</summary>
    protected Tensor Gate(Tensor x) => ActivationFunctions.Apply(o.RecurrentActivation, x);

    /// <summary>Applies the candidate/output activation.</summary>
    protected Tensor Act(Tensor x) => ActivationFunctions.Apply(o.Activation, x);

    /// <summary>Hidden size.</summary>
    protected int Units => o.Units;

    /// <inheritdoc/>
    public override Tensor[] Forward(IReadOnlyList<Tensor> inputs)
    {
        var x = inputs[0];
        if (x.dim() != 3) throw new ModelFormatException($"layer '{Name}' ({Spec.ClassName}): expected (batch, steps, features), found rank {x.dim()}");
        if (inputs.Count != 1 && inputs.Count != 1 + StateCount)
            throw new ModelFormatException($"layer '{Name}' ({Spec.ClassName}): expected 1 input or 1 + {StateCount} initial states, found {inputs.Count}");
        if (o.GoBackwards) x = x.flip(1);
        var xp = x.matmul(Kernel);
        if (InputBias is not null) xp = xp + InputBias;
        long n = x.shape[0], steps = x.shape[1];
        var states = inputs.Count > 1 ? inputs.Skip(1).ToArray()
            : Enumerable.Range(0, StateCount).Select(_ => zeros(new[] { n, (long)o.Units }, x.dtype)).ToArray();
        var seq = new List<Tensor>();
        for (long t = 0; t < steps; t++)
        {
            states = Step(xp.select(1, t), states);
            if (o.ReturnSequences) seq.Add(states[0]);
        }
        var output = o.ReturnSequences ? (seq.Count > 0 ? stack(seq, 1) : zeros(new[] { n, 0L, (long)o.Units }, x.dtype)) : states[0];
        return o.ReturnState ? new[] { output }.Concat(states).ToArray() : new[] { output };
    }

    /// <inheritdoc/>
    protected override void OnLoaded()
    {
        if (o.Keras1)
        {
            // Keras 1 lists W_g, U_g, b_g per gate (SimpleRNN: W, U, b); fuse them in the Keras 2 gate order.
            var gates = FusedGateOrder.Length == 0 ? new[] { "" } : FusedGateOrder.Select(g => "_" + g).ToArray();
            Kernel = Keep(cat(gates.Select(g => Param("W" + g)!).ToArray(), 1));
            Recurrent = Keep(cat(gates.Select(g => Param("U" + g)!).ToArray(), 1));
            InputBias = Keep(cat(gates.Select(g => Param("b" + g)!).ToArray(), 0));
            return;
        }
        Kernel = Param("kernel")!;
        Recurrent = Param("recurrent_kernel")!;
        var b = Param("bias");
        if (b is not null && b.dim() == 2) { InputBias = Keep(b[0]); RecurrentBias = Keep(b[1]); }
        else InputBias = b;
    }
}
