using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Zoo.Convert.Output;
using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Models.ModelZoo;
using Zoo.Models.ModelZoo.Applications;
using Zoo.Models.ModelZoo.Builder;

namespace Zoo.Convert.Commands;

/// <summary><c>zoo-convert zoo list|create</c>: the native model zoo (LeNet-5, AlexNet, VGG, ResNet, InceptionV3) written as Keras files.</summary>
internal static class ZooCommand
{
    public const string Name = "zoo";

    public static readonly string[] Examples =
    [
        "zoo-convert zoo list",
        "zoo-convert zoo list --json",
        "zoo-convert zoo create resnet50 --output resnet50.h5",
        "zoo-convert zoo create vgg16 --output vgg16_notop.keras --no-top --input-shape 64,64,3 --pooling avg",
        "zoo-convert zoo create inceptionv3 --output inc.h5 --weights inception_v3_weights_tf_dim_ordering_tf_kernels.h5",
        "zoo-convert zoo create resnet50 --output resnet50_notop.h5 --no-top --weights imagenet",
    ];

    public static Command Build()
    {
        var cmd = new Command(Name, "Native keras.applications-style models: list them, or write one as a Keras file.");
        cmd.Subcommands.Add(BuildList());
        cmd.Subcommands.Add(BuildCreate());
        return cmd;
    }

    private static Command BuildList()
    {
        var json = CommonOptions.Json(ListSchema);
        var list = new Command("list", "List the zoo's models with their parameter counts, default input shapes and preprocessing.") { json };
        list.SetAction(r => Cli.Guard(r, stdout =>
        {
            if (r.GetValue(json))
            {
                stdout.WriteLine(ListJson());
                return ExitCodes.Success;
            }
            var rows = ZooCatalog.All.Select(e => new[]
            {
                e.Name, e.Title, e.DefaultParameterCount().ToString("N0"), string.Join("x", e.DefaultInputShape),
                e.DefaultClasses.ToString(), e.Preprocess.ToString().ToLowerInvariant(), e.Binding == Formats.Weights.WeightBinding.ByName ? "by name" : "by position",
            }).ToList();
            var header = new[] { "name", "model", "parameters", "input", "classes", "preprocess", "weights bind" };
            var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(x => x[i].Length))).ToArray();
            string Line(string[] c) => string.Join("  ", c.Select((s, i) => i is 2 or 4 ? s.PadLeft(widths[i]) : s.PadRight(widths[i]))).TrimEnd();
            stdout.WriteLine(Line(header));
            stdout.WriteLine(new string('-', widths.Sum() + 2 * (widths.Length - 1)));
            foreach (var row in rows) stdout.WriteLine(Line(row));
            return ExitCodes.Success;
        }));
        return list;
    }

    /// <summary>The <c>schema</c> field of <c>zoo list --json</c>.</summary>
    public const string ListSchema = "zoo-convert/zoo-list/1";

    private static string ListJson() => new JsonObject
    {
        ["schema"] = ListSchema,
        ["models"] = new JsonArray(ZooCatalog.All.Select(e => (JsonNode)new JsonObject
        {
            ["name"] = e.Name,
            ["title"] = e.Title,
            ["parameters"] = e.DefaultParameterCount(),
            ["input_shape"] = new JsonArray(e.DefaultInputShape.Select(d => (JsonNode?)d).ToArray()),
            ["classes"] = e.DefaultClasses,
            ["preprocess"] = e.Preprocess.ToString().ToLowerInvariant(),
            ["weights_bind"] = e.Binding == Formats.Weights.WeightBinding.ByName ? "by_name" : "by_position",
        }).ToArray()),
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    private static Command BuildCreate()
    {
        var name = new Argument<string>("NAME") { Description = "Model name (see 'zoo list')." };
        // --output like every other command; --out was the documented spelling first and stays an alias.
        var output = new Option<string>("--output", "-o", "--out") { Description = "File to write; the format follows the name (.h5, .keras, .json, .yaml, .weights.h5).", Required = true, HelpName = "FILE" };
        var classes = new Option<int?>("--classes") { Description = "Classes of the head (default: the model's, 1000 or 10).", HelpName = "N" };
        var inputShape = new Option<string?>("--input-shape") { Description = "Input height,width,channels (default: the model's).", HelpName = "H,W,C" };
        var noTop = new Option<bool>("--no-top") { Description = "Leave off the classifier head (include_top=False)." };
        var pooling = new Option<string?>("--pooling") { Description = "With --no-top: global 'avg' or 'max' pooling after the last block.", HelpName = "avg|max" };
        var weights = new Option<string?>("--weights", "-w") { Description = "'imagenet' for keras.applications' published weights (from Keras's cache, $KERAS_HOME/models or ~/.keras/models; downloaded when missing unless ZOO_OFFLINE=1), or a Keras weights file (by name; by position for InceptionV3).", HelpName = "W" };
        var seed = new Option<int>("--seed") { Description = "Seed of the initial weights.", DefaultValueFactory = _ => 0, HelpName = "S" };
        var create = new Command("create", "Build a zoo model and write it as a Keras file.") { name, output, classes, inputShape, noTop, pooling, weights, seed };
        create.SetAction(r => Cli.Guard(r, stdout =>
        {
            var entry = Entry(r.GetValue(name)!, "NAME");
            var pool = r.GetValue(pooling) switch
            {
                null => Pooling.None,
                "avg" => Pooling.Avg,
                "max" => Pooling.Max,
                var p => throw new UsageException($"--pooling: expected avg or max, found '{p}'"),
            };
            bool top = !r.GetValue(noTop);
            if (top && pool != Pooling.None) throw new UsageException("--pooling applies only with --no-top");
            var options = new ApplicationOptions
            {
                IncludeTop = top, Pooling = pool, Classes = r.GetValue(classes) ?? entry.DefaultClasses,
                InputShape = ParseShape(r.GetValue(inputShape)), Weights = r.GetValue(weights), Seed = r.GetValue(seed),
                ImageNetWeights = new() { Log = r.InvocationConfiguration.Error.WriteLine },
            };
            var live = LiveProgress.For(r.InvocationConfiguration.Error);
            var graph = live.Step($"building {entry.Title}", () => entry.Build(options));
            foreach (var note in graph.Warnings) r.InvocationConfiguration.Error.WriteLine($"note: {note}");
            var path = r.GetValue(output)!;
            var target = OutputFiles.Resolve(path, "--output", [options.Weights]);
            var format = OutputFiles.ModelFormat(target, KerasFormat.H5Full)
                ?? throw new UsageException($"--output: name the file .h5, .keras, .json, .yaml or .weights.h5 (the format follows the name), found '{Path.GetFileName(path)}'");
            live.Write($"writing {Path.GetFileName(path)}", progress => ModelWriter.Save(graph, target.Path, new SaveOptions { Format = format, Progress = progress }));
            OutputFiles.Status(stdout, r.InvocationConfiguration.Error, [target]).WriteLine($"{entry.Title}: {graph.Layers.Count} layers, {graph.ParameterCount():N0} parameters{(options.Weights is null ? $" (initialized, seed {options.Seed})" : $" (from {options.Weights})")} → {path}");
            return ExitCodes.Success;
        }));
        return create;
    }

    /// <summary>
    /// The zoo entry a name given on the command line stands for; an unknown name is a usage error (exit 2) wherever
    /// it is given (<c>zoo create NAME</c>, <c>finetune --model</c>, <c>tune --model</c>), with the closest names suggested.
    /// </summary>
    public static ZooEntry Entry(string name, string where, string? also = null)
    {
        try { return ZooCatalog.Get(name); }
        catch (UnsupportedFeatureException)
        {
            var names = ZooCatalog.All.Select(e => e.Name).ToList();
            throw new UsageException($"{where}: '{name}' is {also ?? "not "}a zoo model name{Output.DidYouMean.Suggest(name.Replace("-", "").Replace("_", ""), names)} (the zoo: {string.Join(", ", names)})");
        }
    }

    private static int[]? ParseShape(string? text)
    {
        if (text is null) return null;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 3 || !parts.All(p => int.TryParse(p, out var d) && d > 0))
            throw new UsageException($"--input-shape: expected three positive integers H,W,C, found '{text}'");
        return parts.Select(int.Parse).ToArray();
    }
}
