using Zoo.Formats.Ir;
using Zoo.Formats.Onnx;

namespace Zoo.Formats;

public static partial class KerasFile
{
    /// <summary>
    /// Writes <paramref name="graph"/> as an ONNX model for inference (NHWC, dynamic batch, opset 17 unless
    /// <paramref name="options"/> say otherwise). <see cref="Save"/> comes here for <see cref="KerasFormat.Onnx"/>
    /// and <c>.onnx</c> file names. ONNX files are written, never read back as Keras models.
    /// </summary>
    public static void SaveOnnx(ModelGraph graph, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(path);
        OnnxExporter.Save(graph, path, options);
    }
}
