using System.Text.Json;
using System.Text.Json.Serialization;

namespace Zoo.Convert.Demo;

/// <summary>One timed step of the demo.</summary>
internal sealed record DemoStep(string Name, double Seconds);

/// <summary>A file the demo wrote: what it holds, its size, and how reading it back went.</summary>
internal sealed record DemoFile(string Name, string Holds, long Bytes, string Reload);

/// <summary>One pass/fail check: what was measured against which target.</summary>
internal sealed record DemoCheck(string Name, string Measured, string Target, bool Passed);

/// <summary>Accuracies (fractions in [0, 1]) the demo measured.</summary>
internal sealed record DemoAccuracy
{
    /// <summary>The trained model on the plain validation digits (after early stopping restored its best epoch).</summary>
    public double PlainValidation { get; init; }

    /// <summary>The trained model on held-out shifted digits, before fine-tuning.</summary>
    public double ShiftedBefore { get; init; }

    /// <summary>The fine-tuned model on the same held-out shifted digits.</summary>
    public double ShiftedAfter { get; init; }

    /// <summary>The fine-tuned model back on the plain validation digits (what adapting cost).</summary>
    public double PlainAfterFineTune { get; init; }
}

/// <summary>Prediction differences between runtimes and reloaded files (max absolute error over the checked samples).</summary>
internal sealed record DemoParity
{
    /// <summary>The reloaded HDF5 full model against the model that was trained.</summary>
    public double ReloadMaxAbsError { get; init; }

    /// <summary>Whether those predictions were equal bit for bit.</summary>
    public bool ReloadBitwise { get; init; }

    /// <summary>The reloaded <c>.keras</c> archive of the fine-tuned model against the fine-tuned model.</summary>
    public double KerasArchiveMaxAbsError { get; init; }

    /// <summary>Whether those predictions were equal bit for bit.</summary>
    public bool KerasArchiveBitwise { get; init; }

    /// <summary>ONNX Runtime on the exported <c>.onnx</c> against the TorchSharp runtime.</summary>
    public double OnnxMaxAbsError { get; init; }

    /// <summary>The ONNX Runtime provider line.</summary>
    public string OnnxProvider { get; init; } = "";

    /// <summary>Samples compared.</summary>
    public int Samples { get; init; }
}

/// <summary>Everything the demo measured; printed as a table or, with <c>--json</c>, as this object.</summary>
internal sealed class DemoSummary
{
    /// <summary>The <c>schema</c> field of <c>demo --json</c> and summary.json, as in every other JSON document zoo-convert prints.</summary>
    public const string SchemaName = "zoo-convert/demo/1";

    /// <summary>Names the document (<see cref="SchemaName"/>); first in the JSON.</summary>
    [JsonPropertyOrder(-1)]
    public string Schema { get; init; } = SchemaName;

    /// <summary>The seed of data, weights and shuffling.</summary>
    public int Seed { get; init; }

    /// <summary>Whether this was the reduced <c>--quick</c> run.</summary>
    public bool Quick { get; init; }

    /// <summary>The folder the files are in.</summary>
    public string OutDir { get; init; } = "";

    /// <summary>The shifted domain ("inverted" or "rotated90").</summary>
    public string Domain { get; init; } = "";

    /// <summary>Epochs the first training ran (early stopping may end it before the budget).</summary>
    public int EpochsRun { get; set; }

    /// <summary>The epoch whose weights early stopping kept (1-based).</summary>
    public int BestEpoch { get; set; }

    /// <summary>Epochs the fine-tuning ran.</summary>
    public int FineTuneEpochsRun { get; set; }

    /// <summary>Layers that trained during fine-tuning (the Small policy's head).</summary>
    public List<string> FineTunedLayers { get; set; } = new();

    /// <summary>Accuracies.</summary>
    public DemoAccuracy Accuracy { get; set; } = new();

    /// <summary>Parity numbers.</summary>
    public DemoParity Parity { get; set; } = new();

    /// <summary>Step timings, in order.</summary>
    public List<DemoStep> Steps { get; } = new();

    /// <summary>Files written, in order.</summary>
    public List<DemoFile> Files { get; } = new();

    /// <summary>The checks that decide the exit code.</summary>
    public List<DemoCheck> Checks { get; } = new();

    /// <summary>The lossless format tour's rows (empty when it did not run).</summary>
    public List<FormatTour.Row> FormatTour { get; } = new();

    /// <summary>Wall time of the whole run in seconds.</summary>
    public double TotalSeconds { get; set; }

    /// <summary>True when every check passed.</summary>
    public bool Passed => Checks.All(c => c.Passed);

    /// <summary>Adds a check and returns whether it passed.</summary>
    public bool Check(string name, string measured, string target, bool passed)
    {
        Checks.Add(new DemoCheck(name, measured, target, passed));
        return passed;
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        // snake_case, as every other zoo-convert JSON document (and Keras's own files) spells its fields.
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // The lists are get-only; reading a summary back fills them.
        PreferredObjectCreationHandling = JsonObjectCreationHandling.Populate,
    };

    /// <summary>The summary as indented JSON (snake_case names, <c>schema</c> first, <c>passed</c> included).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a summary written by <see cref="ToJson"/>.</summary>
    public static DemoSummary FromJson(string json) => JsonSerializer.Deserialize<DemoSummary>(json, Json) ?? throw new JsonException("the summary is JSON null");
}
