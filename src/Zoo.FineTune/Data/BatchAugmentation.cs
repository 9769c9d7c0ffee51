using static TorchSharp.torch;

namespace Zoo.FineTune.Data;

/// <summary>Runs an <see cref="IBatchAugmenter"/> on a batch tensor for the fit loop.</summary>
internal static class BatchAugmentation
{
    /// <summary>A new float tensor holding <paramref name="batch"/> (samples <paramref name="indices"/>) augmented for <paramref name="epoch"/>.</summary>
    public static Tensor Apply(IBatchAugmenter augmenter, int epoch, long[] indices, Tensor batch)
    {
        var values = batch.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        augmenter.Apply(epoch, indices, values, batch.shape.AsSpan(1));
        return tensor(values, batch.shape);
    }
}
