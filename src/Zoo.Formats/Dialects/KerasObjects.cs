using System.Text.Json.Nodes;

namespace Zoo.Formats.Dialects;

/// <summary>
/// Shapes of serialized Keras objects (<c>{"class_name", "config"}</c>) in each dialect: the Keras 3
/// <c>module</c>/<c>registered_name</c> envelope, dtype policies, and which module a config key's
/// object lives in.
/// </summary>
internal static class KerasObjects
{
    /// <summary>True for <c>{"class_name": ..., "config": ...}</c>.</summary>
    public static bool IsSerialized(JsonNode? node, out JsonObject obj)
    {
        obj = node as JsonObject ?? new JsonObject();
        return node is JsonObject o && o["class_name"] is JsonValue v && v.TryGetValue(out string? _) && o.ContainsKey("config");
    }

    /// <summary>The <c>class_name</c> of a serialized object; null when absent.</summary>
    public static string? ClassName(JsonObject obj) => obj["class_name"] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    /// <summary>
    /// Rebuilds <paramref name="obj"/> in Keras 3 member order with <c>module</c> and <c>registered_name</c>
    /// (kept when already there, <paramref name="module"/> and null otherwise).
    /// </summary>
    public static void AddEnvelope(JsonObject obj, string module)
    {
        var members = obj.ToList();
        obj.Clear();
        var moduleValue = members.FirstOrDefault(m => m.Key == "module").Value?.DeepClone() ?? JsonValue.Create(module);
        obj["module"] = moduleValue;
        foreach (var (k, v) in members)
            if (k is "class_name" or "config") obj[k] = v?.DeepClone();
        foreach (var (k, v) in members)
            if (k is not ("module" or "class_name" or "config" or "registered_name")) obj[k] = v?.DeepClone();
        obj["registered_name"] = members.FirstOrDefault(m => m.Key == "registered_name").Value?.DeepClone();
    }

    /// <summary>
    /// Removes the Keras 3 envelope when it names a built-in Keras object (module <c>keras…</c>,
    /// no registered name), so the result reads as Keras 2; custom objects keep theirs, which Keras 2
    /// ignores and a later translation back to Keras 3 needs.
    /// </summary>
    public static void StripBuiltinEnvelope(JsonObject obj, string? className = null)
    {
        className ??= ClassName(obj);
        bool builtin = obj["module"] is JsonValue m && m.TryGetValue(out string? module) && (module == "keras" || module.StartsWith("keras.", StringComparison.Ordinal))
                       && (obj["registered_name"] is null || Str(obj["registered_name"]) == className);
        if (!builtin) return;
        obj.Remove("module");
        obj.Remove("registered_name");
    }

    /// <summary>The Keras 3 module of the object held under config key <paramref name="key"/>; null when not an object key.</summary>
    public static string? ModuleForKey(string key)
    {
        if (key.EndsWith("_initializer", StringComparison.Ordinal)) return "keras.initializers";
        if (key.EndsWith("_regularizer", StringComparison.Ordinal)) return "keras.regularizers";
        if (key.EndsWith("_constraint", StringComparison.Ordinal)) return "keras.constraints";
        return null;
    }

    /// <summary>A Keras 3 dtype policy object for policy name <paramref name="name"/> (<c>float32</c>, <c>mixed_float16</c>).</summary>
    public static JsonObject PolicyObject(string name) => new()
    {
        ["module"] = "keras",
        ["class_name"] = "DTypePolicy",
        ["config"] = new JsonObject { ["name"] = name },
        ["registered_name"] = null,
    };

    /// <summary>
    /// The policy name a dtype value stands for: a plain string, a Keras 3 <c>DTypePolicy</c> /
    /// <c>FloatDTypePolicy</c>, or tf.keras's <c>{"class_name": "Policy"}</c>; null when it is none of them.
    /// </summary>
    public static string? PolicyName(JsonNode? dtype)
    {
        if (dtype is JsonValue v && v.TryGetValue(out string? s)) return s;
        if (dtype is JsonObject o && o["config"] is JsonObject c && c["name"] is JsonValue n && n.TryGetValue(out string? name)) return name;
        return null;
    }

    /// <summary>True for a Keras 3 dtype policy object.</summary>
    public static bool IsKeras3Policy(JsonNode? dtype)
        => dtype is JsonObject o && ClassName(o) is "DTypePolicy" or "FloatDTypePolicy" or "QuantizedDTypePolicy" or "QuantizedFloat8DTypePolicy" or "DTypePolicyMap";

    /// <summary>The string value of <paramref name="node"/>, or null.</summary>
    public static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    /// <summary>Moves <paramref name="from"/> to <paramref name="to"/> in place of the old member, keeping member order.</summary>
    public static void Rename(JsonObject obj, string from, string to)
    {
        if (!obj.ContainsKey(from)) return;
        var members = obj.ToList();
        obj.Clear();
        foreach (var (k, v) in members)
        {
            if (k == to) continue;
            obj[k == from ? to : k] = v?.DeepClone();
        }
    }
}
