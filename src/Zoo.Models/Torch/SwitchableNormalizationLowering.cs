using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>
/// <c>Zoo&gt;SwitchableNormalization</c>: mean and variance as softmax-weighted mixes of the instance, layer and batch
/// statistics (the moving statistics at inference), then γ and β. <see cref="Apply"/> with <c>training</c> is the training step.
/// </summary>
public sealed class SwitchableNormalizationLowering(SwitchableNormalizationSpec spec) : UnaryLayer(spec)
{
    private readonly SwitchableNormalizationSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
        => Apply(s, x, Param("gamma"), Param("beta"), Param("mean_weights")!, Param("variance_weights")!,
            Param("moving_mean")!, Param("moving_variance")!, training: false);

    /// <inheritdoc/>
    public override bool TrainingDiffers => true;

    /// <inheritdoc/>
    protected override Tensor ForwardTraining(Tensor x, CallContext context)
        => Apply(s, x, Param("gamma"), Param("beta"), Param("mean_weights")!, Param("variance_weights")!,
            Param("moving_mean")!, Param("moving_variance")!, training: true);

    /// <summary>
    /// The layer on <paramref name="x"/>. Layer and batch statistics are derived from the instance ones as the paper
    /// does (μ_LN = mean_c μ_IN, σ²_LN = mean_c(σ²_IN + μ²_IN) − μ²_LN; the same over the batch for BN), which equals
    /// the direct biased statistics. In <paramref name="training"/> the batch statistics are used and move the
    /// moving statistics with the momentum.
    /// </summary>
    public static Tensor Apply(SwitchableNormalizationSpec spec, Tensor x, Tensor? gamma, Tensor? beta, Tensor meanWeights,
        Tensor varianceWeights, Tensor movingMean, Tensor movingVariance, bool training)
    {
        var o = spec.Options;
        var layout = ChannelLayout.Of(o, x);
        var xl = layout.ToLast(x);
        var (inMean, inVar) = ChannelLayout.Moments(xl, layout.Spatial);
        var inSecond = inVar + inMean.square();
        var lnMean = inMean.mean(new long[] { -1 }, true);
        var lnVar = inSecond.mean(new long[] { -1 }, true) - lnMean.square();
        Tensor bnMean, bnVar;
        if (training)
        {
            bnMean = inMean.mean(new long[] { 0 }, true);
            bnVar = inSecond.mean(new long[] { 0 }, true) - bnMean.square();
            ChannelLayout.MoveAverage(movingMean, bnMean, o.Momentum);
            ChannelLayout.MoveAverage(movingVariance, bnVar, o.Momentum);
        }
        else
        {
            bnMean = movingMean;
            bnVar = movingVariance;
        }
        var wm = meanWeights.softmax(0);
        var wv = varianceWeights.softmax(0);
        var mean = wm[0] * inMean + wm[1] * lnMean + wm[2] * bnMean;
        var variance = wv[0] * inVar + wv[1] * lnVar + wv[2] * bnVar;
        var y = (xl - mean) * (variance + o.Epsilon).rsqrt();
        return layout.FromLast(ChannelLayout.Affine(y, gamma, beta));
    }
}
