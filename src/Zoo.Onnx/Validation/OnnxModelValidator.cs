using Onnx;
using Zoo.Formats;

namespace Zoo.Onnx.Validation;

/// <summary>
/// The checks <see cref="OnnxModelFile"/> runs on a parsed model: model-level fields, the main graph through
/// <see cref="OnnxChecker"/>, then every graph, node, attribute and tensor reachable from the model (subgraphs,
/// local functions) through <see cref="OnnxTensorRules"/>.
/// </summary>
internal static class OnnxModelValidator
{
    /// <summary>Highest ONNX IR version accepted (ONNX 1.18 writes 11; a little room for newer files).</summary>
    private const long MaxIrVersion = 16;

    public static void Validate(ModelProto model, string file)
    {
        if (model.IrVersion <= 0 || model.IrVersion > MaxIrVersion)
            throw new ModelFormatException($"expected an ONNX IR version from 1 to {MaxIrVersion}, found {model.IrVersion}", file, "ir_version");
        foreach (var o in model.OpsetImport)
            if (o.Version <= 0 || o.Version > 1000)
                throw new ModelFormatException($"expected a positive opset version, found {o.Version} for domain '{o.Domain}'", file, "opset_import");
        if (model.Graph is null) throw new ModelFormatException("expected a graph in the ONNX model, found none", file, "graph");
        var tensors = new OnnxTensorRules(file);
        WalkGraph(model.Graph, "graph", 0, tensors, file);
        foreach (var f in model.Functions)
            WalkNodes(f.Node, $"functions/{f.Domain}.{f.Name}", 0, tensors, file);
        // Structure last: a model whose tensors lie is refused as unsafe before it is called merely malformed.
        var problems = OnnxChecker.Problems(model);
        if (problems.Count > 0)
            throw new ModelFormatException($"expected a well-formed ONNX graph, found: {string.Join("; ", problems.Take(5))}"
                + (problems.Count > 5 ? $" (and {problems.Count - 5} more)" : ""), file, "graph");
    }

    private static void WalkGraph(GraphProto g, string at, int depth, OnnxTensorRules tensors, string file)
    {
        if (depth > OnnxModelFile.MaxGraphDepth)
            throw new UnsafeModelException($"expected subgraphs nested at most {OnnxModelFile.MaxGraphDepth} deep, found deeper", file, at);
        foreach (var v in g.Input.Concat(g.Output).Concat(g.ValueInfo)) CheckValueInfo(v, $"{at}/{v.Name}", file);
        foreach (var t in g.Initializer) tensors.Check(t, $"{at}/initializer/{t.Name}");
        foreach (var s in g.SparseInitializer) tensors.CheckSparse(s, $"{at}/sparse_initializer/{s.Values?.Name}");
        WalkNodes(g.Node, at, depth, tensors, file);
    }

    private static void WalkNodes(IEnumerable<NodeProto> nodes, string at, int depth, OnnxTensorRules tensors, string file)
    {
        int n = 0;
        foreach (var node in nodes)
        {
            var nodeAt = $"{at}/node[{n++}:{node.Name}]";
            foreach (var a in node.Attribute) CheckAttribute(a, $"{nodeAt}/{a.Name}", depth, tensors, file);
        }
    }

    private static void CheckAttribute(AttributeProto a, string at, int depth, OnnxTensorRules tensors, string file)
    {
        // A type whose field is empty (or a field under another type) is how a hostile file confuses a consumer.
        bool consistent = a.Type switch
        {
            AttributeProto.Types.AttributeType.Graph => a.G is not null,
            AttributeProto.Types.AttributeType.Tensor => a.T is not null,
            AttributeProto.Types.AttributeType.SparseTensor => a.SparseTensor is not null,
            AttributeProto.Types.AttributeType.TypeProto => a.Tp is not null,
            AttributeProto.Types.AttributeType.Undefined => string.IsNullOrEmpty(a.RefAttrName) ? false : true,
            _ => true,
        };
        if (!consistent) throw new ModelFormatException($"expected attribute '{a.Name}' of type {a.Type} to hold a value of that type, found none", file, at);
        if (a.T is not null) tensors.Check(a.T, at);
        foreach (var t in a.Tensors) tensors.Check(t, at);
        if (a.SparseTensor is not null) tensors.CheckSparse(a.SparseTensor, at);
        foreach (var s in a.SparseTensors) tensors.CheckSparse(s, at);
        if (a.G is not null) WalkGraph(a.G, at + "/g", depth + 1, tensors, file);
        foreach (var g in a.Graphs) WalkGraph(g, at + "/graphs", depth + 1, tensors, file);
    }

    private static void CheckValueInfo(ValueInfoProto v, string at, string file)
    {
        var tt = v.Type?.TensorType;
        if (tt is null) return;
        if (tt.ElemType != 0 && !OnnxTensorRules.KnownDataType(tt.ElemType))
            throw new ModelFormatException($"expected a known ONNX element type, found {tt.ElemType}", file, at);
        if (tt.Shape is null) return;
        foreach (var d in tt.Shape.Dim)
            if (d.HasDimValue && d.DimValue < 0)
                throw new ModelFormatException($"expected dimensions of 0 or more, found {d.DimValue}", file, at);
    }
}
