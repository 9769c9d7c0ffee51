using Google.Protobuf;
using Onnx;
using Zoo.Formats;
using Zoo.Formats.Dialects;
using Zoo.Formats.IO;
using Zoo.Formats.Ir;
using Zoo.Formats.Summary;
using Zoo.Onnx.Lowerings;
using Zoo.Onnx.Validation;

namespace Zoo.Onnx.Export;

/// <summary>
/// Writes a Keras <see cref="ModelGraph"/> (with weights) as an ONNX model: opset 17, Keras's NHWC interface
/// and a dynamic batch dimension by default, Keras layer names on nodes, values and initializers. Keras 1
/// graphs are translated to Keras 2 first (split recurrent weights joined). The result passes
/// <see cref="OnnxChecker"/> before it is returned.
/// </summary>
public static class OnnxExporter
{
    /// <summary>The batch dimension's symbolic name.</summary>
    public const string BatchDim = "batch";

    /// <summary>Builds the ONNX model for <paramref name="graph"/>.</summary>
    /// <exception cref="UnsupportedFeatureException">A layer or option has no ONNX lowering.</exception>
    /// <exception cref="WeightMismatchException">A layer's stored weights do not fit its config.</exception>
    public static ModelProto Export(ModelGraph graph, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        options ??= OnnxExportOptions.Default;
        if (options.Opset < 17 || options.Opset > 21)
            throw new UnsupportedFeatureException($"ONNX opset {options.Opset} is not supported (17 to 21; 17 is the default, the first with LayerNormalization)");
        if (!graph.HasArchitecture)
            throw new ModelFormatException($"model '{graph.Name}': the file holds weights only; load it together with an architecture file");
        if (graph.Metadata.Dialect == KerasDialectKind.Keras1) graph = DialectTranslator.Translate(graph, KerasDialectKind.Keras2);

        var b = new OnnxGraphBuilder();
        b.Graph.Name = graph.Name;
        var walker = new OnnxGraphWalker(b, options, graph.Metadata.Dialect, graph.Metadata.Backend);
        var inputs = DeclareInputs(graph, b, options);
        var outputs = walker.Run(graph, inputs, "");
        DeclareOutputs(graph, b, options, outputs);

        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = options.ProducerName,
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = b.Graph,
            DocString = $"Keras model '{graph.Name}' exported by Zoo",
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = options.Opset });
        if (graph.Metadata.KerasVersion is { } kv) model.MetadataProps.Add(new StringStringEntryProto { Key = "keras_version", Value = kv });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "layout", Value = options.ChannelsFirstIO ? "NCHW" : "NHWC" });
        OnnxChecker.Check(model);
        return model;
    }

    /// <summary>
    /// Exports <paramref name="graph"/> to <paramref name="path"/> atomically; above
    /// <see cref="OnnxExportOptions.ExternalDataThreshold"/> bytes of weights they go to <c>path.data</c> beside it.
    /// </summary>
    public static void Save(ModelGraph graph, string path, OnnxExportOptions? options = null)
    {
        options ??= OnnxExportOptions.Default;
        var model = Export(graph, options);
        long bytes = model.Graph.Initializer.Sum(t => (long)t.RawData.Length);
        if (bytes > options.ExternalDataThreshold) OnnxExternalData.MoveOut(model, path);
        AtomicFile.Write(path, s => model.WriteTo(s));
    }

    private static List<OnnxGraphWalker.Value> DeclareInputs(ModelGraph g, OnnxGraphBuilder b, OnnxExportOptions options)
    {
        var declared = new List<(string Name, TensorShape? Shape)>();
        if (g.IsSequential || g.Inputs.Count == 0)
        {
            var first = g.Layers.FirstOrDefault() ?? throw new ModelFormatException($"model '{g.Name}' has no layers");
            var name = first.ClassName == "InputLayer" ? first.Name : first.Name + "_input";
            declared.Add((name, LayerShapes.DeclaredInput(first)));
        }
        else
        {
            foreach (var r in g.Inputs)
            {
                var layer = g.GetLayer(r.Layer);
                declared.Add((layer.Name, LayerShapes.DeclaredInput(layer)));
            }
        }
        var values = new List<OnnxGraphWalker.Value>();
        foreach (var (wanted, declaredShape) in declared)
        {
            var shape = declaredShape;
            var name = b.Value(wanted);
            // A batch size fixed at training time (stateful RNNs, batch_input_shape=[25, …]) must not pin inference.
            if (shape is { Rank: > 0 }) shape = shape.With(0, null);
            if (shape is null)
                throw new UnsupportedFeatureException($"model '{g.Name}': input '{wanted}' declares no shape; ONNX export needs at least its rank (give the InputLayer a shape)");
            bool nchw = options.ChannelsFirstIO && shape.Rank == 4;
            var onnxShape = nchw ? Permute(shape, OnnxLayout.ToChannelsFirst(4)) : shape;
            b.Graph.Input.Add(ValueInfo(name, onnxShape, name));
            var value = nchw ? b.Op("Transpose", name, new[] { name }, ("perm", OnnxLayout.ToChannelsLast(4))) : name;
            values.Add(new(value, shape));
        }
        return values;
    }

    private static void DeclareOutputs(ModelGraph g, OnnxGraphBuilder b, OnnxExportOptions options, IReadOnlyList<OnnxGraphWalker.Value> outputs)
    {
        var names = g.IsSequential || g.Outputs.Count == 0
            ? new[] { g.Layers[^1].Name }
            : g.Outputs.Select(o => o.Layer).ToArray();
        for (int i = 0; i < outputs.Count; i++)
        {
            var (value, shape) = (outputs[i].Name, outputs[i].Shape);
            bool nchw = options.ChannelsFirstIO && shape?.Rank == 4;
            if (nchw) value = b.Op("Transpose", names[i], new[] { value }, ("perm", OnnxLayout.ToChannelsFirst(4)));
            var name = b.Value(i < names.Length ? names[i] : $"output_{i}");
            b.Graph.Node.Add(new NodeProto { OpType = "Identity", Name = name + "/output", Input = { value }, Output = { name } });
            b.Graph.Output.Add(ValueInfo(name, nchw ? Permute(shape!, OnnxLayout.ToChannelsFirst(4)) : shape, name));
        }
    }

    private static TensorShape Permute(TensorShape s, int[] perm) => new(perm.Select(p => s.Dims[p]));

    private static ValueInfoProto ValueInfo(string name, TensorShape? shape, string prefix)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float };
        if (shape is not null)
        {
            tensor.Shape = new TensorShapeProto();
            for (int i = 0; i < shape.Rank; i++)
            {
                var d = new TensorShapeProto.Types.Dimension();
                if (shape.Dims[i] is long v) d.DimValue = v;
                else d.DimParam = i == 0 ? BatchDim : $"{prefix}_dim{i}";
                tensor.Shape.Dim.Add(d);
            }
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }
}
