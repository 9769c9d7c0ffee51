using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>Merge layers: element-wise with broadcasting, or concatenation on the configured axis.</summary>
public sealed class MergeLowering(MergeSpec spec) : LoweredLayer(spec)
{
    private readonly MergeSpec s = spec;

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
}
