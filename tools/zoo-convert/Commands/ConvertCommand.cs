using System.CommandLine;
using Zoo.Convert.Output;
using Zoo.Formats;
using Zoo.Formats.Ir;

namespace Zoo.Convert.Commands;

/// <summary><c>zoo-convert convert IN OUT</c>: rewrite a Keras model in another format or dialect.</summary>
internal static class ConvertCommand
{
    public const string Name = "convert";

    public static readonly string[] Examples =
    [
        "zoo-convert convert model.h5 model.keras",
        "zoo-convert convert model.json model.h5 --weights weights.h5",
        "zoo-convert convert model.keras model.h5 --dialect keras2 --no-optimizer",
        "zoo-convert convert model.h5 arch.txt --to yaml",
        "zoo-convert convert model.h5 model.onnx",
    ];

    public static Command Build()
    {
        var input = CommonOptions.File("IN", "The model to read (format detected from its content).");
        var output = CommonOptions.File("OUT", "The file to write (format guessed from its name unless --to is given).");
        var weights = CommonOptions.Weights();
        var to = new Option<string?>("--to")
        {
            Description = $"Output format, overriding the guess from OUT's name: {string.Join(", ", FormatNames.All)}.",
            HelpName = "FORMAT",
        };
        to.AcceptOnlyFromAmong(FormatNames.All);
        var dialect = new Option<string?>("--dialect")
        {
            Description = "Config dialect to write: keras2 or keras3 (default: the source's own; keras3 for .keras).",
            HelpName = "DIALECT",
        };
        dialect.AcceptOnlyFromAmong("keras2", "keras3");
        var noOptimizer = new Option<bool>("--no-optimizer") { Description = "Leave out the training config and optimizer state." };
        var overwrite = new Option<bool>("--overwrite-input") { Description = "Allow OUT to be the same file as IN." };
        var cmd = new Command(Name, "Convert a Keras model between H5, H5 weights, JSON, YAML, .keras and .weights.h5 (and from TensorFlow.js; to ONNX).")
        {
            input, output, weights, to, dialect, noOptimizer, overwrite,
        };
        cmd.SetAction(r => Cli.Guard(r, stdout =>
        {
            var inPath = CommonOptions.Existing(r.GetValue(input)!);
            var weightsPath = r.GetValue(weights) is { } w ? CommonOptions.Existing(w) : null;
            var given = r.GetValue(output)!;
            var target = OutputFiles.Resolve(given, "OUT", r.GetValue(overwrite) ? [] : [inPath, weightsPath], "pass --overwrite-input to allow");
            var outPath = target.Path;
            var format = r.GetValue(to) is { } name ? FormatNames.Parse(name)
                : OutputFiles.ModelFormat(target, KerasFormat.H5Full)
                  ?? throw new UsageException($"cannot guess the output format from '{given}'; name it .h5, .weights.h5, .json, .yaml or .keras, or pass --to ({string.Join("|", FormatNames.All)})");
            var status = OutputFiles.Status(stdout, r.InvocationConfiguration.Error, [target]);
            var live = LiveProgress.For(r.InvocationConfiguration.Error);
            var graph = live.Step($"reading {Path.GetFileName(inPath)}", () => weightsPath is null ? KerasFile.Load(inPath) : KerasFile.Load(inPath, weightsPath));
            live.Write($"writing {Path.GetFileName(outPath)}", progress => ModelWriter.Save(graph, outPath, new SaveOptions
            {
                Format = format,
                Dialect = r.GetValue(dialect) switch { "keras2" => KerasDialectKind.Keras2, "keras3" => KerasDialectKind.Keras3, _ => null },
                IncludeOptimizer = !r.GetValue(noOptimizer),
                Progress = progress,
            }));
            foreach (var warning in graph.Warnings)
                r.InvocationConfiguration.Error.WriteLine($"zoo-convert: warning: {warning}");
            if (format is KerasFormat.Json or KerasFormat.Yaml)
            {
                // An architecture file drops the weights; say so, and how to keep them, rather than count parameters it does not hold.
                status.WriteLine($"wrote {given} ({FormatNames.Of(format)}: {FormatNames.Describe(format)}; {graph.Layers.Count} layers, architecture only)");
                if (graph.AllWeights().Any())
                    status.WriteLine($"note: the {graph.ParameterCount():N0} weights are not in it; write them with 'zoo-convert convert {r.GetValue(input)} "
                        + $"{WeightsNameFor(given)} --to h5-weights' and pass that file as --weights");
            }
            else status.WriteLine($"wrote {given} ({FormatNames.Of(format)}: {FormatNames.Describe(format)}; {graph.Layers.Count} layers, {graph.ParameterCount():N0} parameters)");
            return ExitCodes.Success;
        }));
        return cmd;
    }

    /// <summary>A weights file name beside an architecture file: <c>arch.json</c> → <c>arch_weights.h5</c>.</summary>
    private static string WeightsNameFor(string output)
        => Path.Combine(Path.GetDirectoryName(output) ?? "", Path.GetFileNameWithoutExtension(output) + "_weights.h5");
}
