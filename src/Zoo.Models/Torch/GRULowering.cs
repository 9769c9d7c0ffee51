using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>
/// <c>GRU</c>: Keras gate order z, r, h; h' = z·h + (1 − z)·ĥ. reset_after: ĥ = act(x_h + r·(h·U_h + b_rh));
/// otherwise ĥ = act(x_h + (r·h)·U_h).
/// </summary>
public sealed class GRULowering(GRUSpec spec) : RecurrentLowering(spec, spec.Options)
{
    private readonly bool resetAfter = spec.ResetAfter;

    /// <inheritdoc/>
    protected override int StateCount => 1;

    /// <inheritdoc/>
    protected override string FusedGateOrder => "zrh";

    /// <inheritdoc/>
    protected override Tensor[] Step(Tensor xProjected, Tensor[] states)
    {
        var h = states[0];
        var x = xProjected.chunk(3, 1);
        Tensor z, r, hh;
        if (resetAfter)
        {
            var inner = h.matmul(Recurrent);
            if (RecurrentBias is not null) inner = inner + RecurrentBias;
            var i = inner.chunk(3, 1);
            z = Gate(x[0] + i[0]);
            r = Gate(x[1] + i[1]);
            hh = Act(x[2] + r * i[2]);
        }
        else
        {
            var u = Recurrent.chunk(3, 1);
            z = Gate(x[0] + h.matmul(u[0]));
            r = Gate(x[1] + h.matmul(u[1]));
            hh = Act(x[2] + (r * h).matmul(u[2]));
        }
        return new[] { z * h + (1.0 - z) * hh };
    }
}
