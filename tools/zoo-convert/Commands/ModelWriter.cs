using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Onnx.Export;

namespace Zoo.Convert.Commands;

/// <summary>
/// Writes a model in the format a command chose: the Keras formats through <see cref="KerasFile"/>, ONNX through
/// Zoo.Onnx (Zoo.Formats knows the <c>.onnx</c> name but writes no ONNX, so that reading Keras files needs no protobuf).
/// </summary>
internal static class ModelWriter
{
    public static void Save(ModelGraph graph, string path, SaveOptions options)
    {
        if (options.Format == KerasFormat.Onnx) OnnxExporter.Save(graph, path);
        else KerasFile.Save(graph, path, options);
    }
}
