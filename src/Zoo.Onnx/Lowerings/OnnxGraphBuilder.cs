using Google.Protobuf;
using Onnx;
using Zoo.Formats;
using Zoo.Formats.Ir;

namespace Zoo.Onnx.Lowerings;

/// <summary>
/// Appends nodes and initializers to an ONNX <see cref="GraphProto"/> in topological order, naming every
/// value, node and initializer uniquely after the Keras layer that asked for it.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly OnnxNames values = new();
    private readonly OnnxNames nodes = new();

    /// <summary>The graph being built.</summary>
    public GraphProto Graph { get; } = new();

    /// <summary>Total bytes of the initializers added so far.</summary>
    public long InitializerBytes { get; private set; }

    /// <summary>Claims a graph-unique value name.</summary>
    public string Value(string wanted) => values.Claim(wanted);

    /// <summary>Adds one node with a single output named <c>scope/op</c>; returns that output.</summary>
    public string Op(string op, string scope, IReadOnlyList<string> inputs, params (string Name, object Value)[] attributes)
        => Node(op, scope, inputs, 1, attributes)[0];

    /// <summary>Adds one node with <paramref name="outputs"/> outputs; an empty input name stands for an omitted optional input.</summary>
    public string[] Node(string op, string scope, IReadOnlyList<string> inputs, int outputs, params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = nodes.Claim($"{scope}/{op}") };
        node.Input.AddRange(inputs);
        var outs = Enumerable.Range(0, outputs).Select(i => values.Claim(outputs == 1 ? $"{scope}/{op}" : $"{scope}/{op}:{i}")).ToArray();
        node.Output.AddRange(outs);
        foreach (var (name, value) in attributes) node.Attribute.Add(Attribute(name, value));
        Graph.Node.Add(node);
        return outs;
    }

    /// <summary>Adds a float32 initializer named <paramref name="name"/> (made unique); returns its name.</summary>
    public string Floats(string name, long[] dims, float[] data)
    {
        if (WeightTensor.ElementCount(dims) != data.LongLength)
            throw new ModelFormatException($"initializer '{name}': shape [{string.Join(",", dims)}] needs {WeightTensor.ElementCount(dims)} values, found {data.LongLength}");
        var t = new TensorProto { Name = values.Claim(name), DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(dims);
        t.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
        InitializerBytes += t.RawData.Length;
        Graph.Initializer.Add(t);
        return t.Name;
    }

    /// <summary>Adds an int64 initializer (shapes, axes, indices); returns its name.</summary>
    public string Int64s(string name, long[] data, long[]? dims = null)
    {
        var t = new TensorProto { Name = values.Claim(name), DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.AddRange(dims ?? new[] { (long)data.Length });
        t.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
        Graph.Initializer.Add(t);
        return t.Name;
    }

    /// <summary>Adds a float32 scalar initializer.</summary>
    public string Scalar(string name, float value) => Floats(name, Array.Empty<long>(), new[] { value });

    private static AttributeProto Attribute(string name, object value)
    {
        var a = new AttributeProto { Name = name };
        switch (value)
        {
            case int i: a.Type = AttributeProto.Types.AttributeType.Int; a.I = i; break;
            case long l: a.Type = AttributeProto.Types.AttributeType.Int; a.I = l; break;
            case float f: a.Type = AttributeProto.Types.AttributeType.Float; a.F = f; break;
            case double d: a.Type = AttributeProto.Types.AttributeType.Float; a.F = (float)d; break;
            case string s: a.Type = AttributeProto.Types.AttributeType.String; a.S = ByteString.CopyFromUtf8(s); break;
            case int[] ints: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(ints.Select(x => (long)x)); break;
            case long[] longs: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(longs); break;
            case float[] floats: a.Type = AttributeProto.Types.AttributeType.Floats; a.Floats.AddRange(floats); break;
            case string[] strings: a.Type = AttributeProto.Types.AttributeType.Strings; a.Strings.AddRange(strings.Select(ByteString.CopyFromUtf8)); break;
            default: throw new ArgumentException($"attribute '{name}': unsupported value type {value.GetType().Name}", nameof(value));
        }
        return a;
    }
}
