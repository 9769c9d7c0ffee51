using System.Text.Json.Nodes;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Dialects;

/// <summary>
/// The one place that decides which Keras generation wrote a model config: from its content first
/// (names and shapes only one generation writes), the recorded Keras version as a tiebreaker.
/// </summary>
public static class KerasDialect
{
    /// <summary>
    /// The dialect of <paramref name="modelConfig"/> (a <c>{"class_name", "config"}</c> object, or a bare
    /// Sequential layer list); <paramref name="kerasVersion"/> (e.g. "2.2.4-tf", "3.7.0") decides when the
    /// content does not.
    /// </summary>
    public static KerasDialectKind Detect(JsonNode modelConfig, string? kerasVersion)
    {
        ArgumentNullException.ThrowIfNull(modelConfig);
        var evidence = new Evidence();
        Scan(modelConfig, evidence, key: null);
        if (evidence.Keras3) return KerasDialectKind.Keras3;
        if (evidence.Keras1) return KerasDialectKind.Keras1;
        if (MajorVersion(kerasVersion) is { } major)
            return major switch { <= 1 => KerasDialectKind.Keras1, 2 => KerasDialectKind.Keras2, _ => KerasDialectKind.Keras3 };
        // tf.keras 2.13+ also writes the envelope, but without a version the newer reading is the likelier one.
        return evidence.Envelope ? KerasDialectKind.Keras3 : KerasDialectKind.Keras2;
    }

    private sealed class Evidence
    {
        public bool Keras3;
        public bool Keras1;
        public bool Envelope;
    }

    private static void Scan(JsonNode? node, Evidence e, string? key)
    {
        switch (node)
        {
            case JsonObject o:
                var cls = KerasObjects.Str(o["class_name"]);
                if (cls is "__keras_tensor__") e.Keras3 = true;
                if (key == "dtype" && KerasObjects.IsKeras3Policy(o)) e.Keras3 = true;
                if (o.ContainsKey("registered_name") || o.ContainsKey("module")) e.Envelope = true;
                if (cls is not null && Keras1LayerNames.Keras1OnlyClasses.Contains(cls)) e.Keras1 = true;
                if (cls is not null && o["config"] is JsonObject cfg)
                {
                    if (cls == "InputLayer" && cfg.ContainsKey("batch_shape")) e.Keras3 = true;
                    if (cfg.Any(kv => Keras1LayerNames.Keras1OnlyKeys.Contains(kv.Key))) e.Keras1 = true;
                }
                foreach (var (k, v) in o) Scan(v, e, k);
                // Keras 3 writes calls as {"args": [...], "kwargs": {...}}; earlier Keras as nested lists.
                if (o["inbound_nodes"] is JsonArray nodes && nodes.Any(n => n is JsonObject no && no.ContainsKey("args"))) e.Keras3 = true;
                break;
            case JsonArray a:
                foreach (var v in a) Scan(v, e, key);
                break;
        }
    }

    private static int? MajorVersion(string? version)
    {
        if (string.IsNullOrWhiteSpace(version)) return null;
        var digits = new string(version.Trim().TakeWhile(char.IsAsciiDigit).ToArray());
        return int.TryParse(digits, out var major) ? major : null;
    }
}
