using System.CommandLine;
using Zoo.Convert.Output;
using Zoo.Formats;
using Zoo.Formats.Summary;

namespace Zoo.Convert.Commands;

/// <summary><c>zoo-convert inspect FILE [--weights W] [--json]</c>: what a Keras file holds, as Keras's summary shows it.</summary>
internal static class InspectCommand
{
    public const string Name = "inspect";

    public static readonly string[] Examples =
    [
        "zoo-convert inspect model.h5",
        "zoo-convert inspect model.json --weights weights.h5",
        "zoo-convert inspect model.keras --json > summary.json",
    ];

    public static Command Build()
    {
        var file = CommonOptions.File("FILE", "The Keras file to inspect (format detected from its content).");
        var weights = CommonOptions.Weights();
        var json = CommonOptions.Json(InspectReport.Schema);
        var cmd = new Command(Name, "Show a Keras file's format, versions, layers (output shapes, parameters, connections), parameter totals and optimizer state.")
        {
            file, weights, json,
        };
        cmd.SetAction(r => Cli.Guard(r, stdout =>
        {
            var path = CommonOptions.Existing(r.GetValue(file)!);
            var weightsPath = r.GetValue(weights) is { } w ? CommonOptions.Existing(w) : null;
            var graph = LiveProgress.For(r.InvocationConfiguration.Error).Step($"reading {Path.GetFileName(path)}",
                () => weightsPath is null ? KerasFile.Load(path) : KerasFile.Load(path, weightsPath));
            var format = graph.Metadata.SourceFormat ?? KerasFile.DetectFormat(path);
            var report = new InspectReport(path, weightsPath, format, graph, ModelSummary.Of(graph));
            if (r.GetValue(json)) stdout.WriteLine(report.ToJson());
            else if (Terminal.ConsoleFor(stdout) is { } console) report.WriteRich(console);
            else report.WriteText(stdout);
            return ExitCodes.Success;
        }));
        return cmd;
    }
}
