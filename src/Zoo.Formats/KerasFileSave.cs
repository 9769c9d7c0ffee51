using System.Text.Json.Nodes;
using Zoo.Formats.Config;
using Zoo.Formats.IO;
using Zoo.Formats.Ir;
using Zoo.Formats.Yaml;

namespace Zoo.Formats;

public static partial class KerasFile
{
    /// <summary>Writes <paramref name="graph"/> in <see cref="SaveOptions.Format"/>, or the format guessed from the name.</summary>
    public static void Save(ModelGraph graph, string path, SaveOptions? options = null)
    {
        options ??= SaveOptions.Default;
        var format = options.Format ?? FormatFromFileName(path)
                     ?? throw new UnsupportedFeatureException($"cannot tell the format from the file name '{Path.GetFileName(path)}': name it .h5, .weights.h5, .json, .yaml or .keras, or choose a format", path);
        switch (format)
        {
            case KerasFormat.Json:
                AtomicFile.WriteText(path, KerasJson.Serialize(ArchitectureObject(graph, options)));
                break;
            case KerasFormat.Yaml:
                AtomicFile.WriteText(path, KerasYamlWriter.Serialize(ArchitectureObject(graph, options)));
                break;
            case KerasFormat.Onnx:
                // ONNX lives in its own library so that reading and writing Keras files pulls in no protobuf.
                throw new UnsupportedFeatureException("KerasFile writes Keras formats only; write ONNX with the Zoo.Onnx library (Zoo.Onnx.Export.OnnxExporter.Save)", path);
            case KerasFormat.TfjsLayers:
                throw new UnsupportedFeatureException("writing TensorFlow.js layers models is not supported (read only)", path);
            default:
                SaveBinary(graph, path, format, options);
                break;
        }
    }

    /// <summary>The <c>to_json</c>/<c>to_yaml</c> object: the model config plus <c>keras_version</c> and <c>backend</c>.</summary>
    internal static JsonObject ArchitectureObject(ModelGraph graph, SaveOptions options)
    {
        var target = options.Dialect ?? graph.Metadata.Dialect;
        var obj = ModelConfigCodec.Write(graph, target);
        bool sameDialect = target == graph.Metadata.Dialect;
        obj["keras_version"] = sameDialect && graph.Metadata.KerasVersion is { } v ? v : DefaultVersion(target, options);
        obj["backend"] = graph.Metadata.Backend ?? "tensorflow";
        return obj;
    }

    internal static string DefaultVersion(KerasDialectKind dialect, SaveOptions options)
        => dialect == KerasDialectKind.Keras3 ? options.DefaultKeras3Version : options.DefaultKerasVersion;
}
