namespace Zoo.Models.Torch;

/// <summary>
/// Which layout a lowering runs in when the graph executor carries tensors between layers in torch's
/// channels-first layout ((N, C, s₁…s_r) for a Keras (N, s₁…s_r, C) tensor) instead of Keras's.
/// </summary>
public enum LayoutAffinity
{
    /// <summary>Needs Keras layout (the default): axis-order-sensitive layers such as Flatten, Reshape, Permute, Dense on rank &gt; 2, recurrent layers.</summary>
    Keras,

    /// <summary>Runs natively channels-first (channels-last convolutions, pooling, padding): inputs are moved there, outputs stay there.</summary>
    ChannelsFirst,

    /// <summary>Runs in either layout and keeps it (element-wise layers, BatchNormalization, merges): channels-first when its inputs arrive so.</summary>
    Either,
}
