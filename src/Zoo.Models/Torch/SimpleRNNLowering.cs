using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary><c>SimpleRNN</c>: h' = act(x·W + b + h·U).</summary>
public sealed class SimpleRNNLowering(SimpleRNNSpec spec) : RecurrentLowering(spec, spec.Options)
{
    /// <inheritdoc/>
    protected override int StateCount => 1;

    /// <inheritdoc/>
    protected override string FusedGateOrder => "";

    /// <inheritdoc/>
    protected override Tensor[] Step(Tensor xProjected, Tensor[] states)
        => new[] { Act(xProjected + states[0].matmul(Recurrent)) };
}
