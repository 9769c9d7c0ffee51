using Zoo.Formats.Layers;

namespace Zoo.Onnx.Lowerings;

/// <summary>Dense, Embedding, Rescaling and the inference-time identities (Dropout family, noise, ActivityRegularization).</summary>
internal static class CoreOnnx
{
    /// <summary><c>Dense</c>: MatMul over the last axis (any rank, so TimeDistributed(Dense) needs nothing more), bias, activation.</summary>
    public static IReadOnlyList<string> Dense(OnnxLayerContext c)
    {
        var s = (DenseSpec)c.Spec;
        var specs = c.WeightSpecs;
        var y = c.Op("MatMul", new[] { c.X, c.Init("kernel", specs[0].Shape, c.Weights[0]) });
        if (s.UseBias) y = c.Op("Add", new[] { y, c.Init("bias", specs[1].Shape, c.Weights[1]) });
        return new[] { ActivationOnnx.Apply(c, y, s.Activation) };
    }

    /// <summary><c>Embedding</c>: ids (fed as float like every input) are cast to int64 and gathered.</summary>
    public static IReadOnlyList<string> Embedding(OnnxLayerContext c)
    {
        var s = (EmbeddingSpec)c.Spec;
        // Keras carries the mask to later layers (RNNs skip masked steps); an ONNX graph has no mask to carry.
        if (s.MaskZero) throw c.Unsupported("mask_zero=True needs Keras mask propagation, which ONNX graphs cannot express");
        var table = c.Init("embeddings", new long[] { s.InputDim, s.OutputDim }, c.Weights[0]);
        var ids = c.Op("Cast", c.X, ("to", 7 /* INT64 */));
        return new[] { c.Op("Gather", new[] { table, ids }, ("axis", 0)) };
    }

    /// <summary><c>Rescaling</c>: x·scale + offset (per-channel lists broadcast on the last axis).</summary>
    public static IReadOnlyList<string> Rescaling(OnnxLayerContext c)
    {
        var s = (RescalingSpec)c.Spec;
        var scale = c.Init("scale", s.Scale.Length == 1 ? Array.Empty<long>() : new long[] { s.Scale.Length }, s.Scale.Select(v => (float)v).ToArray());
        var offset = c.Init("offset", s.Offset.Length == 1 ? Array.Empty<long>() : new long[] { s.Offset.Length }, s.Offset.Select(v => (float)v).ToArray());
        return new[] { c.Op("Add", new[] { c.Op("Mul", new[] { c.X, scale }), offset }) };
    }

    /// <summary>Dropout and friends: nothing at inference; an Identity node only when identities are kept.</summary>
    public static IReadOnlyList<string> Identity(OnnxLayerContext c)
        => new[] { c.Options.DropIdentities ? c.X : c.Op("Identity", c.X) };
}
