using Zoo.Formats;
using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>
/// <c>Embedding</c>: looks rows up by id. With <c>mask_zero</c>, Keras masks id 0 downstream; Zoo does not
/// propagate masks yet, so it runs such a model only on inputs without id 0 (where the mask changes nothing)
/// and refuses the rest rather than answer differently from Keras.
/// </summary>
public sealed class EmbeddingLowering(EmbeddingSpec spec) : UnaryLayer(spec)
{
    private readonly EmbeddingSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        var ids = x.to_type(ScalarType.Int64);
        if (ids.numel() > 0)
        {
            long lo = ids.min().item<long>(), hi = ids.max().item<long>();
            if (lo < 0 || hi >= s.InputDim)
                throw new ZooException($"layer '{Name}' (Embedding): ids must lie in [0, {s.InputDim}), found [{lo}, {hi}]");
            if (s.MaskZero && lo == 0)
                throw new UnsupportedFeatureException($"layer '{Name}' (Embedding): mask_zero with id 0 in the input needs mask propagation, which is not supported yet");
        }
        var rows = Param("embeddings")!.index_select(0, ids.flatten());
        return rows.reshape(ids.shape.Append(s.OutputDim).ToArray());
    }
}
