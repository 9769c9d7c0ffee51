namespace Zoo.FineTune.Freezing;

/// <summary>The transfer-learning rules by dataset size.</summary>
public enum FreezePolicy
{
    /// <summary>Small dataset: freeze the whole convolutional base, train only the classifier head.</summary>
    Small,
    /// <summary>Medium dataset: freeze the early part of the base (up to a stage boundary), train the rest and the head.</summary>
    Medium,
    /// <summary>Large dataset: train the whole model, starting from the imported weights.</summary>
    Large,
    /// <summary>Choose from the dataset's size (and similarity to the original task, when given), explaining why.</summary>
    Auto,
}

/// <summary>Where <see cref="FreezePolicy.Medium"/> cuts the base: everything before the cut is frozen.</summary>
public abstract record FreezeCut
{
    private FreezeCut() { }

    /// <summary>
    /// The architecture's own rule (the default): the last stage of a ResNet or VGG trains, the last two inception
    /// blocks of an InceptionV3 (Keras's fine-tuning guide: the first 249 layers stay frozen), else the last stage
    /// (see <see cref="ModelParts.Units"/>).
    /// </summary>
    public static FreezeCut Recommended { get; } = new ByArchitecture();

    /// <summary>The last <paramref name="count"/> units of the base train: stages, or an InceptionV3's inception blocks (see <see cref="ModelParts.Units"/>).</summary>
    public static FreezeCut LastStages(int count = 1) => count >= 1 ? new Stages(count) : throw new ArgumentOutOfRangeException(nameof(count), count, "at least one stage must train");

    /// <summary>About the first <paramref name="fraction"/> of the base's layers freeze; the cut moves to the nearest stage boundary.</summary>
    public static FreezeCut Fraction(double fraction) => fraction is > 0 and < 1 ? new FractionCut(fraction) : throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "the frozen fraction must be in (0, 1)");

    /// <summary>Layers before <paramref name="layerName"/> (in Keras's layer order) freeze; it and the layers after it train.</summary>
    public static FreezeCut AtLayer(string layerName) => new Layer(layerName);

    /// <summary>Train the last <see cref="Count"/> units (stages or inception blocks).</summary>
    public sealed record Stages(int Count) : FreezeCut;

    /// <summary>Train the units the architecture's rule names (<see cref="Recommended"/>).</summary>
    public sealed record ByArchitecture : FreezeCut;

    /// <summary>Freeze about <see cref="Value"/> of the base's layers.</summary>
    public sealed record FractionCut(double Value) : FreezeCut;

    /// <summary>Train from layer <see cref="Name"/> on.</summary>
    public sealed record Layer(string Name) : FreezeCut;
}

/// <summary>Dataset-size thresholds of <see cref="FreezePolicy.Auto"/>.</summary>
public sealed record AutoThresholds
{
    /// <summary>Fewer training samples than this is a small dataset (default 1,000).</summary>
    public long SmallBelow { get; init; } = 1_000;

    /// <summary>At least this many is a large dataset (default 10,000).</summary>
    public long LargeFrom { get; init; } = 10_000;

    /// <summary>A similarity at least this high (in [0, 1]) counts as close to the original task (default 0.5).</summary>
    public double SimilarFrom { get; init; } = 0.5;
}

/// <summary>How to prepare a pretrained model for fine-tuning.</summary>
public sealed record FineTuneOptions
{
    /// <summary>The freezing rule (default <see cref="FreezePolicy.Auto"/>).</summary>
    public FreezePolicy Policy { get; init; } = FreezePolicy.Auto;

    /// <summary>The cut for <see cref="FreezePolicy.Medium"/> (default: the architecture's rule, <see cref="FreezeCut.Recommended"/>).</summary>
    public FreezeCut Cut { get; init; } = FreezeCut.Recommended;

    /// <summary>Number of training samples (needed by <see cref="FreezePolicy.Auto"/>).</summary>
    public long? DatasetSize { get; init; }

    /// <summary>Similarity of the new data to the original task in [0, 1], when known.</summary>
    public double? Similarity { get; init; }

    /// <summary>Thresholds of <see cref="FreezePolicy.Auto"/>.</summary>
    public AutoThresholds Thresholds { get; init; } = new();

    /// <summary>A new head for this many classes, or null to keep the model's own head.</summary>
    public int? NewHeadClasses { get; init; }

    /// <summary>Dropout rate of a new head (the Keras guide's 0.2).</summary>
    public double HeadDropout { get; init; } = 0.2;

    /// <summary>Activation of a new head's Dense layer (softmax; sigmoid for one binary output).</summary>
    public string HeadActivation { get; init; } = "softmax";

    /// <summary>Seed of a new head's weights.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Allows freezing a base whose weights were only initialized (<see cref="Zoo.Formats.Ir.ModelMetadata.RandomWeights"/>):
    /// without it, Small, Medium and Auto refuse such a base, since frozen random features train nothing useful.
    /// </summary>
    public bool AllowRandomBase { get; init; }
}
