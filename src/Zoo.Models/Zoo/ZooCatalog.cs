using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Formats.Summary;
using Zoo.Formats.Weights;
using Zoo.Models.ModelZoo.Applications;
using Zoo.Models.ModelZoo.Builder;

namespace Zoo.Models.ModelZoo;

/// <summary>One model of the zoo: its name, defaults, preprocessing, how weight files bind, and its factory.</summary>
/// <param name="Name">Lower-case name used by the CLI (<c>vgg16</c>, <c>resnet50v2</c>, …).</param>
/// <param name="Title">Display name.</param>
/// <param name="DefaultInputShape">Input (height, width, channels) when none is given.</param>
/// <param name="DefaultClasses">Classes of the head when none is given.</param>
/// <param name="Preprocess">The <c>preprocess_input</c> mode.</param>
/// <param name="Binding">How weight files bind (by name, or by position for InceptionV3's official files).</param>
/// <param name="Build">The factory.</param>
public sealed record ZooEntry(string Name, string Title, int[] DefaultInputShape, int DefaultClasses, PreprocessMode Preprocess,
    WeightBinding Binding, Func<ApplicationOptions, ModelGraph> Build)
{
    /// <summary><c>preprocess_input</c> on channels-last pixels in [0, 255].</summary>
    public float[] PreprocessInput(ReadOnlySpan<float> pixels) => Preprocessing.Apply(Preprocess, pixels);

    /// <summary>Parameters of the model with its default head and input, counted from the architecture alone.</summary>
    public long DefaultParameterCount()
        => ModelSummary.Of(Build(new ApplicationOptions { Classes = DefaultClasses, Fill = WeightFill.None })).Totals.Total;
}

/// <summary>The zoo: every native architecture by name.</summary>
public static class ZooCatalog
{
    /// <summary>Every model, in display order.</summary>
    public static IReadOnlyList<ZooEntry> All { get; } =
    [
        new("lenet5", "LeNet-5", [32, 32, 1], 10, LeNet5.Preprocess, WeightBinding.ByName, o => LeNet5.Build(o)),
        new("alexnet", "AlexNet", [227, 227, 3], 1000, AlexNet.Preprocess, WeightBinding.ByName, o => AlexNet.Build(o)),
        new("vgg16", "VGG16", [224, 224, 3], 1000, Vgg16.Preprocess, WeightBinding.ByName, Vgg16.Build),
        new("vgg19", "VGG19", [224, 224, 3], 1000, Vgg19.Preprocess, WeightBinding.ByName, Vgg19.Build),
        new("resnet50", "ResNet50", [224, 224, 3], 1000, ResNet.Preprocess, WeightBinding.ByName, ResNet.ResNet50),
        new("resnet101", "ResNet101", [224, 224, 3], 1000, ResNet.Preprocess, WeightBinding.ByName, ResNet.ResNet101),
        new("resnet152", "ResNet152", [224, 224, 3], 1000, ResNet.Preprocess, WeightBinding.ByName, ResNet.ResNet152),
        new("resnet50v2", "ResNet50V2", [224, 224, 3], 1000, ResNetV2.Preprocess, WeightBinding.ByName, ResNetV2.ResNet50V2),
        new("resnet101v2", "ResNet101V2", [224, 224, 3], 1000, ResNetV2.Preprocess, WeightBinding.ByName, ResNetV2.ResNet101V2),
        new("resnet152v2", "ResNet152V2", [224, 224, 3], 1000, ResNetV2.Preprocess, WeightBinding.ByName, ResNetV2.ResNet152V2),
        new("inceptionv3", "InceptionV3", [299, 299, 3], 1000, InceptionV3.Preprocess, WeightBinding.ByPosition, InceptionV3.Build),
    ];

    /// <summary>The model called <paramref name="name"/> (case and <c>-</c>/<c>_</c> ignored: <c>ResNet-50</c>, <c>inception_v3</c>).</summary>
    /// <exception cref="UnsupportedFeatureException">No model has that name; the message lists them.</exception>
    public static ZooEntry Get(string name)
    {
        var key = name.Replace("-", "").Replace("_", "").ToLowerInvariant();
        return All.FirstOrDefault(e => e.Name == key)
               ?? throw new UnsupportedFeatureException($"expected a zoo model ({string.Join(", ", All.Select(e => e.Name))}), found '{name}'");
    }
}
