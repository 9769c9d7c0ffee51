using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Zoo.FineTune.Optimizers;

/// <summary>
/// Keras's <c>RMSprop</c>: v ← ρ·v + (1 − ρ)·g², increment = lr·g / √(v + ε) (ε inside the root, as
/// Keras 3 computes it), then w ← w − increment, or with momentum m ← momentum·m + increment and
/// w ← w − m. Centered: the denominator is √(v − ḡ² + ε) with ḡ ← ρ·ḡ + (1 − ρ)·g. Defaults lr 0.001,
/// ρ 0.9, momentum 0, ε 1e-7.
/// </summary>
public sealed class RmsProp(double learningRate = 0.001, double rho = 0.9, double momentum = 0.0, double epsilon = 1e-7, bool centered = false) : Optimizer(learningRate)
{
    /// <summary>Decay of the mean square.</summary>
    public double Rho { get; } = rho;

    /// <summary>Momentum factor (0 disables it).</summary>
    public double Momentum { get; } = momentum;

    /// <summary>Keras's epsilon (inside the square root).</summary>
    public double Epsilon { get; } = epsilon;

    /// <summary>Whether the gradient's mean is subtracted from its mean square.</summary>
    public bool Centered { get; } = centered;

    /// <inheritdoc/>
    public override string KerasName => "RMSprop";

    /// <inheritdoc/>
    protected override IEnumerable<(string Key, JsonNode? Value)> Hyperparameters()
    {
        yield return ("rho", Rho);
        yield return ("momentum", Momentum);
        yield return ("epsilon", Epsilon);
        yield return ("centered", Centered);
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<string> SlotNames { get; } = new[] { "velocity", "momentum", "average_gradient" };

    /// <inheritdoc/>
    protected override bool Creates(int slot) => slot == 0 || (slot == 1 && Momentum > 0) || (slot == 2 && Centered);

    /// <inheritdoc/>
    protected override int SlotCount => 3;

    /// <inheritdoc/>
    protected override void Update(Tensor weight, Tensor gradient, Tensor?[] state, long step)
    {
        var (v, m, avg) = (state[0]!, state[1], state[2]);
        // Keras's expressions operation by operation (so every rounding matches), reusing each temporary in place.
        v.mul_(Rho).add_(gradient.square().mul_(1 - Rho));
        Tensor denominator;
        if (Centered)
        {
            avg!.mul_(Rho).add_(gradient * (1 - Rho));
            denominator = (v - avg.square()).add_(Epsilon);
        }
        else denominator = v + Epsilon;
        var increment = (gradient * LearningRate).div_(denominator.sqrt_());
        if (Momentum > 0) { m!.mul_(Momentum).add_(increment); weight.sub_(m); }
        else weight.sub_(increment);
    }
}
