using Zoo.Formats;
using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>
/// <c>Embedding</c>: looks rows up by id. With <c>mask_zero</c> it also makes Keras's mask (id ≠ 0), which
/// the executor carries to the layers that use it (recurrent layers, masked average pooling).
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
        }
        var rows = Param("embeddings")!.index_select(0, ids.flatten());
        return rows.reshape(ids.shape.Append(s.OutputDim).ToArray());
    }

    /// <inheritdoc/>
    public override (Tensor[] Outputs, Tensor?[] Masks) Forward(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks)
    {
        var y = Forward(Single(inputs));
        return (new[] { y }, new[] { s.MaskZero ? Single(inputs).to_type(ScalarType.Int64).ne(0) : null });
    }
}
