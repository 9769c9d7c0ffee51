using Zoo.Formats;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>What a layer does with a Keras mask (from <c>Embedding(mask_zero=True)</c> or <c>Masking</c>) on its input.</summary>
public enum MaskBehavior
{
    /// <summary>
    /// Computes as usual and passes no mask on: Keras 3 destroys the mask at a layer that does not support
    /// masking (Keras 2 refused to build such a model, so no Keras 2 file has one).
    /// </summary>
    Drops,
    /// <summary>Computes as usual and passes its input's mask on (Keras's supports_masking layers: Dense, activations, dropout, normalization).</summary>
    PassesThrough,
    /// <summary>Keras would use the mask in a way Zoo does not reproduce: refuse rather than answer differently.</summary>
    Refuses,
}

/// <summary>Helpers for Keras masks: boolean (batch, steps) tensors, true where a step is real.</summary>
internal static class Masks
{
    /// <summary>The element-wise AND of the masks that are present (Keras merges combine masks this way); null when none is.</summary>
    public static Tensor? And(IReadOnlyList<Tensor?> masks)
    {
        Tensor? all = null;
        foreach (var m in masks)
            if (m is not null) all = all is null ? m : all.logical_and(m);
        return all;
    }

    /// <summary>The error for a layer that cannot take a mask.</summary>
    public static UnsupportedFeatureException Refused(LoweredLayer layer, string why)
        => new($"layer '{layer.Name}' ({layer.Spec.ClassName}) receives a mask (from Embedding mask_zero or Masking): {why}", null, $"layers/{layer.Name}");
}
