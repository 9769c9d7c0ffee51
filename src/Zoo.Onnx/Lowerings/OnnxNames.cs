namespace Zoo.Onnx.Lowerings;

/// <summary>Hands out graph-unique value, node and initializer names derived from Keras layer names.</summary>
internal sealed class OnnxNames
{
    private readonly HashSet<string> taken = new(StringComparer.Ordinal);

    /// <summary>Claims <paramref name="wanted"/>, or <c>wanted_1</c>, <c>wanted_2</c>… when it is taken.</summary>
    public string Claim(string wanted)
    {
        if (taken.Add(wanted)) return wanted;
        for (int i = 1; ; i++)
        {
            var candidate = $"{wanted}_{i}";
            if (taken.Add(candidate)) return candidate;
        }
    }
}
