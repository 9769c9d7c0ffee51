using System.Text;
using Zoo.Formats;
using Zoo.Formats.Weights;

namespace Zoo.Models.Binding;

/// <summary>A weight the architecture expects that was bound to a stored weight.</summary>
/// <param name="Layer">Layer path (<c>outer/inner</c> for nested models).</param>
/// <param name="Weight">The Keras name the layer expects (<c>kernel</c>).</param>
/// <param name="StoredName">The name as stored (<c>dense_1/kernel:0</c>).</param>
/// <param name="Shape">The shape both agree on.</param>
/// <param name="ByPosition">True when names were unusable and the weight was bound by its place (position, or Keras 3 <c>vars/N</c> index).</param>
public sealed record MatchedWeight(string Layer, string Weight, string StoredName, long[] Shape, bool ByPosition);

/// <summary>A weight the architecture expects that no stored weight provides.</summary>
public sealed record MissingWeight(string Layer, string Weight, long[] Shape);

/// <summary>A stored weight nothing in the architecture asks for.</summary>
public sealed record UnexpectedWeight(string Layer, string StoredName, long[] Shape);

/// <summary>A stored weight whose name fits but whose shape does not.</summary>
public sealed record ShapeMismatch(string Layer, string Weight, string StoredName, long[] Expected, long[] Found);

/// <summary>
/// What binding the file's weights onto the architecture found, with names: matched, missing,
/// unexpected and shape-mismatched weights, and what was bound by position rather than by name, with the
/// reason. Strict loading throws when it is not <see cref="IsComplete"/>.
/// </summary>
public sealed class BindingReport
{
    /// <summary>Weights bound.</summary>
    public List<MatchedWeight> Matched { get; } = new();
    /// <summary>Expected weights not found.</summary>
    public List<MissingWeight> Missing { get; } = new();
    /// <summary>Stored weights nobody asked for.</summary>
    public List<UnexpectedWeight> Unexpected { get; } = new();
    /// <summary>Weights whose shapes disagree.</summary>
    public List<ShapeMismatch> ShapeMismatched { get; } = new();
    /// <summary>Layers paired with a stored layer of another name (Keras's order among the layers that carry weights).</summary>
    public List<PositionalBinding> PositionalLayers { get; } = new();
    /// <summary>Layers whose weights were bound by position within the layer (Keras 1-era names, names that match nothing).</summary>
    public List<PositionalBinding> PositionalWeights { get; } = new();

    /// <summary>True when every expected weight was bound and nothing was left over.</summary>
    public bool IsComplete => Missing.Count == 0 && Unexpected.Count == 0 && ShapeMismatched.Count == 0;

    /// <summary>Adds another report's entries (a nested model's).</summary>
    public void Add(BindingReport other)
    {
        Matched.AddRange(other.Matched);
        Missing.AddRange(other.Missing);
        Unexpected.AddRange(other.Unexpected);
        ShapeMismatched.AddRange(other.ShapeMismatched);
        PositionalLayers.AddRange(other.PositionalLayers);
        PositionalWeights.AddRange(other.PositionalWeights);
    }

    /// <summary>One sentence per reason for everything bound by position (empty when everything bound by name).</summary>
    public IReadOnlyList<string> DescribePositional() => PositionalBinding.Summarize(PositionalLayers.Concat(PositionalWeights));

    /// <summary>Throws a <see cref="WeightMismatchException"/> describing every problem when the binding is incomplete.</summary>
    public void ThrowIfIncomplete(string? file)
    {
        if (IsComplete) return;
        string first = ShapeMismatched.Count > 0 ? ShapeMismatched[0].Layer : Missing.Count > 0 ? Missing[0].Layer : Unexpected[0].Layer;
        string weight = ShapeMismatched.Count > 0 ? ShapeMismatched[0].Weight : Missing.Count > 0 ? Missing[0].Weight : Unexpected[0].StoredName;
        throw new WeightMismatchException(first, weight, "every weight of the architecture bound exactly once", Describe(), file);
    }

    /// <summary>A readable list of every problem (or "complete").</summary>
    public string Describe()
    {
        if (IsComplete)
            return string.Join("; ", DescribePositional().Prepend($"complete: {Matched.Count} weights bound"));
        var sb = new StringBuilder();
        foreach (var m in ShapeMismatched)
            sb.Append($"layer '{m.Layer}': weight '{m.Weight}' ('{m.StoredName}') has shape {S(m.Found)}, expected {S(m.Expected)}; ");
        foreach (var m in Missing) sb.Append($"layer '{m.Layer}': weight '{m.Weight}' {S(m.Shape)} is missing; ");
        foreach (var u in Unexpected) sb.Append($"layer '{u.Layer}': stored weight '{u.StoredName}' {S(u.Shape)} is unexpected; ");
        // Where names were not used, saying so explains a mismatch (a file for an older layout of the same model).
        foreach (var p in DescribePositional()) sb.Append($"note: {p}; ");
        return sb.ToString().TrimEnd(' ', ';');
    }

    private static string S(long[] shape) => "[" + string.Join(",", shape) + "]";
}
