using System.Text.Json.Nodes;

namespace Zoo.Formats.Layers;

/// <summary>
/// A layer Zoo has no spec for (a user's custom class or a <c>Lambda</c>), handed verbatim to the C#
/// implementation the user registered for it.
/// </summary>
public sealed record CustomLayerSpec(string Name, string ClassName, JsonObject Config) : LayerSpec(Name, ClassName);
