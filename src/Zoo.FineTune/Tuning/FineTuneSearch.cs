using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Zoo.FineTune.Fitting;
using Zoo.Formats;
using Zoo.Formats.Ir;

namespace Zoo.FineTune.Tuning;

/// <summary>
/// A hyperparameter search over fine-tuning runs of one model on one dataset, kept in a folder (trial log,
/// checkpoints, reports). Running it again over the same folder resumes it: trials in the log are not trained again.
/// <code>
/// var data = SyntheticDigits.Generate(600, seed: 1);
/// var search = new FineTuneSearch(LeNet5.Build(new() { Classes = 10, InputShape = [28, 28, 1] }), data, "tune-out",
///     new TuneOptions { Strategy = SearchStrategy.Hyperband, MaxEpochs = 9, Classes = 10, Space = SearchSpace.Parse("lr=1e-4..1e-2:log,policy=medium|large") });
/// var result = search.Run();
/// search.SaveBest(result, "best.h5");
/// </code>
/// </summary>
public sealed class FineTuneSearch
{
    /// <summary>Prepares a search of <paramref name="model"/> on <paramref name="data"/> kept in <paramref name="directory"/>.</summary>
    /// <exception cref="SearchSpaceException">
    /// The monitor's direction cannot be inferred, or the space would freeze a base whose weights were only
    /// initialized (unless <see cref="TuneOptions.AllowRandomBase"/>).
    /// </exception>
    public FineTuneSearch(ModelGraph model, ArrayDataset data, string directory, TuneOptions options)
    {
        Options = options;
        var policies = options.Space.Parameters.FirstOrDefault(p => p.Name == KnownParameters.Policy) is ChoiceParameter choice
            ? choice.Values : [options.Space.Parameters.FirstOrDefault(p => p.Name == KnownParameters.Policy)?.Default ?? "auto"];
        if (model.Metadata.RandomWeights && !options.AllowRandomBase && policies.Any(p => !p.Equals("large", StringComparison.OrdinalIgnoreCase)))
            throw new SearchSpaceException(
                $"model '{model.Name}' has freshly initialized weights, no imported ones, and the search would freeze them ({string.Join("|", policies)}); load pre-trained weights, search only policy=large (training from scratch), or allow it (AllowRandomBase, --allow-random-base)");
        Objective = Objective.Parse(options.Monitor);
        var (train, validation) = options.ValidationSplit > 0 ? data.SplitForValidation(options.ValidationSplit) : (data, (ArrayDataset?)null);
        Runner = new FineTuneTrialRunner(model, train, validation, options.Classes, Objective, options.Seed, options.Patience, options.MaxEpochs)
        {
            AllowRandomBase = options.AllowRandomBase,
        };
        Description = Describe(model, data, options, Objective);
        Directory = Path.GetFullPath(directory);
        _ = OracleFor(); // checks the strategy's arguments now rather than at Run
    }

    /// <summary>The options.</summary>
    public TuneOptions Options { get; }

    /// <summary>The parsed objective.</summary>
    public Objective Objective { get; }

    /// <summary>The trainer of each trial.</summary>
    public FineTuneTrialRunner Runner { get; }

    /// <summary>The search as the log's first line records it (a resumed run must match it).</summary>
    public IReadOnlyDictionary<string, string> Description { get; }

    /// <summary>The search's folder.</summary>
    public string Directory { get; }

    /// <summary>Runs or resumes the search, then writes <c>trials.json</c>, <c>trials.csv</c> and <c>scores.png</c> into <paramref name="reportFolder"/> (default: the search's folder).</summary>
    public TuningResult Run(ITuningObserver? observer = null, CancellationToken cancel = default, string? reportFolder = null)
    {
        var tuner = new Tuner(OracleFor(), Runner, Directory, Description) { RunBaseline = Options.Baseline, TimeBudget = Options.TimeBudget, Observer = observer };
        var result = tuner.Search(cancel);
        TuningReport.Write(result, Description, reportFolder ?? Directory);
        return result;
    }

    /// <summary>Saves the best trial's model to <paramref name="path"/>.</summary>
    /// <exception cref="InvalidOperationException">No trial completed.</exception>
    public void SaveBest(TuningResult result, string path, SaveOptions? options = null)
        => TuningReport.SaveBest(Directory, result.Best ?? throw new InvalidOperationException("no trial completed, so there is no best model to save"), path, options);

    // A fresh oracle per run: replaying the log must start from the seed, not from a previous run's state.
    private Oracle OracleFor() => Options.Strategy == SearchStrategy.Hyperband
        ? new HyperbandOracle(Options.Space, Objective, Options.Seed, Options.MaxEpochs, Options.Factor, Options.HyperbandIterations, Options.MaxTrials)
        : new RandomSearchOracle(Options.Space, Objective, Options.Seed, Options.MaxTrials ?? 10, Options.MaxEpochs);

    private static Dictionary<string, string> Describe(ModelGraph model, ArrayDataset data, TuneOptions o, Objective objective)
    {
        static string I(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["strategy"] = o.Strategy.ToString().ToLowerInvariant(),
            ["space"] = o.Space.ToString(),
            ["objective"] = objective.ToString(),
            ["seed"] = I(o.Seed),
            ["max_epochs"] = I(o.MaxEpochs),
            ["max_trials"] = o.MaxTrials?.ToString(CultureInfo.InvariantCulture) ?? "none",
            ["patience"] = I(o.Patience),
            ["validation_split"] = I(o.ValidationSplit),
            ["classes"] = I(o.Classes),
            ["baseline"] = o.Baseline ? "yes" : "no",
            ["data"] = Hash(data.X, data.Y, data.XShape.Concat(data.YShape).ToArray()),
            ["model"] = model.Name + ":" + HashModel(model),
        };
        if (o.Strategy == SearchStrategy.Hyperband) { d["factor"] = I(o.Factor); d["hyperband_iterations"] = I(o.HyperbandIterations); }
        return d;
    }

    private static string Hash(float[] x, float[] y, long[] shapes)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData(MemoryMarshal.AsBytes(x.AsSpan()));
        h.AppendData(MemoryMarshal.AsBytes(y.AsSpan()));
        h.AppendData(MemoryMarshal.AsBytes(shapes.AsSpan()));
        return Convert.ToHexString(h.GetHashAndReset())[..16].ToLowerInvariant();
    }

    private static string HashModel(ModelGraph model)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var w in model.AllWeights()) { h.AppendData(System.Text.Encoding.UTF8.GetBytes(w.Name)); h.AppendData(w.Data); }
        foreach (var l in model.Layers) h.AppendData(System.Text.Encoding.UTF8.GetBytes(l.ClassName + l.Name + l.Config.ToJsonString()));
        return Convert.ToHexString(h.GetHashAndReset())[..16].ToLowerInvariant();
    }
}
