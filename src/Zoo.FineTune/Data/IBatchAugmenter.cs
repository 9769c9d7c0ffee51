namespace Zoo.FineTune.Data;

/// <summary>
/// A per-epoch transform of training batches: <c>Fit</c> draws each batch from its dataset and hands it here
/// before the forward pass (<c>FitOptions.Augmentation</c>), so every epoch sees different inputs. Validation
/// data is never augmented, and the frozen-base feature cache is off while an augmenter runs.
/// </summary>
public interface IBatchAugmenter
{
    /// <summary>
    /// Transforms <paramref name="batch"/> in place: row-major samples of <paramref name="sampleShape"/> (Keras layout, e.g.
    /// [height, width, channels]); sample <c>k</c> is training sample <paramref name="indices"/>[k], at epoch <paramref name="epoch"/>.
    /// </summary>
    void Apply(int epoch, ReadOnlySpan<long> indices, Span<float> batch, ReadOnlySpan<long> sampleShape);
}
