using System.Text.Json.Nodes;

namespace Zoo.Models.ModelZoo.Builder;

/// <summary>
/// The Keras initializers the zoo uses: their tf.keras 2.15 config objects, and seeded values with the
/// same distributions (Keras's own random streams are not reproduced: values differ, statistics do not).
/// </summary>
internal static class Initializers
{
    /// <summary>The config of initializer <paramref name="className"/> with <paramref name="config"/> as tf.keras 2.15 serializes it.</summary>
    public static JsonObject Config(string className, JsonObject? config = null) => new()
    {
        ["module"] = "keras.initializers",
        ["class_name"] = className,
        ["config"] = config ?? new JsonObject(),
        ["registered_name"] = null,
    };

    /// <summary><c>GlorotUniform(seed=None)</c>.</summary>
    public static JsonObject GlorotUniform() => Config("GlorotUniform", new JsonObject { ["seed"] = null });

    /// <summary>Fills <paramref name="values"/> from U(−l, l) with l = √(6 / (fan_in + fan_out)), fans computed as Keras does for a kernel of <paramref name="shape"/>.</summary>
    public static void FillGlorotUniform(Span<float> values, long[] shape, ref ulong state)
    {
        var (fanIn, fanOut) = Fans(shape);
        double limit = Math.Sqrt(6.0 / Math.Max(1.0, fanIn + fanOut));
        for (int i = 0; i < values.Length; i++)
            values[i] = (float)((NextUnit(ref state) * 2 - 1) * limit);
    }

    /// <summary>Keras's <c>_compute_fans</c>: the receptive field multiplies the last two dimensions.</summary>
    public static (double FanIn, double FanOut) Fans(long[] shape)
    {
        if (shape.Length == 0) return (1, 1);
        if (shape.Length == 1) return (shape[0], shape[0]);
        if (shape.Length == 2) return (shape[0], shape[1]);
        double receptive = 1;
        for (int i = 0; i < shape.Length - 2; i++) receptive *= shape[i];
        return (shape[^2] * receptive, shape[^1] * receptive);
    }

    /// <summary>SplitMix64 step mapped to [0, 1): fast, seedable and identical on every platform.</summary>
    private static double NextUnit(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
