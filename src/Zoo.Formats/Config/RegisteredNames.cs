using System.Text.Json.Nodes;

namespace Zoo.Formats.Config;

/// <summary>
/// Custom objects registered with Keras (<c>register_keras_serializable(package="Zoo")</c>) are written by
/// tf.keras with their registered name as <c>class_name</c> (<c>"Zoo&gt;OnlineNormalization"</c>) and by Keras 3
/// as the plain class name with the registered name beside it
/// (<c>{"module": …, "class_name": "OnlineNormalization", "registered_name": "Zoo&gt;OnlineNormalization"}</c>).
/// The IR always holds the registered name, so one registry entry serves both dialects.
/// </summary>
internal static class RegisteredNames
{
    /// <summary>Python module Zoo writes for its own layers (Keras looks the class up by registered name first).</summary>
    public const string ZooModule = "zoo.layers";

    /// <summary>
    /// The package prefix this applies to. Only Zoo's own: other packages' objects (QKeras's <c>qkeras&gt;QDense</c>)
    /// stay under their plain class name, which the <c>.keras</c> object paths are derived from.
    /// </summary>
    public const string ZooPrefix = "Zoo>";

    /// <summary>
    /// The IR class name of an entry: the registered name when it is <c>Zoo&gt;Name</c> and
    /// <paramref name="className"/> is its Name; otherwise <paramref name="className"/>.
    /// </summary>
    public static string ForIr(string className, JsonNode? registeredName)
        => registeredName is JsonValue v && v.TryGetValue(out string? r) && r is not null
           && r.StartsWith(ZooPrefix, StringComparison.Ordinal) && r[ZooPrefix.Length..] == className
            ? r
            : className;

    /// <summary>
    /// The <c>class_name</c> Keras 3 writes for a layer the IR holds as <paramref name="className"/>: the part
    /// after <c>Zoo&gt;</c> when the entry's registered name is that same <c>Zoo&gt;Name</c>.
    /// </summary>
    public static string ForKeras3(string className, JsonNode? registeredName)
        => className.StartsWith(ZooPrefix, StringComparison.Ordinal) && registeredName is JsonValue v && v.TryGetValue(out string? r) && r == className
            ? className[ZooPrefix.Length..]
            : className;
}
