using Zoo.Formats.Layers;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Zoo.Models.Torch;

/// <summary>The Keras activations as torch operations, with Keras's constants and axis (last).</summary>
public static class ActivationFunctions
{
    /// <summary>True when <paramref name="a"/> acts on each element alone, so it gives the same values in any layout (softmax and log-softmax act along the last axis).</summary>
    public static bool IsElementwise(KerasActivation a) => a is not (KerasActivation.Softmax or KerasActivation.LogSoftmax);

    /// <summary>Applies <paramref name="a"/> to channels-first <paramref name="cf"/> as Keras applies it to the channels-last tensor.</summary>
    internal static Tensor ApplyChannelsFirst(KerasActivation a, Tensor cf)
        => IsElementwise(a) || cf.dim() < 3 ? Apply(a, cf)
            : Layouts.ToChannelsFirst(Apply(a, Layouts.FromChannelsFirst(cf, Zoo.Formats.Layers.DataFormat.ChannelsLast)), Zoo.Formats.Layers.DataFormat.ChannelsLast);

    /// <summary>Applies <paramref name="a"/> to <paramref name="x"/> (returns <paramref name="x"/> itself for linear).</summary>
    public static Tensor Apply(KerasActivation a, Tensor x) => a switch
    {
        KerasActivation.Linear => x,
        KerasActivation.Relu => x.relu(),
        KerasActivation.Relu6 => x.clamp(0.0, 6.0),
        KerasActivation.Sigmoid => x.sigmoid(),
        KerasActivation.HardSigmoidKeras2 => (x * 0.2 + 0.5).clamp(0.0, 1.0),
        KerasActivation.HardSigmoidKeras3 => (x + 3.0).clamp(0.0, 6.0) / 6.0,
        KerasActivation.HardSilu => x * (x + 3.0).clamp(0.0, 6.0) / 6.0,
        KerasActivation.Tanh => x.tanh(),
        KerasActivation.Softmax => x.softmax(-1),
        KerasActivation.LogSoftmax => x.log_softmax(-1),
        KerasActivation.Softplus => F.softplus(x),
        KerasActivation.Softsign => x / (x.abs() + 1.0),
        KerasActivation.Elu => F.elu(x, 1.0),
        KerasActivation.Selu => F.selu(x),
        KerasActivation.Exponential => x.exp(),
        KerasActivation.Swish => x * x.sigmoid(),
        KerasActivation.Gelu => F.gelu(x),
        KerasActivation.Mish => x * F.softplus(x).tanh(),
        KerasActivation.LeakyRelu => F.leaky_relu(x, 0.2),
        _ => throw new ArgumentOutOfRangeException(nameof(a), a, "unknown activation"),
    };
}
