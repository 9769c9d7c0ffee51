using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>
/// <c>Masking</c>: the mask is "some feature differs from mask_value" over the last axis; masked steps are
/// zeroed in the output, as Keras does. Keras ignores any mask arriving from upstream here.
/// </summary>
public sealed class MaskingLowering(MaskingSpec spec) : UnaryLayer(spec)
{
    private readonly MaskingSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => x * Mask(x).unsqueeze(-1).to_type(x.dtype);

    /// <inheritdoc/>
    public override (Tensor[] Outputs, Tensor?[] Masks) Forward(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks)
    {
        var x = Single(inputs);
        return (new[] { Forward(x) }, new Tensor?[] { Mask(x) });
    }

    private Tensor Mask(Tensor x) => x.ne(s.MaskValue).any(-1);
}
