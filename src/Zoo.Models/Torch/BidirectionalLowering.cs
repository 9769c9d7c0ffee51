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
    internal override IReadOnlyList<LoweredLayer> InnerLayers => new[] { forward, backward };

    /// <inheritdoc/>
    public override Tensor[] Forward(IReadOnlyList<Tensor> inputs) => Run(inputs, null, CallContext.Inference);

    /// <inheritdoc/>
    public override bool TrainingDiffers => forward.TrainingDiffers || backward.TrainingDiffers;

    /// <inheritdoc/>
    protected override Tensor[] ForwardTraining(IReadOnlyList<Tensor> inputs, CallContext context) => Run(inputs, null, context);

    /// <inheritdoc/>
    /// <remarks>
    /// With a mask both directions keep their states on masked steps; with return_sequences those steps
    /// output zeros (Keras sets zero_output_for_mask on both copies), so reversing the backward output lines up.
    /// </remarks>
    public override (Tensor[] Outputs, Tensor?[] Masks) Forward(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks)
    {
        var mask = masks.Count > 0 ? masks[0] : null;
        var outputs = Run(inputs, mask, CallContext.Inference);
        int merged = s.Merge == BidirectionalMerge.None ? 2 : 1;
        bool sequences = outputs[0].dim() == 3;
        return (outputs, outputs.Select((_, i) => i < merged && sequences ? mask : null).ToArray());
    }

    private Tensor[] Run(IReadOnlyList<Tensor> inputs, Tensor? mask, CallContext context)
    {
        if (inputs.Count != 1) throw new UnsupportedFeatureException($"layer '{Name}' (Bidirectional): initial states are not supported");
        Tensor[] f, b;
        if (mask is null)
        {
            f = forward.Forward(inputs, new Tensor?[inputs.Count], context).Outputs;
            b = backward.Forward(new[] { inputs[0].flip(1) }, new Tensor?[1], context).Outputs;
        }
        else
        {
            if (forward is not RecurrentLowering fr || backward is not RecurrentLowering br)
                throw Masks.Refused(this, "only recurrent layers inside Bidirectional take masks");
            f = fr.Run(inputs, mask, zeroOutputForMask: fr.ReturnsSequences);
            b = br.Run(new[] { inputs[0].flip(1) }, mask.flip(1), zeroOutputForMask: br.ReturnsSequences);
        }
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
