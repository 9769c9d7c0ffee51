using System.CommandLine;
using System.Globalization;
using Zoo.Convert.Finetune;
using Zoo.Convert.Output;
using Zoo.Convert.Runtime;
using Zoo.FineTune.Callbacks;
using Zoo.FineTune.Data;
using Zoo.FineTune.Fitting;
using Zoo.FineTune.Freezing;
using Zoo.FineTune.Losses;
using Zoo.FineTune.Optimizers;
using Zoo.FineTune.Training;
using Zoo.Formats;
using Zoo.Formats.IO;
using Zoo.Formats.Ir;

namespace Zoo.Convert.Commands;

/// <summary>
/// <c>zoo-convert finetune</c>: adapts a Keras file or a zoo model to an image folder or NumPy arrays with a
/// freezing policy, trains with Keras's semantics, and writes the model and its history.
/// </summary>
internal static class FinetuneCommand
{
    public const string Name = "finetune";

    public static readonly string[] Examples =
    [
        "zoo-convert finetune --model resnet50 --weights resnet50_weights_tf_dim_ordering_tf_kernels.h5 --data flowers/ --classes 5 --policy auto --augment flip,shift --out flowers.keras --history runs/flowers",
        "zoo-convert finetune --model resnet50 --weights imagenet --data flowers/ --classes 5 --policy small --out flowers.h5",
        "zoo-convert finetune --model lenet5 --x x.npy --y y.npy --classes 10 --policy large --epochs 5 --optimizer sgd --lr 0.01 --schedule step:drop=0.5,every=2 --out lenet.h5",
        "zoo-convert finetune --model my_model.h5 --data train.npz --classes 3 --policy small --early-stopping monitor=val_loss,patience=2 --validation-split 0.2 --out tuned.weights.h5",
    ];

    private static readonly string[] OutExtensions = [".weights.h5", ".h5", ".keras"];

    public static Command Build()
    {
        var model = new Option<string>("--model", "-m") { Description = "A Keras file (.h5, .keras, .json + --weights) or a zoo name (see 'zoo list').", Required = true, HelpName = "FILE|ZOO_NAME" };
        var weights = CommonOptions.Weights();
        weights.Description += " With a zoo --model: 'imagenet' for keras.applications' published notop weights (Keras's cache, downloaded when missing unless ZOO_OFFLINE=1).";
        var data = new Option<string?>("--data") { Description = "A folder with one subfolder of images per class (JPEG, PNG, BMP, GIF, WebP), or an .npz holding x and y.", HelpName = "DIR|FILE.npz" };
        var x = new Option<string?>("--x") { Description = "Inputs as .npy, Keras layout (samples first).", HelpName = "X.npy" };
        var y = new Option<string?>("--y") { Description = "Labels as .npy: class indices or one-hot rows.", HelpName = "Y.npy" };
        var classes = new Option<int>("--classes") { Description = "Number of classes.", Required = true, HelpName = "N" };
        var policy = new Option<string>("--policy") { Description = "Freezing policy: small (train the head), medium (the last stage and the head), large (everything), auto (by dataset size).", DefaultValueFactory = _ => "auto", HelpName = "small|medium|large|auto" };
        var epochs = new Option<int>("--epochs") { Description = "Epochs.", DefaultValueFactory = _ => 10, HelpName = "E" };
        var batch = new Option<int>("--batch-size") { Description = "Samples per step.", DefaultValueFactory = _ => 32, HelpName = "B" };
        var optimizer = new Option<string>("--optimizer") { Description = "adam, sgd or rmsprop.", DefaultValueFactory = _ => "adam", HelpName = "adam|sgd|rmsprop" };
        var lr = new Option<double?>("--lr") { Description = "Initial learning rate (default: adam and rmsprop 0.001, sgd 0.01).", HelpName = "LR" };
        var schedule = new Option<string?>("--schedule") { Description = $"Learning-rate schedule: {CallbackSpecs.ScheduleNames}.", HelpName = "NAME" };
        var early = new Option<string?>("--early-stopping") { Description = "Stop when the monitored value stops improving: monitor=val_loss,patience=2,min_delta=0[,mode=auto,restore_best_weights=true].", HelpName = "SPEC" };
        var split = new Option<double>("--validation-split") { Description = "Fraction of the samples (from the end, after the image folder's seeded shuffle) that validates.", DefaultValueFactory = _ => 0, HelpName = "F" };
        var augment = new Option<string?>("--augment") { Description = "Per-epoch random augmentation: flip, shift[=0.1], rotate[=10 degrees].", HelpName = "flip,shift,rotate" };
        var imageSize = new Option<string?>("--image-size") { Description = "Image height,width: the input size of a zoo model, or of a file model whose input size is open.", HelpName = "H,W" };
        var preprocess = new Option<string?>("--preprocess") { Description = "Pixel preprocessing of an image folder: none, rescale (1/255), caffe, tf, torch (default: the zoo model's, none for a file).", HelpName = "MODE" };
        var maxPixels = new Option<long>("--max-image-pixels") { Description = "Images whose header declares more pixels are skipped before decoding.", DefaultValueFactory = _ => 40_000_000, HelpName = "N" };
        var seed = new Option<int>("--seed") { Description = "Seed of shuffling, augmentation, dropout and new weights.", DefaultValueFactory = _ => 0, HelpName = "S" };
        var output = new Option<string>("--output", "-o", "--out") { Description = "Where to write the tuned model: .h5, .keras or .weights.h5.", Required = true, HelpName = "FILE" };
        var history = new Option<string?>("--history") { Description = "Folder for history.json, history.csv and history.png (created when absent).", HelpName = "DIR" };
        var threads = CommonOptions.Threads();
        var allowRandom = CommonOptions.AllowRandomBase();
        var cmd = new Command(Name, "Fine-tune a model on an image folder or NumPy arrays and save it.")
        {
            model, weights, data, x, y, classes, policy, epochs, batch, optimizer, lr, schedule, early, split, augment, imageSize, preprocess, maxPixels, seed, output, history, threads, allowRandom,
        };
        cmd.SetAction(r => Cli.Guard(r, stdout =>
        {
            TorchPrerequisite.Require();
            int k = r.GetValue(classes);
            if (k < 2) throw new UsageException($"--classes must be at least 2 (a yes/no problem is two classes), found {k}");
            int e = r.GetValue(epochs), b = r.GetValue(batch);
            if (e < 1) throw new UsageException($"--epochs must be at least 1, found {e}");
            if (b < 1) throw new UsageException($"--batch-size must be at least 1, found {b}");
            double valSplit = r.GetValue(split);
            if (!(valSplit >= 0 && valSplit < 1)) throw new UsageException($"--validation-split must be in [0, 1), found {valSplit.ToString(CultureInfo.InvariantCulture)}");
            var freeze = ParsePolicy(r.GetValue(policy)!);
            var target = OutputFiles.Resolve(r.GetValue(output)!, "--output", [r.GetValue(model), r.GetValue(weights), r.GetValue(data), r.GetValue(x), r.GetValue(y)]);
            var outPath = target.Path;
            if (!target.IsDirect && !OutExtensions.Any(ext => outPath.EndsWith(ext, StringComparison.OrdinalIgnoreCase)))
                throw new UsageException($"--output: name the file .h5, .keras or .weights.h5 (the format follows the name), found '{Path.GetFileName(outPath)}'");
            var format = OutputFiles.ModelFormat(target, KerasFormat.H5Full)!.Value;
            var historyDir = r.GetValue(history) is { } h ? OutputFiles.Folder(h, "--history") : null;
            int s = r.GetValue(seed);
            var size = r.GetValue(imageSize) is { } sizeText ? OptionLanguage.ImageSize(sizeText) : ((int, int)?)null;
            // A zoo model is built for the images it will see: with arrays, their height and width.
            var zooSize = size ?? (r.GetValue(x) is { } xPath && File.Exists(xPath) && !File.Exists(r.GetValue(model)) && Npy.ReadShape(Path.GetFullPath(xPath)) is { Length: 4 } xs
                ? ((int)xs[1], (int)xs[2]) : null);
            var augmentation = r.GetValue(augment) is { } augText ? OptionLanguage.Augment(augText, s) : null;
            var opt = MakeOptimizer(r.GetValue(optimizer)!, r.GetValue(lr));
            var callbacks = new List<Callback>();
            if (r.GetValue(schedule) is { } sched && CallbackSpecs.Schedule(sched, opt.LearningRate, e) is { } scheduler) callbacks.Add(scheduler);
            var stopper = r.GetValue(early) is { } earlyText ? CallbackSpecs.EarlyStopping(earlyText) : null;
            if (stopper is not null) callbacks.Add(stopper);

            var source = ModelSource.Resolve(r.GetValue(model)!, r.GetValue(weights), k, zooSize, s, r.InvocationConfiguration.Error.WriteLine);
            if (source.Graph.Metadata.RandomWeights && freeze != FreezePolicy.Large && !r.GetValue(allowRandom))
                throw new UsageException($"--policy {r.GetValue(policy)}: '{r.GetValue(model)}' has no imported weights, so freezing its base would train nothing useful; give --weights (e.g. --weights imagenet), use --policy large to train from scratch, or pass --allow-random-base");
            var pre = r.GetValue(preprocess) is { } p ? ParsePreprocess(p) : source.Preprocess;
            var inputs = TrainingInputs.Load(r.GetValue(data), r.GetValue(x), r.GetValue(y), k, source, size, pre, r.GetValue(maxPixels), s);
            var reporter = FitReporter.For(stdout, e);
            reporter.Line($"model: {source.Description}");
            reporter.Line($"data: {inputs.Description}");
            foreach (var skipped in inputs.Skipped) reporter.Warning($"skipped {skipped}");
            if (augmentation is { Any: true } && inputs.Data.XShape.Length != 4)
                throw new UsageException($"--augment transforms images [height, width, channels]; these samples are [{string.Join(",", inputs.Data.XShape.Skip(1))}]");

            long trainCount = valSplit > 0 ? (long)Math.Floor(inputs.Data.Count * (1 - valSplit)) : inputs.Data.Count;
            bool newHead = ModelSource.OutputWidth(source.Graph) != k;
            var (graph, report) = Freezer.Prepare(source.Graph, new FineTuneOptions
            {
                Policy = freeze, DatasetSize = trainCount, NewHeadClasses = newHead ? k : null, Seed = s, AllowRandomBase = r.GetValue(allowRandom),
            });
            foreach (var reason in report.Reasoning) reporter.Line(reason);

            // Keras finds a monitor that is never logged only after the first epoch; the names are known now.
            if (stopper?.CheckMonitor(LoggedNames(valSplit > 0)) is { } notLogged)
            {
                var guess = DidYouMean.Question(stopper.MonitorName, LoggedNames(validation: true));
                reporter.Warning(guess.Length == 0 ? notLogged : $"{notLogged} {guess}");
            }
            using var trainable = TrainableModel.FromGraph(graph, s);
            var fitOptions = new FitOptions
            {
                Epochs = e, BatchSize = b, ValidationSplit = valSplit, Optimizer = opt,
                Loss = Loss.CategoricalCrossentropy,
                Augmentation = augmentation is { Any: true } ? new ImageAugmenter(augmentation) : null,
                OnBatch = reporter.OnBatch,
                OnMessage = reporter.Line,
            };
            var all = callbacks.Prepend(reporter).ToArray();
            var result = TorchThreads.With(r.GetValue(threads), () => reporter.Run(() => trainable.Fit(inputs.Data, fitOptions, all)));
            trainable.Save(outPath, new SaveOptions { Format = format });
            var files = new List<(string, string)> { ("model", outPath) };
            if (historyDir is not null) files.AddRange(WriteHistory(result, historyDir));
            var monitor = stopper?.MonitorName is { } watched && result.Values.ContainsKey(watched) ? watched
                : result.Values.ContainsKey("val_loss") ? "val_loss" : "loss";
            reporter.Summary(new RunSummary(result, monitor, files, stopper));
            return ExitCodes.Success;
        }));
        return cmd;
    }

    /// <summary>What each epoch of a finetune run logs: Keras's names for one output with accuracy, and the learning rate.</summary>
    internal static IEnumerable<string> LoggedNames(bool validation)
    {
        string[] train = ["loss", "accuracy"];
        return validation ? [.. train, .. train.Select(n => "val_" + n), "learning_rate"] : [.. train, "learning_rate"];
    }

    private static IEnumerable<(string, string)> WriteHistory(History history, string dir)
    {
        var full = dir;
        Directory.CreateDirectory(full);
        var json = Path.Combine(full, "history.json");
        var csv = Path.Combine(full, "history.csv");
        var png = Path.Combine(full, "history.png");
        AtomicFile.WriteText(json, history.ToJson());
        AtomicFile.WriteText(csv, history.ToCsv());
        HistoryPlot.SavePng(history, png);
        return [("history (JSON)", json), ("history (CSV)", csv), ("history (plot)", png)];
    }

    private static FreezePolicy ParsePolicy(string text) => text.ToLowerInvariant() switch
    {
        "small" => FreezePolicy.Small,
        "medium" => FreezePolicy.Medium,
        "large" => FreezePolicy.Large,
        "auto" => FreezePolicy.Auto,
        _ => throw new UsageException($"--policy: expected small, medium, large or auto, found '{text}'"),
    };

    private static ImagePreprocessing ParsePreprocess(string text)
    {
        try { return ImagePreprocess.Parse(text); }
        catch (ArgumentException e) { throw new UsageException($"--preprocess: {e.Message.Split(" (Parameter", 2)[0]}"); }
    }

    private static Optimizer MakeOptimizer(string name, double? lr)
    {
        if (lr is { } rate && !(rate > 0 && double.IsFinite(rate))) throw new UsageException($"--lr must be a positive number, found {rate.ToString(CultureInfo.InvariantCulture)}");
        return name.ToLowerInvariant() switch
        {
            "adam" => new Adam(lr ?? 0.001),
            "sgd" => new Sgd(lr ?? 0.01),
            "rmsprop" => new RmsProp(lr ?? 0.001),
            _ => throw new UsageException($"--optimizer: expected adam, sgd or rmsprop, found '{name}'"),
        };
    }
}
