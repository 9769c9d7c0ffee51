using Onnx;
using Zoo.Formats;

namespace Zoo.Onnx.Validation;

/// <summary>
/// The ONNX checker's structural rules that need no operator schemas: an IR version and a default-domain
/// opset import; unique node names; every value produced once (SSA) and never shadowing an input or
/// initializer; nodes in topological order (each input is a graph input, an initializer or an earlier
/// output; "" marks an omitted optional input); graph inputs/outputs typed; every graph output produced.
/// </summary>
internal static class OnnxChecker
{
    /// <summary>Returns every rule <paramref name="model"/> breaks (empty when it is well formed).</summary>
    public static IReadOnlyList<string> Problems(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var problems = new List<string>();
        if (model.IrVersion <= 0) problems.Add("ir_version is not set");
        if (!model.OpsetImport.Any(o => o.Domain is "" or "ai.onnx")) problems.Add("no opset import for the default domain");
        var g = model.Graph;
        if (g is null) { problems.Add("the model has no graph"); return problems; }

        var defined = new HashSet<string>(StringComparer.Ordinal);
        foreach (var i in g.Input)
        {
            if (!defined.Add(i.Name)) problems.Add($"graph input '{i.Name}' is declared twice");
            if (i.Type?.TensorType is null) problems.Add($"graph input '{i.Name}' has no tensor type");
        }
        foreach (var t in g.Initializer)
        {
            if (string.IsNullOrEmpty(t.Name)) problems.Add("an initializer has no name");
            else if (!defined.Add(t.Name) && !g.Input.Any(i => i.Name == t.Name)) problems.Add($"initializer '{t.Name}' is defined twice");
            if (t.DataType == 0) problems.Add($"initializer '{t.Name}' has no data type");
        }
        var nodeNames = new HashSet<string>(StringComparer.Ordinal);
        for (int n = 0; n < g.Node.Count; n++)
        {
            var node = g.Node[n];
            if (string.IsNullOrEmpty(node.OpType)) problems.Add($"node {n} has no op_type");
            if (!string.IsNullOrEmpty(node.Name) && !nodeNames.Add(node.Name)) problems.Add($"node name '{node.Name}' is used twice");
            foreach (var input in node.Input)
                if (input.Length > 0 && !defined.Contains(input))
                    problems.Add($"node '{node.Name}' ({node.OpType}) reads '{input}', which is not defined before it (graph not in topological order or value missing)");
            foreach (var output in node.Output)
                if (output.Length > 0 && !defined.Add(output)) problems.Add($"value '{output}' is produced twice (node '{node.Name}')");
        }
        foreach (var o in g.Output)
        {
            if (!defined.Contains(o.Name)) problems.Add($"graph output '{o.Name}' is never produced");
            if (o.Type?.TensorType is null) problems.Add($"graph output '{o.Name}' has no tensor type");
        }
        return problems;
    }

    /// <summary>Throws <see cref="ModelFormatException"/> listing the broken rules, if any.</summary>
    public static void Check(ModelProto model, string? file = null)
    {
        var problems = Problems(model);
        if (problems.Count > 0)
            throw new ModelFormatException($"ONNX model '{model.Graph?.Name}' breaks the ONNX checker's rules: {string.Join("; ", problems.Take(10))}"
                + (problems.Count > 10 ? $" (and {problems.Count - 10} more)" : ""), file);
    }
}
