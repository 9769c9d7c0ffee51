using Zoo.Formats;
using Zoo.Formats.Layers;
using Zoo.Formats.Summary;

namespace Zoo.Onnx.Lowerings;

/// <summary>
/// Bidirectional (two one-direction recurrent ops; the backward one reads the reversed sequence and its
/// sequence output is reversed back before merging) and TimeDistributed (Dense directly, other layers on
/// the batch·time fold).
/// </summary>
internal static class WrapperOnnx
{
    /// <summary><c>Bidirectional</c> with concat/sum/mul/ave/None merge; states follow as forward then backward.</summary>
    public static IReadOnlyList<string> Bidirectional(OnnxLayerContext c)
    {
        var s = (BidirectionalSpec)c.Spec;
        if (c.Inputs.Count != 1) throw c.Unsupported("initial states are not supported");
        var shape = new[] { OnnxLayerContext.ConcreteShape(c.XShape) };
        int n = s.Forward.Weights(shape).Count;
        var all = c.Weights;
        var fwd = Lower(c.Inner(s.Forward, c.Scope + "/forward", c.Inputs, c.InputShapes, all[..n]));
        var reversed = RecurrentOnnx.Reverse(c, c.X);
        var bwd = Lower(c.Inner(s.Backward, c.Scope + "/backward", new[] { reversed }, c.InputShapes, all[n..]));
        bool sequences = Options(s.Forward).ReturnSequences;
        var b0 = sequences ? RecurrentOnnx.Reverse(c, bwd[0]) : bwd[0];
        var merged = s.Merge switch
        {
            BidirectionalMerge.Concat => new[] { c.Op("Concat", new[] { fwd[0], b0 }, ("axis", -1)) },
            BidirectionalMerge.Sum => new[] { c.Op("Add", new[] { fwd[0], b0 }) },
            BidirectionalMerge.Mul => new[] { c.Op("Mul", new[] { fwd[0], b0 }) },
            BidirectionalMerge.Ave => new[] { c.Op("Mul", new[] { c.Op("Add", new[] { fwd[0], b0 }), c.Scalar("half", 0.5) }) },
            _ => new[] { fwd[0], b0 },
        };
        return merged.Concat(fwd.Skip(1)).Concat(bwd.Skip(1)).ToArray();
    }

    /// <summary><c>TimeDistributed(layer)</c>.</summary>
    public static IReadOnlyList<string> TimeDistributed(OnnxLayerContext c)
    {
        var s = (TimeDistributedSpec)c.Spec;
        var xs = c.XShape ?? throw c.Unsupported("its input shape is unknown");
        var stepShape = new TensorShape(new long?[] { null }.Concat(xs.Dims.Skip(2)));
        var weights = c.Weights;
        if (s.Inner is DenseSpec)
            return OnnxLowerings.Lower(c.Inner(s.Inner, c.Scope, c.Inputs, new[] { xs }, weights));
        if (xs.Dims.Skip(2).Any(d => d is null)) throw c.Unsupported("a per-step shape with unknown sizes");
        var folded = c.Op("Reshape", new[] { c.X, c.Ints("fold", new long[] { -1 }.Concat(xs.Dims.Skip(2).Select(d => d!.Value)).ToArray()) });
        var y = OnnxLowerings.Lower(c.Inner(s.Inner, c.Scope, new[] { folded }, new[] { stepShape }, weights));
        if (y.Count != 1) throw c.Unsupported("inner layers with several outputs");
        var outShape = c.OutputShapes?.FirstOrDefault() ?? throw c.Unsupported("its output shape is unknown");
        if (outShape.Dims.Skip(2).Any(d => d is null)) throw c.Unsupported("a per-step output shape with unknown sizes");
        var bt = c.Op("Slice", new[] { c.Op("Shape", c.X), c.Ints("bt_start", 0), c.Ints("bt_end", 2) });
        var target = c.Op("Concat", new[] { bt, c.Ints("step_shape", outShape.Dims.Skip(2).Select(d => d!.Value).ToArray()) }, ("axis", 0));
        return new[] { c.Op("Reshape", new[] { y[0], target }) };
    }

    private static IReadOnlyList<string> Lower(OnnxLayerContext inner) => OnnxLowerings.Lower(inner);

    private static RecurrentOptions Options(LayerSpec spec) => spec switch
    {
        LSTMSpec l => l.Options,
        GRUSpec g => g.Options,
        SimpleRNNSpec r => r.Options,
        _ => throw new UnsupportedFeatureException($"layer '{spec.Name}' ({spec.ClassName}): Bidirectional wraps only LSTM, GRU or SimpleRNN"),
    };
}
