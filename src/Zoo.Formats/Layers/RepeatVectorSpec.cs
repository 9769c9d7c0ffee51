namespace Zoo.Formats.Layers;

/// <summary><c>RepeatVector</c>: (batch, d) → (batch, n, d).</summary>
public sealed record RepeatVectorSpec(string Name, string ClassName, int N) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec.</summary>
    public static RepeatVectorSpec Read(LayerConfig c) => new(c.Name, c.Node.ClassName, c.Int(null, "n"));
}
