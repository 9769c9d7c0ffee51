using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>
/// <c>Flatten</c>: tensors are already in Keras layout, so a reshape gives Keras's H,W,C order; a
/// channels-first Flatten moves channels last first, as Keras does.
/// </summary>
public sealed class FlattenLowering(FlattenSpec spec) : UnaryLayer(spec)
{
    private readonly FlattenSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        if (s.DataFormat == DataFormat.ChannelsFirst && x.dim() > 2)
            x = Layouts.FromChannelsFirst(x, DataFormat.ChannelsLast);
        // The explicit size (not -1) keeps an empty batch, used to build models without computing, reshapable.
        var shape = x.shape;
        long features = 1;
        for (int i = 1; i < shape.Length; i++) features *= shape[i];
        return x.reshape(shape[0], features);
    }
}
