using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using Zoo.Formats.Weights;
using Zoo.Models.ModelZoo.Builder;

namespace Zoo.Models.ModelZoo.Applications;

/// <summary>Where AlexNet's local response normalization went (Keras has no LRN layer).</summary>
public enum AlexNetNormalization
{
    /// <summary>No normalization: LRN has no parameters, so the count equals the paper's.</summary>
    None,
    /// <summary>BatchNormalization where LRN was (after conv1 and conv2, before pooling), the usual modern substitute.</summary>
    BatchNormalization,
}

/// <summary>
/// AlexNet (Krizhevsky, Sutskever &amp; Hinton 2012) reconstructed from the paper's section 3.5 and figure 2:
/// a 227×227×3 input (the paper says 224, but 11×11 windows at stride 4 only give its 55×55 maps from 227),
/// conv1 96@11×11/4, overlapping 3×3/2 max pooling, conv2 256@5×5, conv3 384@3×3, conv4 384@3×3,
/// conv5 256@3×3, two dense 4096 with dropout 0.5, and the classifier. By default it is the single-tower
/// network (the paper split conv2, conv4 and conv5 across two GPUs only for memory): 62,378,344 parameters.
/// <c>twoTowers: true</c> restores the split as grouped convolutions (groups=2), giving the paper's
/// 60,965,224; tf.keras 2.15 runs grouped convolutions on GPU only, so the default stays portable.
/// Layers are named as in the paper (<c>conv1</c>…<c>conv5</c>, <c>pool1</c>, <c>pool2</c>, <c>pool5</c>,
/// <c>fc6</c>, <c>fc7</c>, <c>predictions</c>).
/// </summary>
public static class AlexNet
{
    /// <summary>Input preprocessing: torch (ImageNet mean and std), as the usual reimplementations train it.</summary>
    public const PreprocessMode Preprocess = PreprocessMode.Torch;

    /// <summary><c>preprocess_input</c> on channels-last RGB pixels in [0, 255].</summary>
    public static float[] PreprocessInput(ReadOnlySpan<float> pixels) => Preprocessing.Apply(Preprocess, pixels);

    /// <summary>Builds the model.</summary>
    public static ModelGraph Build(ApplicationOptions? options = null, AlexNetNormalization normalization = AlexNetNormalization.None, bool twoTowers = false)
    {
        var o = options ?? ApplicationOptions.Default;
        var layers = Application.Builder(o);
        var input = layers.Input(Application.InputShape(o, "AlexNet", 227, 67));
        int groups = twoTowers ? 2 : 1;
        SymbolicTensor Norm(SymbolicTensor t, string name)
            => normalization == AlexNetNormalization.BatchNormalization ? layers.BatchNormalization(name: name)(t) : t;

        var x = layers.Conv2D(96, 11, strides: 4, activation: "relu", name: "conv1")(input);
        x = Norm(x, "norm1");
        x = layers.MaxPooling2D(3, strides: 2, name: "pool1")(x);

        x = layers.Conv2D(256, 5, padding: Padding.Same, activation: "relu", groups: groups, name: "conv2")(x);
        x = Norm(x, "norm2");
        x = layers.MaxPooling2D(3, strides: 2, name: "pool2")(x);

        x = layers.Conv2D(384, 3, padding: Padding.Same, activation: "relu", name: "conv3")(x);
        x = layers.Conv2D(384, 3, padding: Padding.Same, activation: "relu", groups: groups, name: "conv4")(x);
        x = layers.Conv2D(256, 3, padding: Padding.Same, activation: "relu", groups: groups, name: "conv5")(x);
        x = layers.MaxPooling2D(3, strides: 2, name: "pool5")(x);

        if (o.IncludeTop)
        {
            x = layers.Flatten(name: "flatten")(x);
            x = layers.Dense(4096, activation: "relu", name: "fc6")(x);
            x = layers.Dropout(0.5, name: "drop6")(x);
            x = layers.Dense(4096, activation: "relu", name: "fc7")(x);
            x = layers.Dropout(0.5, name: "drop7")(x);
            x = layers.Dense(o.Classes, activation: Application.Activation(o), name: "predictions")(x);
        }
        else
        {
            x = Application.PoolingHead(layers, x, o);
        }
        return Application.Finish(layers, input, x, "alexnet", o, WeightBinding.ByName);
    }
}
