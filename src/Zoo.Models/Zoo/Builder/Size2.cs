namespace Zoo.Models.ModelZoo.Builder;

/// <summary>A 2-D size (kernel, stride, pool) written as Keras writes it: <c>3</c> or <c>(1, 7)</c>.</summary>
/// <param name="Rows">Size along the height.</param>
/// <param name="Cols">Size along the width.</param>
public readonly record struct Size2(int Rows, int Cols)
{
    /// <summary>A square size.</summary>
    public static implicit operator Size2(int n) => new(n, n);

    /// <summary>A (rows, cols) size.</summary>
    public static implicit operator Size2((int Rows, int Cols) t) => new(t.Rows, t.Cols);

    internal System.Text.Json.Nodes.JsonArray ToJson() => new(Rows, Cols);

    /// <inheritdoc/>
    public override string ToString() => $"({Rows}, {Cols})";
}

/// <summary>How the builder fills the weights it creates.</summary>
public enum WeightFill
{
    /// <summary>Seeded values from each weight's Keras initializer (Glorot uniform kernels, zero biases, unit BN scale and variance).</summary>
    Initialized,
    /// <summary>No weights at all: the architecture alone (cheap for inspecting or counting 100M-parameter models).</summary>
    None,
}
