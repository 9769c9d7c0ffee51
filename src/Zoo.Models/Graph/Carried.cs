using Zoo.Formats.Layers;
using Zoo.Models.Torch;
using static TorchSharp.torch;

namespace Zoo.Models.Graph;

/// <summary>
/// A tensor the executor carries between layers, with the layout it is in: Keras's, or channels first
/// ((N, C, s₁…s_r) for a Keras (N, s₁…s_r, C) tensor; only tensors of rank ≥ 3 are ever marked so).
/// Conversions are permute views, never copies.
/// </summary>
internal readonly record struct Carried(Tensor Value, bool ChannelsFirst)
{
    /// <summary>A Keras-layout tensor.</summary>
    public static Carried Keras(Tensor t) => new(t, false);

    /// <summary>The tensor in Keras layout.</summary>
    public Tensor ToKeras() => ChannelsFirst ? Layouts.FromChannelsFirst(Value, DataFormat.ChannelsLast) : Value;

    /// <summary>The tensor channels first (tensors of rank ≤ 2 as they are).</summary>
    public Tensor ToChannelsFirst() => ChannelsFirst || Value.dim() < 3 ? Value : Layouts.ToChannelsFirst(Value, DataFormat.ChannelsLast);

    /// <summary>Each tensor in Keras layout.</summary>
    public static Tensor[] ToKeras(Carried[] xs)
    {
        var r = new Tensor[xs.Length];
        for (int i = 0; i < xs.Length; i++) r[i] = xs[i].ToKeras();
        return r;
    }

    /// <summary>Wraps Keras-layout tensors.</summary>
    public static Carried[] Keras(IReadOnlyList<Tensor> ts)
    {
        var r = new Carried[ts.Count];
        for (int i = 0; i < r.Length; i++) r[i] = new(ts[i], false);
        return r;
    }

    /// <summary>
    /// Whether a layer of <paramref name="affinity"/> runs channels first on <paramref name="inputs"/>: always
    /// when it prefers that layout; when it takes either, if some input already is and all share one rank.
    /// </summary>
    public static bool RunChannelsFirst(LayoutAffinity affinity, Carried[] inputs)
    {
        if (affinity == LayoutAffinity.ChannelsFirst) return true;
        if (affinity != LayoutAffinity.Either) return false;
        bool any = false;
        for (int i = 0; i < inputs.Length; i++) any |= inputs[i].ChannelsFirst;
        if (!any || inputs.Length == 1) return any;
        long rank = inputs[0].Value.dim();
        for (int i = 1; i < inputs.Length; i++) if (inputs[i].Value.dim() != rank) return false;
        return true;
    }
}
