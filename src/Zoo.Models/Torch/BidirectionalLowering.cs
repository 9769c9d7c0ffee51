using Zoo.Formats;
using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>
/// <c>Bidirectional</c>: the backward layer sees the time-reversed sequence and its sequence output is
/// reversed back (Keras runs it with go_backwards flipped, which is the same thing); outputs are merged,
/// followed by the forward then backward states when return_state.
/// </summary>
public sealed class BidirectionalLowering : LoweredLayer
{
    private readonly BidirectionalSpec s;
    private readonly LoweredLayer forward, backward;

    /// <summary>Lowers <paramref name="spec"/> and its two inner layers.</summary>
    public BidirectionalLowering(BidirectionalSpec spec) : base(spec)
    {
        s = spec;
        forward = LayerLowerings.Create(spec.Forward);
        backward = LayerLowerings.Create(spec.Backward);
    }

    /// <inheritdoc/>
    public override Tensor[] Forward(IReadOnlyList<Tensor> inputs)
    {
        if (inputs.Count != 1) throw new UnsupportedFeatureException($"layer '{Name}' (Bidirectional): initial states are not supported");
        var f = forward.Forward(inputs);
        var b = backward.Forward(new[] { inputs[0].flip(1) });
        bool sequences = f[0].dim() == 3;
        var bOut = sequences ? b[0].flip(1) : b[0];
        var merged = s.Merge switch
        {
            BidirectionalMerge.Concat => new[] { cat(new[] { f[0], bOut }, -1) },
            BidirectionalMerge.Sum => new[] { f[0] + bOut },
            BidirectionalMerge.Mul => new[] { f[0] * bOut },
            BidirectionalMerge.Ave => new[] { (f[0] + bOut) / 2.0 },
            _ => new[] { f[0], bOut },
        };
        return merged.Concat(f.Skip(1)).Concat(b.Skip(1)).ToArray();
    }

    /// <inheritdoc/>
    protected override void OnBuilt(IReadOnlyList<long[]> inputShapes)
    {
        forward.Build(inputShapes);
        backward.Build(inputShapes);
    }

    /// <inheritdoc/>
    protected override void OnLoaded()
    {
        int n = forward.Expected.Count;
        forward.Load(Parameters.Take(n).ToArray());
        backward.Load(Parameters.Skip(n).ToArray());
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        forward.Dispose();
        backward.Dispose();
        base.Dispose();
    }
}
