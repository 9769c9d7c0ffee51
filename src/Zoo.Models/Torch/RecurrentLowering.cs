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

    /// <summary>True when the layer returns the whole sequence.</summary>
    internal bool ReturnsSequences => o.ReturnSequences;

    /// <summary>Hidden size.</summary>
    protected int Units => o.Units;

    /// <inheritdoc/>
    public override Tensor[] Forward(IReadOnlyList<Tensor> inputs) => Run(inputs, null, o.ZeroOutputForMask);

    /// <inheritdoc/>
    public override (Tensor[] Outputs, Tensor?[] Masks) Forward(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks)
    {
        var mask = masks.Count > 0 ? masks[0] : null;
        var outputs = Run(inputs, mask, o.ZeroOutputForMask);
        return (outputs, outputs.Select((_, i) => i == 0 && o.ReturnSequences ? mask : null).ToArray());
    }

    /// <summary>
    /// The time loop. With a mask (batch, steps), a masked step keeps every state and outputs the previous
    /// step's output (zeros before the first), or zeros when <paramref name="zeroOutputForMask"/>, as
    /// TensorFlow's Keras rnn does; go_backwards reverses the mask with the sequence.
    /// </summary>
    internal Tensor[] Run(IReadOnlyList<Tensor> inputs, Tensor? mask, bool zeroOutputForMask)
    {
        var x = inputs[0];
        if (x.dim() != 3) throw new ModelFormatException($"layer '{Name}' ({Spec.ClassName}): expected (batch, steps, features), found rank {x.dim()}");
        if (inputs.Count != 1 && inputs.Count != 1 + StateCount)
            throw new ModelFormatException($"layer '{Name}' ({Spec.ClassName}): expected 1 input or 1 + {StateCount} initial states, found {inputs.Count}");
        if (o.GoBackwards) { x = x.flip(1); mask = mask?.flip(1); }
        var xp = x.matmul(Kernel);
        if (InputBias is not null) xp = xp + InputBias;
        long n = x.shape[0], steps = x.shape[1];
        var states = inputs.Count > 1 ? inputs.Skip(1).ToArray()
            : Enumerable.Range(0, StateCount).Select(_ => zeros(new[] { n, (long)o.Units }, x.dtype)).ToArray();
        var seq = new List<Tensor>();
        var zero = zeros(new[] { n, (long)o.Units }, x.dtype);
        var output = zero;
        for (long t = 0; t < steps; t++)
        {
            var next = Step(xp.select(1, t), states);
            if (mask is null) { states = next; output = next[0]; }
            else
            {
                var keep = mask.select(1, t).to_type(ScalarType.Bool).unsqueeze(1);
                states = next.Select((s, i) => where(keep, s, states[i])).ToArray();
                output = where(keep, next[0], zeroOutputForMask ? zero : output);
            }
            if (o.ReturnSequences) seq.Add(output);
        }
        var result = o.ReturnSequences ? (seq.Count > 0 ? stack(seq, 1) : zeros(new[] { n, 0L, (long)o.Units }, x.dtype)) : (mask is null ? states[0] : output);
        return o.ReturnState ? new[] { result }.Concat(states).ToArray() : new[] { result };
    }

    /// <inheritdoc/>
    /// <remarks>The cell's fused weights are derived on load; a trainer re-derives them before each step.</remarks>
    public override bool CachesDerivedWeights => true;

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
