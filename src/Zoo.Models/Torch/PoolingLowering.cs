using Zoo.Formats.Layers;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Zoo.Models.Torch;

/// <summary>
/// <c>MaxPooling1D/2D/3D</c>, <c>AveragePooling1D/2D/3D</c>. "same" pads the TF way; max pads with −∞, and the
/// average divides each window's sum by the number of real (unpadded) cells in it, as Keras does.
/// </summary>
public sealed class PoolingLowering(PoolingSpec spec) : UnaryLayer(spec)
{
    private readonly PoolingSpec s = spec;

    /// <inheritdoc/>
    public override LayoutAffinity Affinity => s.DataFormat == DataFormat.ChannelsLast ? LayoutAffinity.ChannelsFirst : LayoutAffinity.Keras;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
        => Layouts.FromChannelsFirst(ForwardChannelsFirst(Layouts.ToChannelsFirst(x, s.DataFormat)), s.DataFormat);

    /// <inheritdoc/>
    public override Tensor ForwardChannelsFirst(Tensor cf)
    {
        int[] k = s.PoolSize, st = s.Strides;
        if (s.Rank == 1) { cf = cf.unsqueeze(2); k = new[] { 1, k[0] }; st = new[] { 1, st[0] }; }
        var one = Enumerable.Repeat(1, k.Length).ToArray();
        Tensor y;
        if (s.Kind == PoolKind.Max)
            y = MaxPool(Layouts.PadSpatial(cf, s.Padding, k, st, one, double.NegativeInfinity), k, st);
        else if (s.Padding == Padding.Valid)
            y = AvgPool(cf, k, st);
        else
        {
            var sum = AvgPool(Layouts.PadSpatial(cf, s.Padding, k, st, one), k, st);
            using var ones = ones_like(cf.narrow(0, 0, 1).narrow(1, 0, 1));
            var count = AvgPool(Layouts.PadSpatial(ones, s.Padding, k, st, one), k, st);
            y = sum / count;
        }
        if (s.Rank == 1) y = y.squeeze(2);
        return y;
    }

    private static Tensor MaxPool(Tensor x, int[] k, int[] st)
        => k.Length == 3 ? F.max_pool3d(x, k.L(), st.L()) : F.max_pool2d(x, k.L(), st.L());

    private static Tensor AvgPool(Tensor x, int[] k, int[] st)
        => k.Length == 3 ? F.avg_pool3d(x, k.L(), st.L()) : F.avg_pool2d(x, k.L(), st.L());
}
