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
    public override Tensor[] Forward(IReadOnlyList<Tensor> inputs) => Merge(inputs, channelsFirst: false);

    /// <inheritdoc/>
    public override Tensor[] ForwardChannelsFirst(IReadOnlyList<Tensor> inputs) => Merge(inputs, channelsFirst: true);

    private Tensor[] Merge(IReadOnlyList<Tensor> inputs, bool channelsFirst)
    {
        if (inputs.Count < (s.Op == MergeOp.Subtract ? 2 : 1) || (s.Op == MergeOp.Subtract && inputs.Count != 2))
            throw new Zoo.Formats.ModelFormatException($"layer '{Name}' ({s.ClassName}): {inputs.Count} inputs do not fit {s.Op}");
        Tensor y = s.Op switch
        {
            MergeOp.Concatenate => cat(inputs.ToArray(), ConcatAxis((int)inputs[0].dim(), channelsFirst)),
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

    private int ConcatAxis(int rank, bool channelsFirst)
    {
        int axis = AxisList.Normalize(s.Axis, rank);
        return channelsFirst ? Layouts.ChannelsFirstAxis(axis, rank) : axis;
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
