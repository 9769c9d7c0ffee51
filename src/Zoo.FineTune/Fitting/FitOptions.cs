using Zoo.FineTune.Losses;
using Zoo.FineTune.Optimizers;

namespace Zoo.FineTune.Fitting;

/// <summary>The arguments of Keras's <c>compile</c> and <c>fit</c>, with Keras's defaults.</summary>
public sealed class FitOptions
{
    /// <summary>Number of epochs (<c>epochs</c>, default 1).</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Seed of shuffling, dropout masks and noise (a model's first fit fixes its generator's seed).</summary>
    public int? Seed { get; init; }

    /// <summary>Samples per step (<c>batch_size</c>, default 32); the last batch of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Fraction of the data, taken from its end before shuffling, used to validate (<c>validation_split</c>); 0 for none.</summary>
    public double ValidationSplit { get; init; }

    /// <summary>Validation data (<c>validation_data</c>); takes precedence over <see cref="ValidationSplit"/>, as in Keras.</summary>
    public ArrayDataset? ValidationData { get; init; }

    /// <summary>Whether training samples are shuffled before each epoch (<c>shuffle</c>, default true).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Weight of each class's samples in the loss (<c>class_weight</c>); classes not listed weigh 1.</summary>
    public IReadOnlyDictionary<int, double>? ClassWeight { get; init; }

    /// <summary>The optimizer (Keras's <c>compile</c> default is RMSprop).</summary>
    public Optimizer? Optimizer { get; init; }

    /// <summary>The loss (default categorical cross-entropy).</summary>
    public Loss Loss { get; init; } = Loss.CategoricalCrossentropy;

    /// <summary>
    /// Per-output losses for a model with several outputs, in output order (Keras's <c>loss=[…]</c>); null: <see cref="Loss"/> for every output.
    /// </summary>
    public IReadOnlyList<Loss>? Losses { get; init; }

    /// <summary>
    /// Per-output loss weights, in output order (Keras's <c>loss_weights</c>): the minimized loss is Σ wₖ·lossₖ; null: 1 for every output.
    /// </summary>
    public IReadOnlyList<double>? LossWeights { get; init; }

    /// <summary>Validation data for a several-input or several-output fit; takes precedence over <see cref="ValidationSplit"/>.</summary>
    public MultiArrayDataset? MultiValidationData { get; init; }

    /// <summary>
    /// When the whole base is frozen and holds no random layers, compute its features once and train the head
    /// on them (default true): the same steps, without running the base every epoch.
    /// </summary>
    public bool CacheFrozenBase { get; init; } = true;

    /// <summary>
    /// Transforms each training batch before the forward pass, differently every epoch (image augmentation,
    /// <see cref="Data.ImageAugmenter"/>); validation data is not augmented. The frozen-base cache is off while it runs.
    /// </summary>
    public Data.IBatchAugmenter? Augmentation { get; init; }

    /// <summary>
    /// Receives what callbacks report for the user (early stopping: a monitor that is not logged, the epoch it
    /// stopped at, the weights it restored); null drops them. Keras prints these with <c>verbose=1</c>.
    /// </summary>
    public Action<string>? OnMessage { get; init; }

    /// <summary>Called after each training batch (epoch, batch, batches, running loss).</summary>
    public Action<BatchProgress>? OnBatch { get; init; }

    /// <summary>
    /// Stops the fit before its next step with <see cref="OperationCanceledException"/>; the weights keep the updates of
    /// the steps that ran.
    /// </summary>
    public CancellationToken Cancellation { get; init; }
}

/// <summary>Where a running fit is: epoch and batch (0-based), batches per epoch, and the epoch's running mean loss.</summary>
public readonly record struct BatchProgress(int Epoch, int Batch, int Batches, double Loss);
