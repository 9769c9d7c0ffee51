namespace Zoo.Formats.Summary.Rules;

/// <summary>SimpleRNN, LSTM, GRU and their cuDNN variants over (batch, time, features) inputs.</summary>
internal static class RecurrentRules
{
    /// <summary>A recurrent layer with <paramref name="gates"/> gates and <paramref name="states"/> state tensors.</summary>
    public static LayerRule For(int gates, int states, bool cudnn = false) => new(
        (l, c, x) => Shape(c, x[0], states),
        (l, c, x) => Params(c, x[0], gates, cudnn));

    public static IReadOnlyList<TensorShape>? Shape(ConfigView c, TensorShape input, int states)
    {
        if (input.Rank != 3 || c.Long("units", "output_dim") is not long u) return null;
        var output = c.Bool(false, "return_sequences") ? TensorShape.Of(input[0], input[1], u) : TensorShape.Of(input[0], u);
        if (!c.Bool(false, "return_state")) return [output];
        return [output, .. Enumerable.Repeat(TensorShape.Of(input[0], u), states)];
    }

    private static ParamCount? Params(ConfigView c, TensorShape input, int gates, bool cudnn)
    {
        if (input.Rank != 3 || input[2] is not long f || c.Long("units", "output_dim") is not long u) return null;
        long weights = gates * (f * u + u * u);
        // GRU with reset_after (and cuDNN kernels) keeps a second bias for the recurrent kernel.
        bool doubleBias = cudnn || (gates == 3 && c.Bool(false, "reset_after"));
        long bias = c.Bool(true, "use_bias", "bias") ? gates * u * (doubleBias ? 2 : 1) : 0;
        return new ParamCount(weights + bias, 0);
    }
}
