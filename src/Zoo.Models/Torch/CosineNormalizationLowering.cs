using Zoo.Formats;
using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>
/// <c>Zoo&gt;CosineNormalization</c>: the wrapped Dense or convolution's pre-activation divided by the product of the
/// (bias-extended) weight and input norms, then its activation. A convolution's patch norms come from convolving
/// x² with an all-ones kernel under the same strides, padding and dilation. No statistics: the same code trains.
/// </summary>
public sealed class CosineNormalizationLowering(CosineNormalizationSpec spec) : UnaryLayer(spec)
{
    private readonly CosineNormalizationSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Apply(s, x, Param("kernel")!, Param("bias"));

    /// <summary>cos(w, x) per output unit and position, then the inner activation; gradients reach kernel and bias.</summary>
    public static Tensor Apply(CosineNormalizationSpec spec, Tensor x, Tensor kernel, Tensor? bias)
    {
        var dot = KernelCall.Run(spec.Inner, x, kernel, bias, withActivation: false);
        // |w|² per output unit: every kernel axis but the last.
        var reduce = Enumerable.Range(0, (int)kernel.dim() - 1).Select(i => (long)i).ToArray();
        var weightSq = kernel.square().sum(reduce);
        if (bias is not null) weightSq = weightSq + bias.square();
        Tensor inputSq;
        KerasActivation activation;
        switch (spec.Inner)
        {
            case DenseSpec d:
                inputSq = x.square().sum(new long[] { -1 }, true);
                activation = d.Activation;
                break;
            case ConvSpec c:
                if (c.Groups != 1)
                    throw new UnsupportedFeatureException($"layer '{spec.Name}' ({spec.ClassName}): a grouped convolution (groups={c.Groups}) is not supported", null, $"layers/{spec.Name}");
                var ones = TorchSharp.torch.ones(kernel.shape[..^1].Append(1L).ToArray(), dtype: x.dtype);
                inputSq = KernelCall.Run(c with { Filters = 1, UseBias = false }, x.square(), ones, null, withActivation: false);
                if (c.DataFormat == DataFormat.ChannelsFirst)
                    weightSq = weightSq.reshape(new[] { weightSq.shape[0] }.Concat(Enumerable.Repeat(1L, (int)x.dim() - 2)).ToArray());
                activation = c.Activation;
                break;
            default:
                throw new UnsupportedFeatureException($"layer '{spec.Name}' ({spec.ClassName}): only Dense and convolutions can be wrapped", null, $"layers/{spec.Name}");
        }
        if (bias is not null) inputSq = inputSq + 1;
        var cosine = dot / (weightSq.sqrt() * inputSq.sqrt() + spec.Epsilon);
        return ActivationFunctions.Apply(activation, cosine);
    }
}
