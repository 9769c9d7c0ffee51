namespace Zoo.Formats.Dialects;

/// <summary>
/// Arguments that one side of the Keras 2 / Keras 3 divide writes and the other side's layer
/// constructors refuse (Keras 3's <c>Layer.__init__</c> raises on any unrecognized keyword, and so
/// does tf.keras's). Learned from the <c>__init__</c> signatures in keras/src/layers of Keras 3 and
/// from the configs tf.keras 2.x writes.
/// </summary>
internal static class Keras3Arguments
{
    /// <summary>Marks an argument whose every value is safe to drop (it never did anything).</summary>
    public static readonly object AnyValue = new();

    private static readonly string[] RecurrentClasses = ["LSTM", "GRU", "SimpleRNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"];
    private static readonly string[] SeparableClasses = ["SeparableConv1D", "SeparableConv2D", "DepthwiseConv1D", "DepthwiseConv2D"];
    private static readonly string[] TransposeClasses = ["Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose"];

    /// <summary>
    /// Keras 2 arguments Keras 3 refuses or ignores, per class, with the value that loses nothing when
    /// dropped (<see cref="AnyValue"/>: every value). Any other value is dropped with a note.
    /// </summary>
    public static IReadOnlyList<(string Argument, object? HarmlessValue, string Why)> Keras2Only(string cls)
    {
        var list = new List<(string, object?, string)>();
        if (RecurrentClasses.Contains(cls))
            list.Add(("time_major", false, "Keras 3 RNN layers are always batch-major"));
        if (SeparableClasses.Contains(cls))
        {
            // tf.keras wrote the unused Conv2D kernel_* arguments into separable/depthwise configs.
            list.Add(("kernel_initializer", AnyValue, "unused by separable/depthwise convolutions; Keras 3 does not accept it"));
            list.Add(("kernel_regularizer", AnyValue, "unused by separable/depthwise convolutions; Keras 3 does not accept it"));
            list.Add(("kernel_constraint", AnyValue, "unused by separable/depthwise convolutions; Keras 3 does not accept it"));
        }
        if (TransposeClasses.Contains(cls))
            list.Add(("groups", 1L, "Keras 3 transposed convolutions have no groups"));
        if (cls is "SpatialDropout1D" or "SpatialDropout2D" or "SpatialDropout3D")
        {
            list.Add(("noise_shape", null, "Keras 3 SpatialDropout derives the noise shape from data_format"));
            list.Add(("trainable", true, "Keras 3 SpatialDropout takes only rate, seed, name, dtype (and data_format)"));
        }
        if (cls == "Embedding")
            list.Add(("input_length", null, "Keras 3 Embedding no longer takes input_length (the input shape carries it)"));
        if (cls == "BatchNormalization")
        {
            list.Add(("fused", null, "Keras 3 has no fused switch"));
            list.Add(("virtual_batch_size", null, "Keras 3 BatchNormalization has no ghost batches"));
            list.Add(("adjustment", null, "Keras 3 BatchNormalization has no adjustment callable"));
        }
        return list;
    }

    /// <summary>Keras 3 arguments Keras 2 layers refuse, per class, with the value that loses nothing when dropped.</summary>
    public static IReadOnlyList<(string Argument, object? HarmlessValue, string Why)> Keras3Only(string cls)
    {
        var list = new List<(string, object?, string)>();
        if (cls is "Dense" or "EinsumDense" or "Embedding" || cls.StartsWith("Conv", StringComparison.Ordinal))
        {
            list.Add(("lora_rank", null, "LoRA is Keras 3 only"));
            list.Add(("lora_alpha", null, "LoRA is Keras 3 only"));
            list.Add(("quantization_config", null, "quantization configs are Keras 3 only"));
        }
        if (RecurrentClasses.Contains(cls))
        {
            list.Add(("seed", null, "Keras 2 RNN layers take no dropout seed"));
            list.Add(("use_cudnn", "auto", "Keras 2 chooses cuDNN itself"));
        }
        if (cls == "Attention") list.Add(("seed", null, "Keras 2 Attention takes no dropout seed"));
        if (cls == "BatchNormalization") list.Add(("synchronized", false, "Keras 2 BatchNormalization has no synchronized mode (tf.keras used a separate SyncBatchNormalization)"));
        if (cls == "InputLayer") list.Add(("optional", false, "Keras 2 has no optional inputs"));
        return list;
    }

    /// <summary>Removes the listed arguments from <paramref name="config"/>, noting each drop that loses a non-default value.</summary>
    public static void Drop(string layer, System.Text.Json.Nodes.JsonObject config,
        IEnumerable<(string Argument, object? HarmlessValue, string Why)> table, List<DialectNote> notes)
    {
        foreach (var (arg, harmless, why) in table)
        {
            if (!config.TryGetPropertyValue(arg, out var value)) continue;
            config.Remove(arg);
            if (!IsHarmless(value, harmless))
                notes.Add(new(layer, $"dropped '{arg}' = {value?.ToJsonString() ?? "null"}: {why}"));
        }
    }

    private static bool IsHarmless(System.Text.Json.Nodes.JsonNode? value, object? harmless) => harmless switch
    {
        _ when ReferenceEquals(harmless, AnyValue) => true,
        null => value is null,
        bool b => value is System.Text.Json.Nodes.JsonValue v && v.TryGetValue(out bool x) && x == b,
        long n => value is System.Text.Json.Nodes.JsonValue v && v.TryGetValue(out long x) && x == n,
        string s => KerasObjects.Str(value) == s,
        _ => false,
    };
}
