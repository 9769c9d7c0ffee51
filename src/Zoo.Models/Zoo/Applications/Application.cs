using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Formats.Weights;
using Zoo.Models.ModelZoo.Builder;
using Zoo.Models.ModelZoo.ImageNet;

namespace Zoo.Models.ModelZoo.Applications;

/// <summary>What every architecture does the same way: checking the input shape, the classifier or pooling head, and loading weights.</summary>
internal static class Application
{
    /// <summary>A builder for <paramref name="o"/>: no random weights when a weights file will replace them.</summary>
    public static LayerBuilder Builder(ApplicationOptions o)
        => new(o.Seed, o.Weights is not null ? WeightFill.None : o.Fill);

    /// <summary>
    /// keras.applications' <c>obtain_input_shape</c>: the default when none is given, else three positive
    /// dimensions no smaller than <paramref name="minSize"/> (the size the stride pyramid still fits).
    /// </summary>
    public static int[] InputShape(ApplicationOptions o, string model, int defaultSize, int minSize, int channels = 3)
    {
        var shape = o.InputShape ?? [defaultSize, defaultSize, channels];
        if (shape.Length != 3)
            throw new UnsupportedFeatureException($"{model}: expected an input shape (height, width, channels), found ({string.Join(", ", shape)})");
        if (shape[0] < minSize || shape[1] < minSize || shape[2] < 1)
            throw new UnsupportedFeatureException($"{model}: expected height and width of at least {minSize} and at least one channel, found ({string.Join(", ", shape)})");
        if (o.Classes < 1) throw new UnsupportedFeatureException($"{model}: expected at least one class, found {o.Classes}");
        if (o.Weights == ApplicationOptions.ImageNet && o.IncludeTop) CheckImageNetTop(o, model, [defaultSize, defaultSize, channels], shape);
        return shape;
    }

    /// <summary>The classifier activation as a config string (<c>None</c> in Keras means linear).</summary>
    public static string Activation(ApplicationOptions o) => o.ClassifierActivation ?? "linear";

    /// <summary>The head used when <see cref="ApplicationOptions.IncludeTop"/> is false: none, or a global pooling with the given names (null: automatic).</summary>
    public static SymbolicTensor PoolingHead(LayerBuilder layers, SymbolicTensor x, ApplicationOptions o, string? avgName = null, string? maxName = null)
        => o.Pooling switch
        {
            Pooling.Avg => layers.GlobalAveragePooling2D(name: avgName)(x),
            Pooling.Max => layers.GlobalMaxPooling2D(name: maxName)(x),
            _ => x,
        };

    /// <summary>
    /// keras.applications' checks for <c>weights="imagenet"</c> with the classifier: the published head has 1000 classes,
    /// was trained at the default input size, and ends in softmax (or its logits).
    /// </summary>
    private static void CheckImageNetTop(ApplicationOptions o, string model, int[] defaultShape, int[] shape)
    {
        string Shape(int[] s) => $"({string.Join(", ", s)})";
        if (o.Classes != 1000)
            throw new UnsupportedFeatureException($"{model}: weights=\"imagenet\" with the classifier (include_top) expects 1000 classes, found {o.Classes}; leave the top off for other classes");
        if (!shape.AsSpan().SequenceEqual(defaultShape))
            throw new UnsupportedFeatureException($"{model}: weights=\"imagenet\" with the classifier (include_top) expects the input shape {Shape(defaultShape)}, found {Shape(shape)}; leave the top off for other sizes");
        if (o.ClassifierActivation is not (null or "softmax" or "linear"))
            throw new UnsupportedFeatureException($"{model}: weights=\"imagenet\" expects the classifier activation softmax or none, found '{o.ClassifierActivation}'");
    }

    /// <summary>
    /// Ends the build and loads <see cref="ApplicationOptions.Weights"/> when given: Keras's published file for
    /// <paramref name="name"/> (the Keras model name) when it is <see cref="ApplicationOptions.ImageNet"/>.
    /// </summary>
    public static ModelGraph Finish(LayerBuilder layers, SymbolicTensor input, SymbolicTensor output, string name, ApplicationOptions o, WeightBinding binding)
    {
        var graph = layers.Model(input, output, name);
        if (o.Weights is null)
        {
            graph.Metadata.RandomWeights = o.Fill == WeightFill.Initialized;
            return graph;
        }
        var path = o.Weights == ApplicationOptions.ImageNet
            ? KerasWeightsCache.Resolve(ImageNetWeightFiles.For(name, o.IncludeTop, (o.ImageNetWeights ?? ImageNetWeightsOptions.Default).Catalog), o.ImageNetWeights)
            : o.Weights;
        PretrainedWeights.Load(graph, layers.ExpectedWeights, path, binding);
        return graph;
    }
}
