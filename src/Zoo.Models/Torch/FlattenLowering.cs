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
        return x.reshape(x.shape[0], -1);
    }
}
