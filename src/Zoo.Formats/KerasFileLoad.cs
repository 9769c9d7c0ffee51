using System.Text;
using Zoo.Formats.Config;
using Zoo.Formats.Ir;
using Zoo.Formats.Tfjs;
using Zoo.Formats.Yaml;

namespace Zoo.Formats;

/// <summary>
/// The front door: load any Keras file into a <see cref="ModelGraph"/> and save a graph in any Keras format.
/// The format is detected from content, never from the file name.
/// </summary>
public static partial class KerasFile
{
    /// <summary>Largest architecture text (JSON/YAML) accepted: far above any real config.</summary>
    private const long MaxTextBytes = 256L << 20;

    /// <summary>Reads any Keras file (H5 full or weights-only, JSON, YAML, .keras, .weights.h5, tfjs model.json), detected from content.</summary>
    public static ModelGraph Load(string path, LoadOptions? options = null)
    {
        options ??= LoadOptions.Default;
        using var budget = ReadBudget.Use(options, out _);
        var graph = FormatSniffer.Sniff(path) switch
        {
            Container.Json => LoadJson(path),
            Container.Yaml => LoadYaml(path),
            Container.Hdf5 => LoadHdf5(path, options),
            Container.Zip => LoadZip(path, options),
            _ => throw new ModelFormatException("expected a Keras file", path),
        };
        FlagLambdaLayers(graph);
        CheckConnectivity(graph, path);
        return graph;
    }

    /// <summary>
    /// Refuses a functional graph (or nested one) that no Keras would build — a tensor naming no layer, a call that
    /// never happened, a cycle — once, at load, so no executor or exporter ever walks it.
    /// </summary>
    private static void CheckConnectivity(ModelGraph graph, string path)
    {
        if (!graph.HasArchitecture) return;
        var pending = new Stack<ModelGraph>([graph]);
        while (pending.Count > 0)
        {
            var g = pending.Pop();
            if (!g.IsSequential)
            {
                try { _ = ExecutionPlan.For(g); }
                catch (ModelFormatException e) when (e.File is null) { throw new ModelFormatException(e.Detail, path, e.ObjectPath, e); }
            }
            foreach (var l in g.Layers) if (l.Nested is { } n) pending.Push(n);
        }
    }

    /// <summary>
    /// Reads a Keras model from <paramref name="stream"/> (any format <see cref="Load(string, LoadOptions?)"/> reads,
    /// detected from the content). The bytes are copied to a temporary file first, within the read budget, because
    /// HDF5 and zip readers seek.
    /// </summary>
    public static ModelGraph Load(Stream stream, LoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var temp = Path.Combine(Path.GetTempPath(), $"zoo-in-{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                stream.CopyToAsync(file, cancellationToken).GetAwaiter().GetResult();
            return Load(temp, options);
        }
        finally { File.Delete(temp); }
    }

    /// <summary>Reads an architecture file (JSON, YAML, H5 full, .keras) and binds a weights file onto it by layer name.</summary>
    public static ModelGraph Load(string architecturePath, string weightsPath, LoadOptions? options = null)
    {
        using var budget = ReadBudget.Use(options, out _);
        var arch = Load(architecturePath, options);
        if (!arch.HasArchitecture)
            throw new ModelFormatException("expected an architecture file (JSON, YAML, full H5, .keras), found a weights-only file", architecturePath);
        BindWeights(arch, weightsPath, options ?? LoadOptions.Default);
        return arch;
    }

    /// <summary>Detects a file's format from its content; throws <see cref="ModelFormatException"/> when it is none of them.</summary>
    public static KerasFormat DetectFormat(string path) => FormatSniffer.Sniff(path) switch
    {
        Container.Json => TfjsLayersModel.IsTfjs(KerasJson.Parse(ReadText(path), path)) ? KerasFormat.TfjsLayers : KerasFormat.Json,
        Container.Yaml => KerasFormat.Yaml,
        Container.Zip => KerasFormat.KerasArchive,
        _ => DetectHdf5(path),
    };

    /// <summary>The format a file name suggests (<c>.h5</c>/<c>.hdf5</c> full model, <c>.weights.h5</c> Keras 3 weights, <c>.json</c>, <c>.yaml</c>/<c>.yml</c>, <c>.keras</c>); null when none.</summary>
    public static KerasFormat? FormatFromFileName(string path)
    {
        var name = Path.GetFileName(path).ToLowerInvariant();
        if (name.EndsWith(".weights.h5", StringComparison.Ordinal)) return KerasFormat.KerasWeights;
        return Path.GetExtension(name) switch
        {
            ".h5" or ".hdf5" or ".keras.h5" => KerasFormat.H5Full,
            ".json" => KerasFormat.Json,
            ".yaml" or ".yml" => KerasFormat.Yaml,
            ".keras" => KerasFormat.KerasArchive,
            ".onnx" => KerasFormat.Onnx,
            _ => null,
        };
    }

    private static ModelGraph LoadJson(string path)
    {
        var root = KerasJson.Parse(ReadText(path), path);
        if (TfjsLayersModel.IsTfjs(root)) return TfjsLayersModel.Read(path, root);
        var graph = ModelConfigCodec.Parse(root, path);
        graph.Metadata.SourceFormat = KerasFormat.Json;
        return graph;
    }

    private static ModelGraph LoadYaml(string path)
    {
        var graph = ModelConfigCodec.Parse(KerasYaml.Parse(ReadText(path), path), path);
        graph.Metadata.SourceFormat = KerasFormat.Yaml;
        return graph;
    }

    private static string ReadText(string path)
    {
        var info = new FileInfo(path);
        if (info.Length > MaxTextBytes)
            throw new UnsafeModelException($"expected an architecture text under {MaxTextBytes >> 20} MiB, found {info.Length} bytes", path);
        var budget = ReadBudget.For(null);
        budget.CountInput(info.Length);
        // The text is held as UTF-16 beside its bytes: up to three bytes per byte read.
        budget.Reserve(3 * info.Length, "the architecture text", path, null);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(File.ReadAllBytes(path)).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException e)
        {
            throw new ModelFormatException($"expected UTF-8 text, found an invalid byte at offset {e.Index}", path, null, e);
        }
    }

    private static void FlagLambdaLayers(ModelGraph graph)
    {
        foreach (var l in graph.Layers)
        {
            if (l.Nested is not null) FlagLambdaLayers(l.Nested);
            else if (l.ClassName is "Lambda" or "TFOpLambda" or "SlicingOpLambda")
                graph.Warnings.Add($"layer '{l.Name}' is a {l.ClassName}: its Python code is kept as data and never executed");
        }
    }
}
