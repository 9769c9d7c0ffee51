using Google.Protobuf;
using Onnx;
using Zoo.Formats.Config;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Fuzzing;
using Zoo.Onnx.Export;

namespace Zoo.Onnx.Tests.Fuzzing;

/// <summary>
/// ONNX-aware mutations: parse the ModelProto, break one thing a consumer trusts (tensor dims and dtypes, the
/// bytes stored, external data locations and ranges, node wiring, attribute types and sizes, subgraph nesting,
/// value-info shapes, IR and opset versions), and serialize it again so the damage survives protobuf parsing.
/// </summary>
public sealed class OnnxStructuralMutator : IStructuralMutator
{
    private static readonly string[] Kinds =
        ["dims", "dtype", "raw", "typed", "external", "wiring", "optype", "attr-type", "attr-huge", "nest", "value-info", "versions", "sparse"];

    /// <inheritdoc/>
    public FuzzInput? Mutate(FuzzInput input, Random r)
    {
        ModelProto m;
        try { m = ModelProto.Parser.ParseFrom(input.Bytes); }
        catch (InvalidProtocolBufferException) { return null; }
        if (m.Graph is null) return null;
        var kind = Kinds[r.Next(Kinds.Length)];
        var what = Apply(kind, m, r);
        return what is null ? null : input.With($"onnx:{what}", m.ToByteArray());
    }

    private static string? Apply(string kind, ModelProto m, Random r)
    {
        var g = m.Graph;
        var t = g.Initializer.Count > 0 ? g.Initializer[r.Next(g.Initializer.Count)] : null;
        var node = g.Node.Count > 0 ? g.Node[r.Next(g.Node.Count)] : null;
        switch (kind)
        {
            case "dims" when t is not null:
                long[] lies = [-1, 0, 1, 1L << 31, 1L << 40, long.MaxValue, long.MinValue];
                if (t.Dims.Count == 0 || r.Next(4) == 0) t.Dims.Add(lies[r.Next(lies.Length)]);
                else t.Dims[r.Next(t.Dims.Count)] = lies[r.Next(lies.Length)];
                return $"dims {t.Name} [{string.Join(",", t.Dims)}]";
            case "dtype" when t is not null:
                t.DataType = r.Next(-2, 30);
                return $"dtype {t.Name} {t.DataType}";
            case "raw" when t is not null:
                var raw = t.RawData.ToByteArray();
                int len = r.Next(3) switch { 0 => r.Next(raw.Length + 1), 1 => raw.Length + 1 + r.Next(64), _ => 0 };
                Array.Resize(ref raw, len);
                t.RawData = ByteString.CopyFrom(raw);
                return $"raw {t.Name} {len} bytes";
            case "typed" when t is not null:
                int n = r.Next(3) == 0 ? 1 << 16 : r.Next(8);
                for (int i = 0; i < n; i++) { if (r.Next(2) == 0) t.FloatData.Add(1f); else t.Int64Data.Add(-1); }
                if (r.Next(2) == 0) t.RawData = ByteString.Empty;
                return $"typed {t.Name} +{n}";
            case "external" when t is not null:
                return External(t, r);
            case "wiring" when node is not null:
                int which = r.Next(4);
                if (which == 0 && node.Input.Count > 0) node.Input[r.Next(node.Input.Count)] = "missing_" + r.Next(100);
                else if (which == 1 && node.Output.Count > 0) node.Output[0] = g.Input.Count > 0 ? g.Input[0].Name : "x";
                else if (which == 2 && g.Node.Count > 1) { var first = g.Node[0]; g.Node.RemoveAt(0); g.Node.Add(first); }
                else g.Output.Add(new ValueInfoProto { Name = "never_made", Type = g.Output.FirstOrDefault()?.Type });
                return $"wiring {which} {node.Name}";
            case "optype" when node is not null:
                string[] ops = ["", "Loop", "If", "Scan", "Reshape", "Resize", "Gather", "ConstantOfShape", "Expand", "Tile", "NoSuchOp", "Conv", "MatMul"];
                node.OpType = ops[r.Next(ops.Length)];
                if (r.Next(3) == 0) node.Domain = r.Next(2) == 0 ? "com.evil" : "ai.onnx.ml";
                return $"optype {node.Name} {node.OpType}";
            case "attr-type" when node is not null:
                node.Attribute.Add(new AttributeProto { Name = "axis", Type = (AttributeProto.Types.AttributeType)r.Next(0, 16), I = r.Next(2) == 0 ? -1 : long.MaxValue });
                return $"attr-type {node.Name}";
            case "attr-huge" when node is not null:
                var a = new AttributeProto { Name = r.Next(2) == 0 ? "pads" : "value", Type = AttributeProto.Types.AttributeType.Ints };
                for (int i = 0; i < 20_000; i++) a.Ints.Add(r.Next(2) == 0 ? long.MaxValue : -1);
                if (r.Next(2) == 0) { a.Type = AttributeProto.Types.AttributeType.Tensor; a.T = new TensorProto { Name = "big", DataType = 1, Dims = { 1L << 20, 1L << 20 } }; }
                node.Attribute.Add(a);
                return $"attr-huge {node.Name} {a.Type}";
            case "nest":
                int depth = r.Next(3) == 0 ? 40 + r.Next(200) : 1 + r.Next(20);
                var inner = new GraphProto { Name = "body" };
                for (int i = 0; i < depth; i++)
                {
                    var ifNode = new NodeProto { OpType = "If", Name = $"if{i}", Output = { $"o{i}" } };
                    ifNode.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = inner });
                    inner = new GraphProto { Name = $"g{i}", Node = { ifNode } };
                }
                g.Node.Add(inner.Node[0]);
                return $"nest {depth}";
            case "value-info":
                var v = g.Input.Concat(g.Output).FirstOrDefault(x => x.Type?.TensorType?.Shape is not null);
                if (v is null) return null;
                var tt = v.Type.TensorType;
                if (r.Next(2) == 0) tt.ElemType = r.Next(-1, 40);
                else if (tt.Shape.Dim.Count > 0) tt.Shape.Dim[r.Next(tt.Shape.Dim.Count)].DimValue = r.Next(2) == 0 ? -7 : long.MaxValue;
                return $"value-info {v.Name}";
            case "versions":
                if (r.Next(2) == 0) m.IrVersion = r.Next(3) switch { 0 => 0, 1 => -1, _ => 99 };
                else if (m.OpsetImport.Count > 0) m.OpsetImport[0].Version = r.Next(3) switch { 0 => 0, 1 => 1, _ => 100_000 };
                else return null;
                return $"versions ir {m.IrVersion} opset {m.OpsetImport.FirstOrDefault()?.Version}";
            case "sparse":
                var s = new SparseTensorProto { Dims = { 4, 4 } };
                s.Values = new TensorProto { Name = "sp", DataType = 1, Dims = { 2 }, FloatData = { 1f, 2f } };
                s.Indices = new TensorProto { Name = "sp_idx", DataType = 7, Dims = { 2 }, Int64Data = { r.Next(2) == 0 ? 3 : 1000, r.Next(2) == 0 ? -1 : 5 } };
                g.SparseInitializer.Add(s);
                return "sparse";
        }
        return null;
    }

    private static string External(TensorProto t, Random r)
    {
        string[] places = ["model.onnx.data", "../model.onnx.data", "/etc/passwd", "C:\\evil.bin", "sub/../../x", "nope.data", ""];
        var location = places[r.Next(places.Length)];
        t.ExternalData.Clear();
        t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        string[] numbers = ["0", "-5", "99999999999", "18446744073709551615", "abc", "64"];
        if (r.Next(2) == 0) t.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = numbers[r.Next(numbers.Length)] });
        if (r.Next(2) == 0) t.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = numbers[r.Next(numbers.Length)] });
        t.DataLocation = TensorProto.Types.DataLocation.External;
        if (r.Next(3) > 0) t.RawData = ByteString.Empty;
        return $"external {t.Name} '{location}'";
    }
}

/// <summary>ONNX seeds: every Zoo-written export of the seed models, plus one whose weights are external data.</summary>
public static class OnnxSeeds
{
    /// <summary>The seeds (the external-data one carries its <c>model.onnx.data</c> companion).</summary>
    public static IEnumerable<FuzzInput> All(SeedLibrary seeds, string scratch)
    {
        foreach (var s in seeds.ZooWritten(".onnx", (g, path) => OnnxExporter.Save(g, path))) yield return s;
        var dir = Directory.CreateDirectory(Path.Combine(scratch, "onnx-external-seed")).FullName;
        var path = Path.Combine(dir, "model.onnx");
        OnnxExporter.Save(WideGraph(), path, new OnnxExportOptions { ExternalDataThreshold = 1 });
        yield return new FuzzInput("zoo:wide-external.onnx", File.ReadAllBytes(path),
            new Dictionary<string, byte[]> { ["model.onnx.data"] = File.ReadAllBytes(path + ".data") });
    }

    /// <summary>A Dense model wide enough (64×32 kernel) that its kernel goes to external data.</summary>
    public static ModelGraph WideGraph()
    {
        const string config = """
            {"class_name": "Sequential", "config": {"name": "wide", "layers": [
              {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 64], "dtype": "float32", "name": "in"}},
              {"class_name": "Dense", "config": {"name": "dense", "units": 32, "activation": "relu", "use_bias": true}}]},
             "keras_version": "2.15.0", "backend": "tensorflow"}
            """;
        var g = ModelConfigCodec.Parse(KerasJson.Parse(config), "wide");
        var dense = g.Layers.First(l => l.Name == "dense");
        dense.Weights.Add(WeightTensor.FromFloat32("dense/kernel:0", [64, 32], Enumerable.Range(0, 64 * 32).Select(i => (i % 13) / 13f).ToArray()));
        dense.Weights.Add(WeightTensor.FromFloat32("dense/bias:0", [32], new float[32]));
        return g;
    }
}
