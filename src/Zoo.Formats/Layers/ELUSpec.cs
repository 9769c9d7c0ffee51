namespace Zoo.Formats.Layers;

/// <summary><c>ELU</c>: x for x &gt; 0, α·(eˣ − 1) otherwise (α default 1).</summary>
public sealed record ELUSpec(string Name, string ClassName, double Alpha) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec.</summary>
    public static ELUSpec Read(LayerConfig c) => new(c.Name, c.Node.ClassName, c.Double(1.0, "alpha"));
}
