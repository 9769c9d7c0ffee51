using System.Globalization;
using System.Text;
using Google.Protobuf;
using Onnx;
using Zoo.Formats;
using Zoo.Formats.IO;
using Zoo.Onnx.Export;

namespace Zoo.Onnx.Triton;

/// <summary>
/// Writes a Triton Inference Server model repository entry for an ONNX model: <c>DIR/name/config.pbtxt</c>
/// (onnxruntime platform, inputs and outputs with their dims, dynamic batching when batching is on) and
/// <c>DIR/name/1/model.onnx</c>.
/// </summary>
public static class TritonModelRepository
{
    /// <summary>Writes <paramref name="model"/> as version 1 of <paramref name="name"/> under <paramref name="repository"/>; returns the model folder.</summary>
    /// <param name="model">The ONNX model (first dimension of every input/output is the batch when <paramref name="maxBatch"/> &gt; 0).</param>
    /// <param name="repository">The model repository root (created when absent).</param>
    /// <param name="name">The Triton model name (letters, digits, '_', '-', '.').</param>
    /// <param name="maxBatch">Triton's max_batch_size; 0 turns batching off and keeps the batch dimension in dims.</param>
    public static string Write(ModelProto model, string repository, string name, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (string.IsNullOrEmpty(name) || name.Any(ch => !(char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-' or '.')) || name is "." or "..")
            throw new UnsupportedFeatureException($"Triton model name '{name}' must use only letters, digits, '_', '-' and '.'", repository);
        if (maxBatch < 0) throw new UnsupportedFeatureException($"max batch size {maxBatch} must be 0 (no batching) or more", repository);
        if (model.Graph.Initializer.Any(t => t.DataLocation == TensorProto.Types.DataLocation.External))
            throw new UnsupportedFeatureException("the ONNX model keeps its weights in an external data file; export the Keras model itself instead (its weights are placed beside model.onnx)", repository);
        var folder = Path.Combine(repository, name);
        var version = Path.Combine(folder, "1");
        Directory.CreateDirectory(version);
        var onnxPath = Path.Combine(version, "model.onnx");
        long bytes = model.Graph.Initializer.Sum(t => (long)t.RawData.Length);
        if (bytes > OnnxExportOptions.Default.ExternalDataThreshold) OnnxExternalData.MoveOut(model, onnxPath);
        AtomicFile.Write(onnxPath, s => model.WriteTo(s));
        AtomicFile.WriteText(Path.Combine(folder, "config.pbtxt"), Config(model, name, maxBatch));
        return folder;
    }

    /// <summary>The <c>config.pbtxt</c> text for <paramref name="model"/>.</summary>
    public static string Config(ModelProto model, string name, int maxBatch)
    {
        var initializers = model.Graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var sb = new StringBuilder();
        sb.Append("name: \"").Append(name).Append("\"\n");
        sb.Append("platform: \"onnxruntime_onnx\"\n");
        sb.Append("max_batch_size: ").Append(maxBatch.ToString(CultureInfo.InvariantCulture)).Append('\n');
        Tensors(sb, "input", model.Graph.Input.Where(i => !initializers.Contains(i.Name)), maxBatch);
        Tensors(sb, "output", model.Graph.Output, maxBatch);
        if (maxBatch > 0) sb.Append("dynamic_batching { }\n");
        return sb.ToString();
    }

    private static void Tensors(StringBuilder sb, string kind, IEnumerable<ValueInfoProto> values, int maxBatch)
    {
        var list = values.ToList();
        sb.Append(kind).Append(" [\n");
        for (int i = 0; i < list.Count; i++)
        {
            var v = list[i];
            var tensor = v.Type?.TensorType ?? throw new ModelFormatException($"ONNX {kind} '{v.Name}' is not a tensor");
            var dims = tensor.Shape?.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue : -1L).ToList()
                ?? throw new UnsupportedFeatureException($"ONNX {kind} '{v.Name}' has no shape; Triton needs its rank");
            if (maxBatch > 0)
            {
                if (dims.Count == 0) throw new UnsupportedFeatureException($"ONNX {kind} '{v.Name}' is a scalar and cannot be batched; use --max-batch 0");
                dims.RemoveAt(0);
            }
            sb.Append("  {\n");
            sb.Append("    name: \"").Append(v.Name.Replace("\\", "\\\\").Replace("\"", "\\\"")).Append("\"\n");
            sb.Append("    data_type: ").Append(DataType(tensor.ElemType, v.Name)).Append('\n');
            sb.Append("    dims: [ ").Append(string.Join(", ", dims.Select(d => d.ToString(CultureInfo.InvariantCulture)))).Append(" ]\n");
            sb.Append(i + 1 < list.Count ? "  },\n" : "  }\n");
        }
        sb.Append("]\n");
    }

    private static string DataType(int elemType, string name) => elemType switch
    {
        (int)TensorProto.Types.DataType.Float => "TYPE_FP32",
        (int)TensorProto.Types.DataType.Float16 => "TYPE_FP16",
        (int)TensorProto.Types.DataType.Double => "TYPE_FP64",
        (int)TensorProto.Types.DataType.Int64 => "TYPE_INT64",
        (int)TensorProto.Types.DataType.Int32 => "TYPE_INT32",
        (int)TensorProto.Types.DataType.Uint8 => "TYPE_UINT8",
        (int)TensorProto.Types.DataType.Bool => "TYPE_BOOL",
        _ => throw new UnsupportedFeatureException($"tensor '{name}': ONNX element type {elemType} has no Triton data type here"),
    };
}
