using Zoo.Formats;
using Zoo.Formats.Layers;
using Zoo.Models.Torch;
using static TorchSharp.torch;

namespace Zoo.FineTune.Training;

/// <summary>
/// <c>Dropout</c> as Keras runs it: identity at inference; in training, each unit is kept with probability
/// 1 − rate and scaled by 1/(1 − rate). Keras applies it whether or not the layer is trainable.
/// </summary>
internal sealed class TrainingDropout : UnaryLayer
{
    private readonly TrainingPhase phase;
    private readonly double rate;

    /// <summary>Lowers the Dropout layer of <paramref name="spec"/> (rate from <c>rate</c>, Keras 1 <c>p</c>).</summary>
    public TrainingDropout(CustomLayerSpec spec, TrainingPhase phase) : base(spec)
    {
        this.phase = phase;
        var node = spec.Config["rate"] ?? spec.Config["p"];
        rate = node is null ? 0.5 : node is System.Text.Json.Nodes.JsonValue v && v.TryGetValue(out double r) ? r
            : throw new ModelFormatException($"layer '{spec.Name}' (Dropout): rate must be a number, found {node.ToJsonString()}", null, $"layers/{spec.Name}");
        if (rate < 0 || rate >= 1)
            throw new ModelFormatException($"layer '{spec.Name}' (Dropout): rate must be in [0, 1), found {rate}", null, $"layers/{spec.Name}");
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        if (!phase.Training || rate == 0) return x.alias();
        using var keep = rand(x.shape, generator: phase.Generator, dtype: x.dtype) >= rate;
        return x * keep.to_type(x.dtype) / (1 - rate);
    }
}
