using Zoo.Formats.Ir;

namespace Zoo.Formats.Tests.Safety;

/// <summary>The Keras writers under the kill test, and the child process that <see cref="AtomicWriteKillTests"/> kills.</summary>
public static class AtomicWriterChild
{
    public static int Run(string format, string target) => AtomicWriteKill.Child(format, target, Save);

    /// <summary>Saves <paramref name="graph"/> to <paramref name="target"/> with the writer named by <paramref name="format"/>.</summary>
    public static void Save(string format, ModelGraph graph, string target) => KerasFile.Save(graph, target, Options(format));

    /// <summary>How each format under test is saved: every Keras writer Zoo has.</summary>
    public static SaveOptions Options(string format) => new()
    {
        Format = format switch
        {
            "h5" => KerasFormat.H5Full,
            "weights-h5" => KerasFormat.H5Weights,
            "keras" => KerasFormat.KerasArchive,
            "keras3-weights" => KerasFormat.KerasWeights,
            "json" => KerasFormat.Json,
            "yaml" => KerasFormat.Yaml,
            _ => throw new ArgumentException($"unknown format {format}"),
        },
    };
}
