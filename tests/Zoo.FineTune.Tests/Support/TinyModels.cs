using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using Zoo.Models.ModelZoo.Builder;

namespace Zoo.FineTune.Tests.Support;

/// <summary>Small Keras-2 graphs built with the zoo's builder, fast enough to train in a test.</summary>
internal static class TinyModels
{
    /// <summary>
    /// A three-stage CNN on 16×16×1 images: (conv, BN, relu, pool) ×2, (conv, BN, relu), then global average
    /// pooling and a softmax Dense of <paramref name="classes"/>; optionally a Dropout after the first stage.
    /// </summary>
    public static ModelGraph Cnn(int classes = 2, int seed = 1, bool flattenHead = false, bool baseDropout = false)
    {
        var l = new LayerBuilder(seed);
        var input = l.Input(16, 16, 1);
        var x = input;
        for (int s = 1; s <= 3; s++)
        {
            x = l.Conv2D(4 * s, 3, padding: Padding.Same, name: $"s{s}_conv")(x);
            x = l.BatchNormalization(name: $"s{s}_bn")(x);
            x = l.Activation("relu", name: $"s{s}_relu")(x);
            if (s < 3) x = l.MaxPooling2D(2, name: $"s{s}_pool")(x);
            if (s == 1 && baseDropout) x = l.Dropout(0.1, name: "s1_drop")(x);
        }
        x = flattenHead ? l.Flatten(name: "flatten")(x) : l.GlobalAveragePooling2D(name: "gap")(x);
        if (flattenHead) x = l.Dense(8, activation: "relu", name: "fc")(x);
        x = l.Dense(classes, activation: "softmax", name: "predictions")(x);
        return l.Model(input, x, "tiny_cnn");
    }

    /// <summary>A dense classifier on <paramref name="features"/> inputs: hidden relu layer, then softmax.</summary>
    public static ModelGraph Mlp(int features = 2, int hidden = 8, int classes = 2, int seed = 1)
    {
        var l = new LayerBuilder(seed);
        var input = l.Input(new[] { features });
        var x = l.Dense(hidden, activation: "relu", name: "hidden")(input);
        x = l.Dense(classes, activation: "softmax", name: "predictions")(x);
        return l.Model(input, x, "tiny_mlp");
    }
}
