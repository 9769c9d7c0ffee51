using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary><c>LSTM</c>: Keras gate order i, f, c, o; c' = f·c + i·act(z_c); h' = o·act(c').</summary>
public sealed class LSTMLowering(LSTMSpec spec) : RecurrentLowering(spec, spec.Options)
{
    /// <inheritdoc/>
    protected override int StateCount => 2;

    /// <inheritdoc/>
    protected override string FusedGateOrder => "ifco";

    /// <inheritdoc/>
    protected override Tensor[] Step(Tensor xProjected, Tensor[] states)
    {
        var z = xProjected + states[0].matmul(Recurrent);
        var g = z.chunk(4, 1);
        var c = Gate(g[1]) * states[1] + Gate(g[0]) * Act(g[2]);
        var h = Gate(g[3]) * Act(c);
        return new[] { h, c };
    }
}
