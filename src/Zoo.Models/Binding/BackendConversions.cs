using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Binding;

/// <summary>
/// Weight fixes Keras itself applies when it loads a file another backend wrote, so Zoo answers what
/// Keras on TensorFlow answers for that file.
/// </summary>
internal static class BackendConversions
{
    /// <summary>
    /// A Theano-written Keras 2 file stores convolution kernels for a true convolution; Keras's loader flips
    /// their spatial axes for TensorFlow's cross-correlation (Conv1D/2D only, as Keras does).
    /// </summary>
    public static Tensor[] Apply(LayerSpec spec, Tensor[] kerasWeights, string? backend) => Flip(spec, kerasWeights, backend);

    /// <summary>Inverse of <see cref="Apply"/>, for writing weights back in the file's own convention.</summary>
    public static Tensor[] Undo(LayerSpec spec, Tensor[] kerasWeights, string? backend) => Flip(spec, kerasWeights, backend);

    /// <summary>True when <see cref="Apply"/> changes the weights of <paramref name="spec"/> read from a <paramref name="backend"/> file.</summary>
    public static bool Changes(LayerSpec spec, string? backend) => backend == "theano" && spec is ConvSpec;

    private static Tensor[] Flip(LayerSpec spec, Tensor[] kerasWeights, string? backend)
    {
        if (!Changes(spec, backend) || kerasWeights.Length == 0) return kerasWeights;
        var conv = (ConvSpec)spec;
        var flipped = kerasWeights[0].flip(Enumerable.Range(0, conv.Rank).Select(i => (long)i).ToArray());
        kerasWeights[0].Dispose();
        kerasWeights[0] = flipped;
        return kerasWeights;
    }
}
