using Zoo.Formats.Layers;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Zoo.Models.Torch;

/// <summary>
/// <c>MaxPooling1D/2D</c>, <c>AveragePooling1D/2D</c>. "same" pads the TF way; max pads with −∞, and the
/// average divides each window's sum by the number of real (unpadded) cells in it, as Keras does.
/// </summary>
public sealed class PoolingLowering : UnaryLayer
{
    private readonly PoolingSpec s;

    /// <summary>Lowers <paramref name="spec"/>; ranks 1 and 2 run.</summary>
    public PoolingLowering(PoolingSpec spec) : base(spec)
    {
        s = spec;
        if (spec.Rank > 2)
            throw new Zoo.Formats.UnsupportedFeatureException($"layer '{spec.Name}' ({spec.ClassName}): {spec.Rank}-D pooling is not lowered yet", null, $"layers/{spec.Name}");
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        var cf = Layouts.ToChannelsFirst(x, s.DataFormat);
        int[] k = s.PoolSize, st = s.Strides, one = { 1, 1 };
        if (s.Rank == 1) { cf = cf.unsqueeze(2); k = new[] { 1, k[0] }; st = new[] { 1, st[0] }; }
        Tensor y;
        if (s.Kind == PoolKind.Max)
            y = F.max_pool2d(Layouts.PadSpatial(cf, s.Padding, k, st, one, double.NegativeInfinity), k.L(), st.L());
        else if (s.Padding == Padding.Valid)
            y = F.avg_pool2d(cf, k.L(), st.L());
        else
        {
            var sum = F.avg_pool2d(Layouts.PadSpatial(cf, s.Padding, k, st, one), k.L(), st.L());
            using var ones = ones_like(cf.narrow(0, 0, 1).narrow(1, 0, 1));
            var count = F.avg_pool2d(Layouts.PadSpatial(ones, s.Padding, k, st, one), k.L(), st.L());
            y = sum / count;
        }
        if (s.Rank == 1) y = y.squeeze(2);
        return Layouts.FromChannelsFirst(y, s.DataFormat);
    }
}
