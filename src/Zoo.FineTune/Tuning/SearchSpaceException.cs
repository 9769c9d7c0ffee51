using Zoo.Formats;

namespace Zoo.FineTune.Tuning;

/// <summary>A search space (or a value in it) that cannot be understood: names the entry, what was expected and what was found.</summary>
public sealed class SearchSpaceException(string message, string? objectPath = null) : ZooException(message, null, objectPath);
