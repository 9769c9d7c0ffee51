namespace Zoo.Formats.Layers;

/// <summary><c>Permute</c>: a permutation of the non-batch axes, 1-based as Keras writes it.</summary>
public sealed record PermuteSpec(string Name, string ClassName, int[] Dims) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec and checks it is a permutation of 1..n.</summary>
    public static PermuteSpec Read(LayerConfig c)
    {
        var dims = c.IntList("dims") ?? throw c.Bad("dims", "a list of integers", null);
        if (!dims.OrderBy(d => d).SequenceEqual(Enumerable.Range(1, dims.Length)))
            throw c.Bad("dims", $"a permutation of 1..{dims.Length}", c.Find("dims"));
        return new(c.Name, c.Node.ClassName, dims);
    }
}
