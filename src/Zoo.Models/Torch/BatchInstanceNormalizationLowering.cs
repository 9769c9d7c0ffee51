using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>
/// <c>Zoo&gt;BatchInstanceNormalization</c>: ρ·x̂_BN + (1 − ρ)·x̂_IN, then γ and β. Inference uses the moving statistics
/// for x̂_BN and ρ clipped to [0, 1]; <see cref="Apply"/> with <c>training</c> is the training step.
/// </summary>
public sealed class BatchInstanceNormalizationLowering(BatchInstanceNormalizationSpec spec) : UnaryLayer(spec)
{
    private readonly BatchInstanceNormalizationSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
        => Apply(s, x, Param("gamma"), Param("beta"), Param("rho")!, Param("moving_mean")!, Param("moving_variance")!, training: false);

    /// <inheritdoc/>
    public override bool TrainingDiffers => true;

    /// <inheritdoc/>
    protected override Tensor ForwardTraining(Tensor x, CallContext context)
        => Apply(s, x, Param("gamma"), Param("beta"), Param("rho")!, Param("moving_mean")!, Param("moving_variance")!, training: true);

    /// <summary>
    /// The layer on <paramref name="x"/>. In <paramref name="training"/> it first clips ρ to [0, 1] in place (the
    /// clip after the previous update), normalizes the BN part with the batch's mean and biased variance and moves
    /// the moving statistics with the momentum; otherwise it reads the moving statistics and a clipped copy of ρ.
    /// </summary>
    public static Tensor Apply(BatchInstanceNormalizationSpec spec, Tensor x, Tensor? gamma, Tensor? beta, Tensor rho,
        Tensor movingMean, Tensor movingVariance, bool training)
    {
        var o = spec.Options;
        var layout = ChannelLayout.Of(o, x);
        var xl = layout.ToLast(x);
        var (instMean, instVar) = ChannelLayout.Moments(xl, layout.Spatial);
        var xIn = (xl - instMean) * (instVar + o.Epsilon).rsqrt();
        Tensor xBn, r;
        if (training)
        {
            using (no_grad()) rho.clamp_(0, 1);
            r = rho;
            var (mean, variance) = ChannelLayout.Moments(xl, layout.BatchAndSpatial);
            xBn = (xl - mean) * (variance + o.Epsilon).rsqrt();
            ChannelLayout.MoveAverage(movingMean, mean, o.Momentum);
            ChannelLayout.MoveAverage(movingVariance, variance, o.Momentum);
        }
        else
        {
            r = rho.clamp(0, 1);
            xBn = (xl - movingMean) * (movingVariance + o.Epsilon).rsqrt();
        }
        var mixed = r * xBn + (1 - r) * xIn;
        return layout.FromLast(ChannelLayout.Affine(mixed, gamma, beta));
    }
}
