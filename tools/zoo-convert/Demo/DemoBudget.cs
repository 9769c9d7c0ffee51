using Zoo.FineTune.Data;

namespace Zoo.Convert.Demo;

/// <summary>
/// How much work the end-to-end demo does: dataset sizes, epochs and batch size. <see cref="Full"/> is sized so
/// LeNet-5 clears 95% validation accuracy on the plain digits with margin; it took 18–35 s on the two-core build
/// machine, depending on what else ran there. <see cref="Quick"/> runs every step on a fraction of that, for CI.
/// </summary>
internal sealed record DemoBudget
{
    /// <summary>Plain digits generated for training; the last <see cref="ValidationSplit"/> of them validate.</summary>
    public int PlainCount { get; init; }

    /// <summary>Keras's <c>validation_split</c> of the plain and shifted training sets.</summary>
    public double ValidationSplit { get; init; } = 0.2;

    /// <summary>Most epochs of the first training (early stopping may end it sooner).</summary>
    public int Epochs { get; init; }

    /// <summary>Samples per step.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Shifted-domain digits for fine-tuning (few, so the Small policy is the right choice).</summary>
    public int ShiftedCount { get; init; }

    /// <summary>Most epochs of the fine-tuning.</summary>
    public int FineTuneEpochs { get; init; }

    /// <summary>Held-out shifted digits that accuracy before and after fine-tuning is measured on.</summary>
    public int ShiftedTestCount { get; init; }

    /// <summary>Samples the reload and ONNX parity checks predict.</summary>
    public int ParityCount { get; init; } = 256;

    /// <summary>Whether the accuracy targets are enforced (only the full budget trains long enough to promise them).</summary>
    public bool EnforceAccuracyTargets { get; init; }

    /// <summary>The shifted domain fine-tuning adapts to.</summary>
    public DigitDomain Domain { get; init; } = DigitDomain.Inverted;

    /// <summary>
    /// What the run is announced to take on a two-core machine, from runs measured there (docs/cli.md lists them):
    /// the full budget 18–35 s, <c>--quick</c> 3 s idle and up to 10 s while other builds shared the cores.
    /// </summary>
    public string Expected { get; init; } = "";

    /// <summary>The default run.</summary>
    public static DemoBudget Full { get; } = new()
    {
        PlainCount = 6000, Epochs = 12, ShiftedCount = 800, FineTuneEpochs = 20, ShiftedTestCount = 1000, EnforceAccuracyTargets = true, Expected = "20 to 35 s",
    };

    /// <summary><c>--quick</c>: every step on a fraction of the data.</summary>
    public static DemoBudget Quick { get; } = new()
    {
        PlainCount = 1200, Epochs = 3, ShiftedCount = 300, FineTuneEpochs = 8, ShiftedTestCount = 300, ParityCount = 64, Expected = "3 to 10 s",
    };

    /// <summary>The plain accuracy the full run must reach on its validation digits.</summary>
    public const double PlainAccuracyTarget = 0.95;

    /// <summary>The shifted-domain accuracy the full run's fine-tuned model must reach on its held-out digits.</summary>
    public const double ShiftedAccuracyTarget = 0.90;
}
