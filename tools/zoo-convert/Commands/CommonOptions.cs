using System.CommandLine;

namespace Zoo.Convert.Commands;

/// <summary>Options shared by several commands.</summary>
internal static class CommonOptions
{
    /// <summary><c>--verbose</c>: print stack traces with errors.</summary>
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Print the full exception (stack trace) with an error.",
        Recursive = true,
    };

    /// <summary>
    /// <c>--max-memory MIB</c>: what one command may decode from its input files beyond their own size (the
    /// library's <see cref="Zoo.Formats.LoadOptions.MaxMemoryBytes"/>), shared by every file the command reads.
    /// </summary>
    public static readonly Option<long> MaxMemory = new("--max-memory")
    {
        Description = "MiB a command may decode from its input files beyond their own size (weights, strings, inflated entries), all files together; a file that needs more is refused as unsafe. Raise it for a trusted file whose compressed weights inflate to more.",
        HelpName = "MIB",
        DefaultValueFactory = _ => Zoo.Formats.ReadBudget.DefaultMaxBytes >> 20,
        Recursive = true,
    };

    /// <summary><c>--weights W</c>: a weights file to bind onto the architecture file by layer name.</summary>
    public static Option<string?> Weights() => new("--weights", "-w")
    {
        Description = "A weights file (.h5 from save_weights, or Keras 3 .weights.h5) to pair with an architecture file (JSON, YAML, H5, .keras).",
        HelpName = "W",
    };

    /// <summary><c>--json</c>: one JSON object on stdout, with a <c>schema</c> field naming <paramref name="schema"/>.</summary>
    public static Option<bool> Json(string schema) => new("--json")
    {
        Description = $"Print one JSON object on stdout instead of text (schema \"{schema}\"; fields: docs/cli.md).",
    };

    /// <summary><c>--allow-random-base</c>: let the small, medium and auto policies freeze a zoo model built without weights.</summary>
    public static Option<bool> AllowRandomBase() => new("--allow-random-base")
    {
        Description = "Freeze a zoo model's base even though it has no imported weights (normally refused: frozen random features train nothing useful; use --weights, or --policy large to train from scratch).",
    };

    /// <summary>
    /// <c>--threads N</c>: CPU threads for TorchSharp (and ONNX Runtime); <paramref name="defaultThreads"/> 0 means the
    /// runtime's own choice, one per core.
    /// </summary>
    public static Option<int> Threads(int defaultThreads = 0)
    {
        var o = new Option<int>("--threads")
        {
            Description = "CPU threads for TorchSharp and ONNX Runtime (0: one per core). On a busy or shared machine extra threads spin-wait "
                + "and can slow small models down many times over; 1 or 2 is then faster.",
            DefaultValueFactory = _ => defaultThreads,
            HelpName = "N",
        };
        o.Validators.Add(v => { if (v.GetValueOrDefault<int>() < 0) v.AddError("--threads must be 0 (one per core) or more"); });
        return o;
    }

    /// <summary>The input file argument.</summary>
    public static Argument<string> File(string name, string description) => new(name) { Description = description };

    /// <summary>
    /// Runs <paramref name="load"/> on <paramref name="file"/>; an error raised without a file (the runtime's
    /// "layer 'x' is not supported", for example) is given that file, so the one error line names it.
    /// </summary>
    public static T InFile<T>(string file, Func<T> load)
    {
        try { return load(); }
        catch (Zoo.Formats.ZooException e) when (string.IsNullOrEmpty(e.File))
        {
            throw new Zoo.Formats.ZooException(e.Detail, file, e.ObjectPath, e);
        }
    }

    /// <summary>Resolves a path for messages and comparisons; checks that an input file exists.</summary>
    public static string Existing(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new FileNotFoundException($"{path}: expected a file, found a directory");
        if (!System.IO.File.Exists(full)) throw new FileNotFoundException($"{path}: expected a file, found no such file");
        return full;
    }
}
