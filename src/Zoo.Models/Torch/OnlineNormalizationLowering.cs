using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>
/// <c>Zoo&gt;OnlineNormalization</c>. Inference: γ·(x − μ)/√(σ² + ε) + β with the stored running estimates, left
/// unchanged. Training (<see cref="Apply"/>): the batch is a stream, each sample normalized with the estimates the
/// samples before it left, and the estimates advanced sample by sample (see <see cref="OnlineNormalizationSpec"/>).
/// Backward: autograd with the estimates as constants (they come from earlier samples, as in the paper's streaming
/// view), so ∂y/∂x = γ/√(σ²_{t−1} + ε); the paper's error-compensating backward (its α_b control process, which
/// removes the gradient's components along 1 and y) is not reproduced.
/// </summary>
public sealed class OnlineNormalizationLowering(OnlineNormalizationSpec spec) : UnaryLayer(spec)
{
    private readonly OnlineNormalizationSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
        => Apply(s, x, Param("gamma"), Param("beta"), Param("moving_mean")!, Param("moving_variance")!, training: false);

    /// <inheritdoc/>
    public override bool TrainingDiffers => true;

    /// <inheritdoc/>
    protected override Tensor ForwardTraining(Tensor x, CallContext context)
        => Apply(s, x, Param("gamma"), Param("beta"), Param("moving_mean")!, Param("moving_variance")!, training: true);

    /// <summary>The layer on <paramref name="x"/>; in <paramref name="training"/> the estimates advance in place.</summary>
    public static Tensor Apply(OnlineNormalizationSpec spec, Tensor x, Tensor? gamma, Tensor? beta, Tensor mean, Tensor variance, bool training)
    {
        var o = spec.Options;
        var layout = ChannelLayout.Of(o, x);
        var xl = layout.ToLast(x);
        Tensor mu = mean, var2 = variance;
        if (training)
        {
            var (before, beforeVar) = Advance(xl, layout, mean, variance, spec.AlphaForward);
            var stat = new[] { xl.shape[0] }.Concat(Enumerable.Repeat(1L, layout.Rank - 2)).Append(xl.shape[^1]).ToArray();
            mu = before.reshape(stat);
            var2 = beforeVar.reshape(stat);
        }
        var y = (xl - mu) * (var2 + o.Epsilon).rsqrt();
        return layout.FromLast(ChannelLayout.Affine(y, gamma, beta));
    }

    /// <summary>
    /// Runs the estimate recurrence through the batch in order (in double precision, without gradient): returns the
    /// estimates each sample sees (N, C) and leaves the ones after the last sample in <paramref name="mean"/> and
    /// <paramref name="variance"/>.
    /// </summary>
    private static (Tensor Mean, Tensor Variance) Advance(Tensor xl, ChannelLayout layout, Tensor mean, Tensor variance, double alpha)
    {
        using var _ = no_grad();
        long n = xl.shape[0], c = xl.shape[^1];
        var flat = xl.detach().to_type(ScalarType.Float64).reshape(n, -1, c);
        var m = flat.mean(new long[] { 1 }).data<double>().ToArray();
        var v = flat.var(new long[] { 1 }, unbiased: false).data<double>().ToArray();
        var mu = mean.to_type(ScalarType.Float64).data<double>().ToArray();
        var s2 = variance.to_type(ScalarType.Float64).data<double>().ToArray();
        var seenMean = new float[n * c];
        var seenVar = new float[n * c];
        for (long t = 0; t < n; t++)
            for (long k = 0; k < c; k++)
            {
                long i = t * c + k;
                seenMean[i] = (float)mu[k];
                seenVar[i] = (float)s2[k];
                double d = m[i] - mu[k];
                s2[k] = alpha * s2[k] + (1 - alpha) * v[i] + alpha * (1 - alpha) * d * d;
                mu[k] = alpha * mu[k] + (1 - alpha) * m[i];
            }
        mean.copy_(tensor(mu).to_type(mean.dtype));
        variance.copy_(tensor(s2).to_type(variance.dtype));
        return (tensor(seenMean, new[] { n, c }).to_type(xl.dtype), tensor(seenVar, new[] { n, c }).to_type(xl.dtype));
    }
}
