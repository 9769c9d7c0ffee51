using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Formats.Weights;
using Zoo.Models.ModelZoo.Builder;

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

    /// <summary>Ends the build and loads <see cref="ApplicationOptions.Weights"/> when given.</summary>
    public static ModelGraph Finish(LayerBuilder layers, SymbolicTensor input, SymbolicTensor output, string name, ApplicationOptions o, WeightBinding binding)
    {
        var graph = layers.Model(input, output, name);
        if (o.Weights is not null) PretrainedWeights.Load(graph, layers.ExpectedWeights, o.Weights, binding);
        else graph.Metadata.RandomWeights = o.Fill == WeightFill.Initialized;
        return graph;
    }
}
