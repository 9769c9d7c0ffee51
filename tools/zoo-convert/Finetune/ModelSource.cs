using Zoo.FineTune.Data;
using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Models;
using Zoo.Models.ModelZoo;
using Zoo.Models.ModelZoo.Applications;

namespace Zoo.Convert.Finetune;

/// <summary>
/// The model <c>finetune</c> starts from: a Keras file (with optional separate weights) or a zoo name built
/// for the requested classes and image size. Knows its input (height, width, channels) and the
/// preprocessing its pixels need.
/// </summary>
/// <param name="Graph">The architecture and weights.</param>
/// <param name="Input">The declared input after the batch axis (null entries are open).</param>
/// <param name="Preprocess">The preprocessing of the zoo entry, or none for a file unless told.</param>
/// <param name="Description">One line for the log.</param>
/// <param name="File">The model file, when it came from one (never overwritten).</param>
internal sealed record ModelSource(ModelGraph Graph, long?[] Input, ImagePreprocessing Preprocess, string Description, string? File)
{
    /// <summary>Resolves <c>--model</c>: an existing path is a Keras file; otherwise a zoo name.</summary>
    /// <remarks><paramref name="weights"/> may be <c>imagenet</c> for a zoo model: Keras's published notop file, from Keras's cache or downloaded (<paramref name="log"/> hears of a download).</remarks>
    public static ModelSource Resolve(string model, string? weights, int classes, (int H, int W)? imageSize, int seed, Action<string>? log = null)
    {
        bool imageNet = weights == ApplicationOptions.ImageNet;
        if (System.IO.File.Exists(model))
        {
            if (imageNet) throw new UsageException($"--weights imagenet: keras.applications' ImageNet weights go with a zoo model name (see 'zoo list'), not with the file '{model}'");
            var path = Path.GetFullPath(model);
            var graph = weights is null ? KerasFile.Load(path) : KerasFile.Load(path, Commands.CommonOptions.Existing(weights));
            return new ModelSource(graph, InputOf(graph, path), ImagePreprocessing.None, $"{Path.GetFileName(path)} ({graph.Name})", path);
        }
        if (Directory.Exists(model)) throw new UsageException($"--model: '{model}' is a directory; expected a Keras file or a zoo model name");
        var entry = Commands.ZooCommand.Entry(model, "--model", also: "neither an existing file nor ");
        var shape = imageSize is { } s ? new[] { s.H, s.W, entry.DefaultInputShape[2] } : entry.DefaultInputShape;
        // Official weight files carry their own head (1000 classes), or none when named "notop"; the head for our
        // classes is then put on by the freezer. Without weights the zoo builds the head for our classes directly.
        // 'imagenet' takes Keras's notop file, as keras.applications' fine-tuning guide does (include_top=False).
        bool noTop = imageNet || weights is not null && Path.GetFileName(weights).Contains("notop", StringComparison.OrdinalIgnoreCase);
        var options = new ApplicationOptions
        {
            InputShape = shape, Weights = weights, Seed = seed, IncludeTop = !noTop, Classes = weights is null ? classes : entry.DefaultClasses,
            ImageNetWeights = new() { Log = log },
        };
        var built = entry.Build(options);
        return new ModelSource(built, shape.Select(d => (long?)d).ToArray(), ImagePreprocess.From(entry.Preprocess),
            $"{entry.Title} {string.Join("x", shape)}{(weights is null ? $" (initialized, seed {seed})" : $" (weights {Path.GetFileName(weights)})")}", null);
    }

    /// <summary>The image (height, width, channels) to load data at; <paramref name="requested"/> fills open dimensions and must agree with fixed ones.</summary>
    public (int H, int W, int C) ImageShape((int H, int W)? requested)
    {
        if (Input.Length != 3)
            throw new UsageException($"--data with an image folder needs a model that takes images [height, width, channels]; this one takes [{Dims()}]");
        int C = (int)(Input[2] ?? 3);
        if (C is not (1 or 3)) throw new UsageException($"the model takes {C} channels; image folders give 1 (grayscale) or 3 (RGB)");
        int Pick(long? declared, int? asked, string what) => (declared, asked) switch
        {
            ({ } d, { } a) when d != a => throw new UsageException($"--image-size: the model's input {what} is {d}, not {a}"),
            ({ } d, _) => (int)d,
            (null, { } a) => a,
            _ => throw new UsageException($"the model's input {what} is open; give --image-size H,W"),
        };
        return (Pick(Input[0], requested?.H, "height"), Pick(Input[1], requested?.W, "width"), C);
    }

    /// <summary>The declared input, as text.</summary>
    public string Dims() => string.Join(",", Input.Select(d => d?.ToString() ?? "?"));

    /// <summary>Number of values the model outputs per sample (its classes), from shape inference; null when unknown.</summary>
    public static long? OutputWidth(ModelGraph graph)
    {
        var outs = Zoo.Formats.Summary.ModelSummary.Of(graph).OutputShapes;
        return outs.Count == 1 && outs[0] is { Rank: >= 2 } shape ? shape[-1] : null;
    }

    private static long?[] InputOf(ModelGraph graph, string file)
    {
        using var model = KerasModel.FromGraph(graph, file);
        var shapes = model.InputShapes;
        if (shapes.Count != 1 || shapes[0] is null)
            throw new UnsupportedFeatureException($"model '{graph.Name}': finetune takes a model with one input of declared shape; it has {shapes.Count}", file);
        return shapes[0]!.Skip(1).ToArray();
    }
}
