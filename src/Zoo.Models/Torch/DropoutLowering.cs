using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>
/// The Dropout family and the noise layers (<see cref="DropoutSpec"/>): the identity at inference; in a training
/// call each draws from the context's generator as Keras does, whether or not the layer is trainable. Dropout keeps
/// a unit with probability 1 − rate and scales it by 1/(1 − rate) (one draw per <c>noise_shape</c> cell);
/// SpatialDropout draws once per sample and channel; GaussianNoise adds N(0, stddev²); GaussianDropout multiplies by
/// N(1, rate/(1 − rate)); AlphaDropout sets dropped units to −λα and applies Keras's a·x + b.
/// </summary>
public sealed class DropoutLowering(DropoutSpec spec) : UnaryLayer(spec)
{
    private readonly DropoutSpec s = spec;

    // SELU's constants, as Keras's AlphaDropout writes them.
    private const double SeluAlpha = 1.6732632423543772848170429916717, SeluScale = 1.0507009873554804934193349852946;

    /// <inheritdoc/>
    /// <remarks>Keras marks these layers supports_masking: the mask flows on unchanged.</remarks>
    public override MaskBehavior Masking => MaskBehavior.PassesThrough;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => x;

    /// <inheritdoc/>
    /// <remarks>Element-wise at inference: the same values in any layout.</remarks>
    public override LayoutAffinity Affinity => LayoutAffinity.Either;

    /// <inheritdoc/>
    public override Tensor ForwardChannelsFirst(Tensor cf) => cf;

    /// <inheritdoc/>
    public override bool TrainingDiffers => s.Rate > 0 || s.Stddev > 0;

    /// <inheritdoc/>
    protected override Tensor ForwardTraining(Tensor x, CallContext context)
    {
        var g = context.Random;
        switch (s.Kind)
        {
            case NoiseKind.GaussianNoise:
                return x + randn(x.shape, generator: g, dtype: x.dtype) * s.Stddev;
            case NoiseKind.GaussianDropout:
                return x * (randn(x.shape, generator: g, dtype: x.dtype) * Math.Sqrt(s.Rate / (1 - s.Rate)) + 1);
            case NoiseKind.AlphaDropout:
            {
                double alphaP = -SeluAlpha * SeluScale;
                using var kept = (rand(x.shape, generator: g, dtype: x.dtype) >= s.Rate).to_type(x.dtype);
                double a = Math.Pow((1 - s.Rate) * (1 + s.Rate * alphaP * alphaP), -0.5);
                double b = -a * alphaP * s.Rate;
                return (x * kept + (1 - kept) * alphaP) * a + b;
            }
            default:
            {
                using var keep = rand(NoiseShape(x), generator: g, dtype: x.dtype) >= s.Rate;
                return x * keep.to_type(x.dtype) / (1 - s.Rate);
            }
        }
    }

    // One draw per unit, per noise_shape cell, or (spatial) per sample and channel; the mask broadcasts.
    private long[] NoiseShape(Tensor x)
    {
        var shape = x.shape;
        if (s.Kind == NoiseKind.SpatialDropout)
        {
            var noise = Enumerable.Repeat(1L, shape.Length).ToArray();
            noise[0] = shape[0];
            int channels = s.DataFormat == DataFormat.ChannelsFirst ? 1 : shape.Length - 1;
            noise[channels] = shape[channels];
            return noise;
        }
        if (s.NoiseShape is not { } given) return shape;
        if (given.Length != shape.Length)
            throw new Zoo.Formats.ModelFormatException($"layer '{Name}' (Dropout): noise_shape has {given.Length} axes, its input {shape.Length}", null, $"layers/{Name}/config/noise_shape");
        return given.Select((d, i) => d ?? shape[i]).ToArray();
    }
}
