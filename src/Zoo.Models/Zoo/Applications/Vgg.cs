using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using Zoo.Formats.Weights;

namespace Zoo.Models.ModelZoo.Applications;

/// <summary>
/// The VGG family (Simonyan &amp; Zisserman 2014) as keras.applications' <c>vgg16.py</c> and <c>vgg19.py</c> define
/// it, layer for layer and name for name: five blocks of 3×3 same-padded ReLU convolutions (<c>blockB_convC</c>), each
/// closed by a 2×2 max pooling (<c>blockB_pool</c>), then Flatten, fc1, fc2 and predictions. The two differ only in
/// how many convolutions each block has, so one builder reads that from a table.
/// </summary>
internal static class Vgg
{
    /// <summary>Filters and convolutions per block of VGG16 (138,357,544 parameters with the 1000-class head).</summary>
    public static readonly (int Filters, int Convs)[] Vgg16Blocks = [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)];

    /// <summary>Filters and convolutions per block of VGG19 (143,667,240 parameters with the 1000-class head).</summary>
    public static readonly (int Filters, int Convs)[] Vgg19Blocks = [(64, 2), (128, 2), (256, 4), (512, 4), (512, 4)];

    /// <summary>Builds the variant named <paramref name="name"/> (<c>vgg16</c>, <c>vgg19</c>) from its <paramref name="blocks"/>.</summary>
    public static ModelGraph Build(string name, (int Filters, int Convs)[] blocks, ApplicationOptions? options)
    {
        var o = options ?? ApplicationOptions.Default;
        var layers = Application.Builder(o);
        var imgInput = layers.Input(Application.InputShape(o, name.ToUpperInvariant(), 224, 32));
        var x = imgInput;
        for (int b = 0; b < blocks.Length; b++)
        {
            for (int c = 1; c <= blocks[b].Convs; c++)
                x = layers.Conv2D(blocks[b].Filters, 3, activation: "relu", padding: Padding.Same, name: $"block{b + 1}_conv{c}")(x);
            x = layers.MaxPooling2D(2, strides: 2, name: $"block{b + 1}_pool")(x);
        }
        if (o.IncludeTop)
        {
            x = layers.Flatten(name: "flatten")(x);
            x = layers.Dense(4096, activation: "relu", name: "fc1")(x);
            x = layers.Dense(4096, activation: "relu", name: "fc2")(x);
            x = layers.Dense(o.Classes, activation: Application.Activation(o), name: "predictions")(x);
        }
        else
        {
            x = Application.PoolingHead(layers, x, o);
        }
        return Application.Finish(layers, imgInput, x, name, o, WeightBinding.ByName);
    }
}
