namespace Zoo.Formats.Layers;

/// <summary><c>Reshape</c>: target shape without the batch axis; one entry may be −1.</summary>
public sealed record ReshapeSpec(string Name, string ClassName, int[] TargetShape) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec.</summary>
    public static ReshapeSpec Read(LayerConfig c)
        => new(c.Name, c.Node.ClassName, c.IntList("target_shape", "dims") ?? throw c.Bad("target_shape", "a list of integers", null));
}
