using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Zoo.FineTune.Optimizers;

/// <summary>
/// Keras's <c>SGD</c>: with momentum, v ← momentum·v − lr·g and w ← w + v, or with Nesterov
/// w ← w + momentum·v − lr·g; without momentum w ← w − lr·g. Keras default lr 0.01.
/// </summary>
public sealed class Sgd(double learningRate = 0.01, double momentum = 0.0, bool nesterov = false) : Optimizer(learningRate)
{
    /// <summary>The momentum factor (0 disables it).</summary>
    public double Momentum { get; } = momentum is >= 0 and <= 1 ? momentum : throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be in [0, 1]");

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; } = nesterov;

    /// <inheritdoc/>
    public override string KerasName => "SGD";

    /// <inheritdoc/>
    protected override IEnumerable<(string Key, JsonNode? Value)> Hyperparameters()
    {
        yield return ("momentum", Momentum);
        yield return ("nesterov", Nesterov);
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<string> SlotNames { get; } = new[] { "m" };

    /// <inheritdoc/>
    protected override int SlotCount => 1;

    /// <inheritdoc/>
    protected override void Update(Tensor weight, Tensor gradient, Tensor?[] state, long step)
    {
        var scaled = gradient * LearningRate;
        if (Momentum == 0) { weight.sub_(scaled); return; }
        var v = state[0]!;
        v.mul_(Momentum).sub_(scaled);
        if (!Nesterov) { weight.add_(v); return; }
        var ahead = v * Momentum;
        weight.add_(ahead.sub_(scaled));
    }

    /// <inheritdoc/>
    protected override bool Allocates(int slot) => Momentum > 0;

    /// <inheritdoc/>
    /// <remarks>tf.keras 2.15 creates the momentum variable always; Keras 3 only when momentum ≠ 0.</remarks>
    protected override bool CreatesInKeras3(int slot) => Momentum != 0;
}
