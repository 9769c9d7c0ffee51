using Zoo.Formats.Ir;
using Zoo.Formats.Weights;

namespace Zoo.Models.ModelZoo.Applications;

/// <summary>
/// LeNet-5 (LeCun et al. 1998) in its common Keras form: 6@5×5 convolution, 2×2 pooling, 16@5×5
/// convolution, 2×2 pooling, dense 120, 84 and the classifier, on a 32×32×1 input. The paper's C3
/// layer connects each map to a subset of S2's maps; like every Keras rendering this one connects them
/// all (C3 has 2,416 parameters, not 1,516), and its C5 convolution is written as Flatten + Dense(120),
/// which computes the same on a 5×5 map. Automatic layer names, as a hand-written Keras model gets them.
/// 61,706 parameters with 10 classes.
/// </summary>
public static class LeNet5
{
    /// <summary>Input preprocessing: tf (scaled to [−1, 1], which suits the tanh units).</summary>
    public const PreprocessMode Preprocess = PreprocessMode.Tf;

    /// <summary><c>preprocess_input</c> on channels-last pixels in [0, 255].</summary>
    public static float[] PreprocessInput(ReadOnlySpan<float> pixels) => Preprocessing.Apply(Preprocess, pixels);

    /// <summary>
    /// Builds the model: tanh units and average pooling as in the paper, or ReLU and max pooling when
    /// <paramref name="modern"/> is true. <see cref="ApplicationOptions.Classes"/> defaults to 1000 in
    /// the shared options; LeNet-5 is usually built with 10.
    /// </summary>
    public static ModelGraph Build(ApplicationOptions? options = null, bool modern = false)
    {
        var o = options ?? new ApplicationOptions { Classes = 10 };
        var layers = Application.Builder(o);
        var input = layers.Input(Application.InputShape(o, "LeNet5", 32, 16, channels: 1));
        string activation = modern ? "relu" : "tanh";
        Builder.LayerCall Pool() => modern ? layers.MaxPooling2D(2) : layers.AveragePooling2D(2);

        var x = layers.Conv2D(6, 5, activation: activation)(input);    // C1
        x = Pool()(x);                                                   // S2
        x = layers.Conv2D(16, 5, activation: activation)(x);            // C3
        x = Pool()(x);                                                   // S4
        if (o.IncludeTop)
        {
            x = layers.Flatten()(x);
            x = layers.Dense(120, activation: activation)(x);           // C5
            x = layers.Dense(84, activation: activation)(x);            // F6
            x = layers.Dense(o.Classes, activation: Application.Activation(o))(x);
        }
        else
        {
            x = Application.PoolingHead(layers, x, o);
        }
        return Application.Finish(layers, input, x, modern ? "lenet5_relu" : "lenet5", o, WeightBinding.ByName);
    }
}
