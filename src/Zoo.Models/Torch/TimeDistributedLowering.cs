using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary><c>TimeDistributed</c>: folds time into the batch, runs the inner layer, unfolds.</summary>
public sealed class TimeDistributedLowering : UnaryLayer
{
    /// <inheritdoc/>
    /// <remarks>Keras marks this layer supports_masking: the mask flows on unchanged.</remarks>
    public override MaskBehavior Masking => MaskBehavior.PassesThrough;

    private readonly LoweredLayer inner;

    /// <summary>Lowers <paramref name="spec"/> and its inner layer.</summary>
    public TimeDistributedLowering(TimeDistributedSpec spec) : base(spec) => inner = LayerLowerings.Create(spec.Inner);

    /// <inheritdoc/>
    internal override IReadOnlyList<LoweredLayer> InnerLayers => new[] { inner };

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Run(x, CallContext.Inference);

    /// <inheritdoc/>
    public override bool TrainingDiffers => inner.TrainingDiffers;

    /// <inheritdoc/>
    protected override Tensor ForwardTraining(Tensor x, CallContext context) => Run(x, context);

    private Tensor Run(Tensor x, CallContext context)
    {
        long n = x.shape[0], t = x.shape[1];
        var folded = x.reshape(new[] { n * t }.Concat(x.shape.Skip(2)).ToArray());
        var y = inner.Forward(new[] { folded }, new Tensor?[1], context).Outputs;
        if (y.Length != 1) throw new Zoo.Formats.UnsupportedFeatureException($"layer '{Name}' (TimeDistributed): inner layers with several outputs are not supported");
        return y[0].reshape(new[] { n, t }.Concat(y[0].shape.Skip(1)).ToArray());
    }

    /// <inheritdoc/>
    protected override void OnBuilt(IReadOnlyList<long[]> inputShapes)
    {
        var s = inputShapes[0];
        inner.Build(new[] { new[] { s[0] * s[1] }.Concat(s.Skip(2)).ToArray() });
    }

    /// <inheritdoc/>
    protected override void OnLoaded() => inner.Load(Parameters);

    /// <inheritdoc/>
    public override void Dispose()
    {
        inner.Dispose();
        base.Dispose();
    }
}
