using Zoo.Formats.Ir;

namespace Zoo.Convert;

/// <summary>The short format names the CLI accepts and prints (<c>--to</c>, <c>inspect</c>'s "format").</summary>
internal static class FormatNames
{
    private static readonly (string Name, KerasFormat Format, string Description)[] Table =
    [
        ("h5", KerasFormat.H5Full, "legacy HDF5 full model (model.save('m.h5'))"),
        ("h5-weights", KerasFormat.H5Weights, "legacy HDF5 weights (model.save_weights('w.h5'))"),
        ("json", KerasFormat.Json, "architecture JSON (model.to_json())"),
        ("yaml", KerasFormat.Yaml, "architecture YAML (model.to_yaml())"),
        ("keras", KerasFormat.KerasArchive, "Keras 3 .keras archive"),
        ("keras-weights", KerasFormat.KerasWeights, "Keras 3 .weights.h5"),
        ("onnx", KerasFormat.Onnx, "ONNX model for ONNX Runtime / Triton (NHWC, dynamic batch; write only)"),
        ("tfjs", KerasFormat.TfjsLayers, "TensorFlow.js layers model (model.json + weight shards; read only)"),
    ];

    /// <summary>Every name accepted by <c>--to</c> (the formats Zoo writes), for validation and help.</summary>
    public static string[] All => Table.Where(t => t.Format != KerasFormat.TfjsLayers).Select(t => t.Name).ToArray();

    /// <summary>The short name of a format.</summary>
    public static string Of(KerasFormat f) => Table.First(t => t.Format == f).Name;

    /// <summary>A one-line description of a format.</summary>
    public static string Describe(KerasFormat f) => Table.First(t => t.Format == f).Description;

    /// <summary>The format a short name stands for.</summary>
    public static KerasFormat Parse(string name) => Table.First(t => t.Name == name).Format;

    /// <summary>The dialect name printed and accepted by <c>--dialect</c>.</summary>
    public static string Of(KerasDialectKind d) => d switch
    {
        KerasDialectKind.Keras1 => "keras1",
        KerasDialectKind.Keras2 => "keras2",
        _ => "keras3",
    };
}
