using Zoo.Formats;
using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>
/// The <c>Normalization</c> preprocessing layer: mean and variance broadcast on the kept axes, the
/// standard deviation floored at 1e-7 as Keras does; <c>invert</c> undoes the normalization.
/// </summary>
public sealed class NormalizationLowering(NormalizationSpec spec) : UnaryLayer(spec)
{
    private readonly NormalizationSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        var shape = s.BroadcastShape(x.shape);
        var (mean, variance) = s.Mean is not null
            ? (Broadcast(s.Mean, shape, "mean"), Broadcast(s.Variance!, shape, "variance"))
            : (Param("mean")!.reshape(shape), Param("variance")!.reshape(shape));
        var std = variance.sqrt().clamp_min(NormalizationSpec.StdFloor);
        return s.Invert ? mean + x * std : (x - mean) / std;
    }

    private Tensor Broadcast(double[] values, long[] shape, string what)
    {
        var t = tensor(values.Select(v => (float)v).ToArray());
        if (values.Length == 1) return t.reshape(Enumerable.Repeat(1L, shape.Length).ToArray());
        if (values.Length != shape.Aggregate(1L, (a, b) => a * b))
            throw new ModelFormatException($"layer '{Name}' (Normalization): config '{what}' has {values.Length} values, the kept axes need [{string.Join(",", shape.Skip(1))}]", null, $"layers/{Name}/config/{what}");
        return t.reshape(shape);
    }
}
