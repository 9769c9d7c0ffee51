using static TorchSharp.torch;

namespace Zoo.Models.Graph;

/// <summary>
/// How many live places of one run hold each tensor object. Layers may hand back the very tensor they were given
/// (identities, masks that flow on), so a step's outputs are disposed only when no other live value is that tensor;
/// pinned tensors (the caller's inputs) are never disposed.
/// </summary>
internal sealed class TensorRefCounts
{
    private readonly Dictionary<Tensor, int> counts = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Tensor> pinned = new(ReferenceEqualityComparer.Instance);

    /// <summary>Marks <paramref name="t"/> as owned by the caller.</summary>
    public void Pin(Tensor? t)
    {
        if (t is not null) pinned.Add(t);
    }

    /// <summary>One more live place holds <paramref name="t"/>.</summary>
    public void Hold(Tensor? t)
    {
        if (t is null) return;
        counts[t] = counts.GetValueOrDefault(t) + 1;
    }

    /// <summary>One place let go of <paramref name="t"/>; the last one disposes it unless it is pinned.</summary>
    public void Release(Tensor? t)
    {
        if (t is null || !counts.TryGetValue(t, out int n)) return;
        if (n > 1) { counts[t] = n - 1; return; }
        counts.Remove(t);
        if (!pinned.Contains(t)) t.Dispose();
    }
}
