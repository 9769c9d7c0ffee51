using System.CommandLine;
using System.Globalization;
using Zoo.Convert.Finetune;
using Zoo.Convert.Runtime;
using Zoo.Convert.Tune;
using Zoo.FineTune.Fitting;
using Zoo.FineTune.Tuning;
using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Models.ModelZoo;
using Zoo.Models.ModelZoo.Applications;

namespace Zoo.Convert.Commands;

/// <summary>
/// <c>zoo-convert tune</c>: a hyperparameter search over fine-tuning runs (random search or Hyperband, Keras Tuner's
/// semantics), resumable from its trial log; saves the best trial's model and writes the trial table.
/// </summary>
internal static class TuneCommand
{
    public const string Name = "tune";

    /// <summary>Exit code of an interrupted search (128 + SIGINT, the shell's convention); running it again resumes.</summary>
    public const int Interrupted = 130;

    public static readonly string[] Examples =
    [
        "zoo-convert tune --model lenet5 --x x.npy --y y.npy --classes 10 --search random --trials 8 --max-epochs 6 --output best.h5",
        "zoo-convert tune --model base.h5 --x x.npy --y y.npy --classes 5 --search hyperband --max-epochs 27 --factor 3 --space \"lr=1e-4..1e-2:log,batch-size=16|32,dropout=0..0.5,policy=small|medium\" --output best.h5 --report runs/tune1",
        "zoo-convert tune --model resnet50 --weights resnet50_notop.h5 --data flowers/ --image-size 96,96 --classes 3 --monitor val_loss --time-budget 30 --output best.keras",
    ];

    public static Command Build()
    {
        var model = new Option<string>("--model", "-m") { Description = "The model to fine-tune: a Keras file, or a zoo model name (see 'zoo list'), built for the data's input shape.", Required = true, HelpName = "FILE|ZOO_NAME" };
        var weights = CommonOptions.Weights();
        var data = new Option<string?>("--data") { Description = "An image-folder dataset (one sub-folder per class, decoded as in 'finetune') or an .npz holding x and y.", HelpName = "DIR|F.npz" };
        var imageSize = new Option<string?>("--image-size") { Description = "Image height,width for --data DIR: the input size of a zoo model, or of a file model whose input size is open.", HelpName = "H,W" };
        var x = new Option<string?>("--x") { Description = "Inputs as .npy, Keras layout, batch first.", HelpName = "X.npy" };
        var y = new Option<string?>("--y") { Description = "Labels as .npy: class indices (one-hot encoded here) or one-hot rows.", HelpName = "Y.npy" };
        var classes = new Option<int>("--classes") { Description = "Classes of the new head.", Required = true, HelpName = "N" };
        var search = new Option<string>("--search") { Description = "Strategy: random or hyperband.", DefaultValueFactory = _ => "random", HelpName = "random|hyperband" };
        var trials = new Option<int?>("--trials") { Description = "Most trials (random search: default 10; Hyperband: no cap unless given).", HelpName = "N" };
        var maxEpochs = new Option<int>("--max-epochs") { Description = "Epochs per random-search trial; Hyperband's max_epochs.", DefaultValueFactory = _ => 10, HelpName = "E" };
        var factor = new Option<int>("--factor") { Description = "Hyperband's reduction factor.", DefaultValueFactory = _ => 3, HelpName = "F" };
        var iterations = new Option<int>("--hyperband-iterations") { Description = "How many times Hyperband runs all its brackets.", DefaultValueFactory = _ => 1, HelpName = "N" };
        var space = new Option<string>("--space") { Description = "Search space: name=lo..hi[:log] or name=a|b|c, comma-separated, optional @default; names lr, batch-size, optimizer, dropout, schedule, policy, cut.", DefaultValueFactory = _ => SearchSpace.DefaultText, HelpName = "SPACE" };
        var monitor = new Option<string>("--monitor") { Description = "The score: val_accuracy, val_loss, accuracy or loss (direction inferred; or NAME:min|max).", DefaultValueFactory = _ => "val_accuracy", HelpName = "METRIC" };
        var patience = new Option<int>("--patience") { Description = "Early-stopping patience of each trial, in epochs.", DefaultValueFactory = _ => 3, HelpName = "N" };
        var split = new Option<double>("--validation-split") { Description = "Fraction of the data, from its end, that validates.", DefaultValueFactory = _ => 0.2, HelpName = "F" };
        var budget = new Option<double?>("--time-budget") { Description = "Minutes after which no new trial starts (the running one completes).", HelpName = "MIN" };
        var seed = new Option<int>("--seed") { Description = "Seed of the search and of every trial's training.", DefaultValueFactory = _ => 1, HelpName = "S" };
        var noBaseline = new Option<bool>("--no-baseline") { Description = "Do not train the space's defaults first for comparison." };
        var output = new Option<string>("--output", "-o", "--out") { Description = "Where to save the best trial's model (format from the name: .h5, .keras).", Required = true, HelpName = "BEST.h5" };
        var allowRandom = CommonOptions.AllowRandomBase();
        var report = new Option<string?>("--report") { Description = "Folder of the trial log, checkpoints and reports (default: OUT's name + '.tune' beside it; ./zoo-tune when OUT is a device or pipe). Running the same command again resumes from it.", HelpName = "DIR" };
        var threads = CommonOptions.Threads();
        var cmd = new Command(Name, "Search fine-tuning hyperparameters (random search or Hyperband, Keras Tuner's semantics); resumable; saves the best model.")
        {
            model, weights, data, imageSize, x, y, classes, search, trials, maxEpochs, factor, iterations, space, monitor, patience, split, budget, seed, noBaseline, output, report, allowRandom, threads,
        };
        cmd.SetAction(r => Cli.Guard(r, stdout =>
        {
            TorchPrerequisite.Require();
            var options = new TuneOptions
            {
                Strategy = r.GetValue(search) switch
                {
                    "random" => SearchStrategy.Random,
                    "hyperband" => SearchStrategy.Hyperband,
                    var s => throw new UsageException($"--search: expected random or hyperband, found '{s}'"),
                },
                Space = ParseSpace(r.GetValue(space)!),
                MaxTrials = r.GetValue(trials) ?? (r.GetValue(search) == "random" ? 10 : null),
                MaxEpochs = Positive(r.GetValue(maxEpochs), "--max-epochs"),
                Factor = r.GetValue(factor) >= 2 ? r.GetValue(factor) : throw new UsageException($"--factor: expected an integer ≥ 2, found {r.GetValue(factor)}"),
                HyperbandIterations = Positive(r.GetValue(iterations), "--hyperband-iterations"),
                Monitor = r.GetValue(monitor)!,
                Patience = r.GetValue(patience) >= 0 ? r.GetValue(patience) : throw new UsageException("--patience: expected 0 or more"),
                ValidationSplit = r.GetValue(split) is >= 0 and < 1 ? r.GetValue(split) : throw new UsageException($"--validation-split: expected a fraction in [0, 1), found {r.GetValue(split)}"),
                Classes = Positive(r.GetValue(classes), "--classes"),
                Seed = r.GetValue(seed),
                TimeBudget = r.GetValue(budget) is { } min ? (min > 0 ? TimeSpan.FromMinutes(min) : throw new UsageException($"--time-budget: expected minutes > 0, found {min}")) : null,
                Baseline = !r.GetValue(noBaseline),
                AllowRandomBase = r.GetValue(allowRandom),
            };
            if (r.GetValue(trials) is < 1) throw new UsageException($"--trials: expected at least 1, found {r.GetValue(trials)}");
            try { Objective.Parse(options.Monitor); }
            catch (SearchSpaceException e) { throw new UsageException(e.Message); }
            var target = OutputFiles.Resolve(r.GetValue(output)!, "--output", [r.GetValue(model), r.GetValue(weights), r.GetValue(data), r.GetValue(x), r.GetValue(y)]);
            var format = OutputFiles.ModelFormat(target, KerasFormat.H5Full)
                ?? throw new UsageException($"--output: name the file .h5 or .keras (the format follows the name), found '{Path.GetFileName(target.Path)}'");
            var (dataset, graph) = LoadDataAndModel(r.GetValue(model)!, r.GetValue(weights), r.GetValue(data), r.GetValue(imageSize), r.GetValue(x), r.GetValue(y), options, r.InvocationConfiguration.Error);
            var outPath = target.Path;
            // A device or a pipe has no folder of its own to keep the search in: the report then goes to ./zoo-tune.
            var folder = OutputFiles.Folder(r.GetValue(report) ?? (target.IsDirect ? "zoo-tune" : Path.Combine(Path.GetDirectoryName(outPath)!, Path.GetFileName(outPath) + ".tune")), "--report");
            FineTuneSearch tuneSearch;
            try { tuneSearch = new FineTuneSearch(graph, dataset, folder, options); }
            catch (SearchSpaceException e) { throw new UsageException(e.Message); }
            return TorchThreads.With(r.GetValue(threads), () => TuneRun.Execute(tuneSearch, outPath, format, OutputFiles.Status(stdout, r.InvocationConfiguration.Error, [target]), r.InvocationConfiguration.Error));
        }));
        return cmd;
    }

    private static SearchSpace ParseSpace(string text)
    {
        try { return SearchSpace.Parse(text); }
        catch (SearchSpaceException e) { throw new UsageException($"--space: {e.Message}"); }
    }

    private static int Positive(int v, string option) => v >= 1 ? v : throw new UsageException($"{option}: expected at least 1, found {v}");

    /// <summary>Images whose header declares more pixels are skipped before decoding (finetune's default).</summary>
    private const long MaxImagePixels = 40_000_000;

    private static (ArrayDataset Data, ModelGraph Model) LoadDataAndModel(string model, string? weights, string? data, string? imageSize,
        string? x, string? y, TuneOptions options, TextWriter stderr)
    {
        // A misspelled zoo name is a usage error, reported before any data is read.
        if (!File.Exists(model) && !LooksLikePath(model)) ZooCommand.Entry(model, "--model", also: "neither an existing file nor ");
        if (data is not null && Directory.Exists(data))
        {
            // An image folder is decoded at the model's input size, so the model is resolved first (as 'finetune' does).
            var size = imageSize is null ? ((int, int)?)null : OptionLanguage.ImageSize(imageSize);
            var source = ModelSource.Resolve(model, weights, options.Classes, size, options.Seed);
            var inputs = TrainingInputs.Load(data, x, y, options.Classes, source, size, source.Preprocess, MaxImagePixels, options.Seed);
            foreach (var skipped in inputs.Skipped) stderr.WriteLine($"zoo-convert: warning: skipped {skipped.File}: {skipped.Reason}");
            return (inputs.Data, source.Graph);
        }
        if (imageSize is not null) throw new UsageException("--image-size applies to an image folder (--data DIR); arrays keep their shape");
        ArrayDataset arrays;
        if (data is not null)
        {
            if (x is not null || y is not null) throw new UsageException("give --data, or --x with --y, not both");
            arrays = NumpyDataset.LoadNpz(Path.GetFullPath(CommonOptions.Existing(data)), classes: options.Classes);
        }
        else
        {
            if (x is null || y is null) throw new UsageException("expected the data as --x X.npy --y Y.npy, or --data DIR|F.npz");
            arrays = NumpyDataset.Load(CommonOptions.Existing(x), CommonOptions.Existing(y), options.Classes);
        }
        return (arrays, LoadModel(model, weights, arrays, options));
    }

    private static ModelGraph LoadModel(string model, string? weights, ArrayDataset data, TuneOptions options)
    {
        if (File.Exists(model)) return weights is null ? KerasFile.Load(model) : KerasFile.Load(model, CommonOptions.Existing(weights));
        if (LooksLikePath(model))
            throw new FileNotFoundException($"'{model}': no such file (and not a zoo model name)");
        var entry = ZooCommand.Entry(model, "--model", also: "neither an existing file nor ");
        if (data.XShape.Length != 4)
            throw new ModelFormatException($"a zoo model takes images [n, height, width, channels]; x has shape [{string.Join(",", data.XShape)}]");
        return entry.Build(new ApplicationOptions
        {
            Classes = options.Classes, InputShape = data.XShape[1..].Select(d => (int)d).ToArray(), Weights = weights is null ? null : CommonOptions.Existing(weights), Seed = options.Seed,
        });
    }

    private static bool LooksLikePath(string model) => model.Contains('/') || model.Contains('\\') || model.Contains('.');

    internal static string Format(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
}
