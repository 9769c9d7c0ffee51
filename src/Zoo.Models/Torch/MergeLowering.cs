using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>Merge layers: element-wise with broadcasting, or concatenation on the configured axis.</summary>
public sealed class MergeLowering(MergeSpec spec) : LoweredLayer(spec)
{
    private readonly MergeSpec s = spec;

    /// <inheritdoc/>
    /// <remarks>The executor runs it channels-first only when every input has the same rank, so axes map one to one.</remarks>
    public override LayoutAffinity Affinity => LayoutAffinity.Either;

    /// <inheritdoc/>
    /// <remarks>
    /// Computed on the Keras views (permutes, no copies), so the result's memory order, and every later op's
    /// result, is bit-identical to the Keras-layout path's.
    /// </remarks>
    public override Tensor[] ForwardChannelsFirst(IReadOnlyList<Tensor> inputs)
        => Forward(inputs.Select(x => Layouts.FromChannelsFirst(x, DataFormat.ChannelsLast)).ToArray())
            .Select(y => y.dim() >= 3 ? Layouts.ToChannelsFirst(y, DataFormat.ChannelsLast) : y).ToArray();

    /// <inheritdoc/>
    public override Tensor[] Forward(IReadOnlyList<Tensor> inputs)
    {
        if (inputs.Count < (s.Op == MergeOp.Subtract ? 2 : 1) || (s.Op == MergeOp.Subtract && inputs.Count != 2))
            throw new Zoo.Formats.ModelFormatException($"layer '{Name}' ({s.ClassName}): {inputs.Count} inputs do not fit {s.Op}");
        Tensor y = s.Op switch
        {
            MergeOp.Concatenate => cat(inputs.ToArray(), AxisList.Normalize(s.Axis, (int)inputs[0].dim())),
            MergeOp.Subtract => inputs[0] - inputs[1],
            MergeOp.Add => inputs.Skip(1).Aggregate(inputs[0], (a, b) => a + b),
            MergeOp.Average => inputs.Skip(1).Aggregate(inputs[0], (a, b) => a + b) / inputs.Count,
            MergeOp.Multiply => inputs.Skip(1).Aggregate(inputs[0], (a, b) => a * b),
            MergeOp.Maximum => inputs.Skip(1).Aggregate(inputs[0], maximum),
            MergeOp.Minimum => inputs.Skip(1).Aggregate(inputs[0], minimum),
            _ => throw new ArgumentOutOfRangeException(nameof(s.Op)),
        };
        return new[] { y };
    }

    /// <inheritdoc/>
    /// <remarks>Keras merges AND their inputs' masks; a concatenation along the masked steps would join them instead, which Zoo refuses.</remarks>
    public override (Tensor[] Outputs, Tensor?[] Masks) Forward(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks)
    {
        var mask = Masks.And(masks);
        if (mask is not null && s.Op == MergeOp.Concatenate && AxisList.Normalize(s.Axis, (int)inputs[0].dim()) != inputs[0].dim() - 1)
            throw Masks.Refused(this, "concatenating along a masked axis is not supported");
        return (Forward(inputs), new[] { mask });
    }
}
