namespace Zoo.Formats.Layers;

/// <summary>
/// TensorFlow Addons' <c>InstanceNormalization</c> (stored as <c>Addons&gt;InstanceNormalization</c>): TFA's
/// GroupNormalization with one group per channel, so each sample's channel is normalized over the other
/// non-batch axes with biased variance, then per-channel gamma and beta. TFA overwrites any <c>groups</c>
/// given with −1; axis −1, ε 1e-3, center and scale on by default, as TFA.
/// </summary>
public static class InstanceNormalizationSpec
{
    /// <summary>Reads the layer as a <see cref="GroupNormalizationSpec"/> with <c>groups = −1</c> (channels).</summary>
    public static GroupNormalizationSpec Read(LayerConfig c)
        => GroupNormalizationSpec.Read(c) with { Groups = -1 };
}
