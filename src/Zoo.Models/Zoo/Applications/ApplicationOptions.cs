using Zoo.Models.ModelZoo.Builder;
using Zoo.Models.ModelZoo.ImageNet;

namespace Zoo.Models.ModelZoo.Applications;

/// <summary>What keras.applications' <c>pooling</c> argument does when the classifier is left off.</summary>
public enum Pooling
{
    /// <summary>The last convolutional block's 4-D output.</summary>
    None,
    /// <summary>Global average pooling to a vector.</summary>
    Avg,
    /// <summary>Global max pooling to a vector.</summary>
    Max,
}

/// <summary>The options keras.applications models take, with the same defaults.</summary>
public sealed record ApplicationOptions
{
    /// <summary>Whether to include the classifier head (<c>include_top</c>); default true.</summary>
    public bool IncludeTop { get; init; } = true;

    /// <summary>Input (height, width, channels); null takes the model's default (224×224×3 for VGG and ResNet, 299×299×3 for InceptionV3).</summary>
    public int[]? InputShape { get; init; }

    /// <summary>Pooling after the last block when <see cref="IncludeTop"/> is false (<c>pooling</c>).</summary>
    public Pooling Pooling { get; init; } = Pooling.None;

    /// <summary>Number of classes of the head (<c>classes</c>); default 1000.</summary>
    public int Classes { get; init; } = 1000;

    /// <summary>Activation of the last layer (<c>classifier_activation</c>): "softmax" by default, or "linear"/null for logits.</summary>
    public string? ClassifierActivation { get; init; } = "softmax";

    /// <summary>
    /// <c>weights</c>: <see cref="ImageNet"/> for keras.applications' own ImageNet weights (found in Keras's cache or
    /// downloaded, see <see cref="ImageNetWeights"/>), or a Keras weights file (H5 from <c>save_weights</c>, or a full
    /// model file) to load into the model; null leaves it initialized.
    /// </summary>
    public string? Weights { get; init; }

    /// <summary>The <see cref="Weights"/> value that loads keras.applications' published ImageNet weights, as Keras's <c>weights="imagenet"</c>.</summary>
    public const string ImageNet = "imagenet";

    /// <summary>Where <see cref="ImageNet"/> weights are found and how they may be downloaded; null: <see cref="ImageNetWeightsOptions.Default"/>.</summary>
    public ImageNetWeightsOptions? ImageNetWeights { get; init; }

    /// <summary>Seed of the initial weights.</summary>
    public int Seed { get; init; }

    /// <summary>Whether weights are created at all (<see cref="WeightFill.None"/> gives the architecture alone); ignored when <see cref="Weights"/> is set.</summary>
    public WeightFill Fill { get; init; } = WeightFill.Initialized;

    /// <summary>The defaults.</summary>
    public static ApplicationOptions Default { get; } = new();
}
