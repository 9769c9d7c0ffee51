using static TorchSharp.torch;

namespace Zoo.FineTune.Losses;

/// <summary>
/// A Keras loss: <see cref="PerSample"/> gives one value per sample; <c>Fit</c> multiplies
/// it by the sample weights (from <c>class_weight</c>) and divides the sum by the batch size, Keras's
/// <c>sum_over_batch_size</c> reduction.
/// </summary>
public abstract class Loss
{
    /// <summary>Keras's fuzz factor <c>backend.epsilon()</c>: probabilities are clipped to [ε, 1 − ε].</summary>
    public const double Epsilon = 1e-7;

    /// <summary>Keras's name of the loss, as written in <c>training_config</c>.</summary>
    public abstract string KerasName { get; }

    /// <summary>True when targets are class indices (one per sample) rather than arrays shaped like the predictions.</summary>
    public virtual bool SparseTargets => false;

    /// <summary>The loss of each sample, shape [batch].</summary>
    public abstract Tensor PerSample(Tensor yTrue, Tensor yPred);

    /// <summary>The accuracy Keras pairs with this loss for <c>metrics=["accuracy"]</c>: 1 or 0 per sample (mean over outputs for binary).</summary>
    public abstract Tensor Accuracy(Tensor yTrue, Tensor yPred);

    /// <summary>Keras's categorical cross-entropy on probabilities.</summary>
    public static Loss CategoricalCrossentropy { get; } = new CategoricalCrossentropyLoss();

    /// <summary>Keras's sparse categorical cross-entropy (targets are class indices).</summary>
    public static Loss SparseCategoricalCrossentropy { get; } = new SparseCategoricalCrossentropyLoss();

    /// <summary>Keras's binary cross-entropy on probabilities.</summary>
    public static Loss BinaryCrossentropy { get; } = new BinaryCrossentropyLoss();

    /// <summary>Mean squared error over the last axis.</summary>
    public static Loss MeanSquaredError { get; } = new MeanSquaredErrorLoss();

    /// <summary>Samples' mean over every axis but the first.</summary>
    protected static Tensor MeanPerSample(Tensor t)
        => t.dim() <= 1 ? t : t.reshape(t.shape[0], -1).mean(new long[] { 1 });
}

/// <summary>
/// −Σ y·log p over the class axis, after Keras's steps: p rescaled to sum to 1, then clipped to [ε, 1 − ε].
/// </summary>
internal sealed class CategoricalCrossentropyLoss : Loss
{
    public override string KerasName => "categorical_crossentropy";

    public override Tensor PerSample(Tensor yTrue, Tensor yPred)
    {
        var p = (yPred / yPred.sum(-1, keepdim: true)).clamp(Epsilon, 1 - Epsilon);
        return MeanPerSample(-(yTrue * p.log()).sum(-1));
    }

    public override Tensor Accuracy(Tensor yTrue, Tensor yPred)
        => MeanPerSample(yTrue.argmax(-1).eq(yPred.argmax(-1)).to_type(ScalarType.Float32));
}

/// <summary>−log p[label], with the same rescaling and clipping as the categorical loss.</summary>
internal sealed class SparseCategoricalCrossentropyLoss : Loss
{
    public override string KerasName => "sparse_categorical_crossentropy";

    public override bool SparseTargets => true;

    public override Tensor PerSample(Tensor yTrue, Tensor yPred)
    {
        var p = (yPred / yPred.sum(-1, keepdim: true)).clamp(Epsilon, 1 - Epsilon);
        var labels = Labels(yTrue, yPred);
        return MeanPerSample(-p.log().gather(-1, labels.unsqueeze(-1)).squeeze(-1));
    }

    public override Tensor Accuracy(Tensor yTrue, Tensor yPred)
        => MeanPerSample(Labels(yTrue, yPred).eq(yPred.argmax(-1)).to_type(ScalarType.Float32));

    private static Tensor Labels(Tensor yTrue, Tensor yPred)
    {
        var labels = yTrue.to_type(ScalarType.Int64);
        return labels.dim() == yPred.dim() ? labels.squeeze(-1) : labels;
    }
}

/// <summary>−[y·log p + (1 − y)·log(1 − p)] with p clipped to [ε, 1 − ε], averaged over the last axis (Keras 3).</summary>
internal sealed class BinaryCrossentropyLoss : Loss
{
    public override string KerasName => "binary_crossentropy";

    public override Tensor PerSample(Tensor yTrue, Tensor yPred)
    {
        var p = yPred.clamp(Epsilon, 1 - Epsilon);
        return MeanPerSample(-(yTrue * p.log() + (1 - yTrue) * (1 - p).log()));
    }

    public override Tensor Accuracy(Tensor yTrue, Tensor yPred)
        => MeanPerSample(yTrue.eq(yPred.gt(0.5).to_type(yTrue.dtype)).to_type(ScalarType.Float32));
}

/// <summary>Mean of (y − p)² over the last axis.</summary>
internal sealed class MeanSquaredErrorLoss : Loss
{
    public override string KerasName => "mean_squared_error";

    public override Tensor PerSample(Tensor yTrue, Tensor yPred) => MeanPerSample((yTrue - yPred).square());

    public override Tensor Accuracy(Tensor yTrue, Tensor yPred)
        => MeanPerSample(yTrue.argmax(-1).eq(yPred.argmax(-1)).to_type(ScalarType.Float32));
}
