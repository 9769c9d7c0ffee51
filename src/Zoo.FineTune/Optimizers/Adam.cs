using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Zoo.FineTune.Optimizers;

/// <summary>
/// Keras's <c>Adam</c>: m ← m + (g − m)(1 − β₁), v ← v + (g² − v)(1 − β₂), and
/// w ← w − α·m / (√v + ε) with α = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ). Keras's ε is the "ε-hat" of the paper:
/// added to √v after the bias correction is folded into α, so it weighs more than torch's ε. Defaults
/// lr 0.001, β₁ 0.9, β₂ 0.999, ε 1e-7.
/// </summary>
public sealed class Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7) : Optimizer(learningRate)
{
    /// <summary>Decay of the first moment.</summary>
    public double Beta1 { get; } = beta1;

    /// <summary>Decay of the second moment.</summary>
    public double Beta2 { get; } = beta2;

    /// <summary>Keras's epsilon (added to √v).</summary>
    public double Epsilon { get; } = epsilon;

    /// <inheritdoc/>
    public override string KerasName => "Adam";

    /// <inheritdoc/>
    protected override IEnumerable<(string Key, JsonNode? Value)> Hyperparameters()
    {
        yield return ("beta_1", Beta1);
        yield return ("beta_2", Beta2);
        yield return ("epsilon", Epsilon);
        yield return ("amsgrad", false);
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<string> SlotNames { get; } = new[] { "m", "v" };

    /// <inheritdoc/>
    protected override bool Interleaved => true;

    /// <inheritdoc/>
    protected override int SlotCount => 2;

    /// <inheritdoc/>
    protected override void Update(Tensor weight, Tensor gradient, Tensor?[] state, long step)
    {
        var (m, v) = (state[0]!, state[1]!);
        double alpha = LearningRate * Math.Sqrt(1 - Math.Pow(Beta2, step)) / (1 - Math.Pow(Beta1, step));
        // Keras's expressions operation by operation (so every rounding matches), reusing each temporary in place.
        m.add_((gradient - m).mul_(1 - Beta1));
        v.add_(gradient.square().sub_(v).mul_(1 - Beta2));
        weight.sub_((m * alpha).div_(v.sqrt().add_(Epsilon)));
    }
}
