using Zoo.Formats;
using Zoo.Formats.Layers;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Zoo.Models.Torch;

/// <summary>
/// Runs a Dense or convolution layer with a kernel given in Keras layout, for the wrappers that compute the
/// kernel each call (weight normalization) or change it in place (spectral normalization); gradients flow
/// into the kernel tensor passed.
/// </summary>
public static class KernelCall
{
    /// <summary>
    /// The output of <paramref name="inner"/> on <paramref name="x"/> with <paramref name="kerasKernel"/> and
    /// <paramref name="bias"/>; <paramref name="withActivation"/> false leaves the activation out.
    /// </summary>
    public static Tensor Run(LayerSpec inner, Tensor x, Tensor kerasKernel, Tensor? bias, bool withActivation = true) => inner switch
    {
        DenseSpec d => ActivationFunctions.Apply(withActivation ? d.Activation : KerasActivation.Linear,
            F.linear(x, KerasTorchLayout.DenseToTorch(kerasKernel), bias)),
        ConvSpec c => ConvLowering.Convolve(withActivation ? c : c with { Activation = KerasActivation.Linear }, x,
            KerasTorchLayout.ConvToTorch(kerasKernel), bias),
        _ => throw new UnsupportedFeatureException($"layer '{inner.Name}' ({inner.ClassName}): only Dense and convolutions can be wrapped here", null, $"layers/{inner.Name}"),
    };
}
