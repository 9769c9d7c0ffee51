using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using Zoo.Formats.Weights;

namespace Zoo.Models.ModelZoo.Applications;

/// <summary>
/// VGG19 (Simonyan &amp; Zisserman 2014) as keras.applications' <c>vgg19.py</c> defines it, layer for layer
/// and name for name, so that <c>vgg19_weights_tf_dim_ordering_tf_kernels*.h5</c> binds by name.
/// 143,667,240 parameters with the 1000-class head.
/// </summary>
public static class Vgg19
{
    /// <summary>Input preprocessing: caffe (BGR, ImageNet mean subtracted).</summary>
    public const PreprocessMode Preprocess = PreprocessMode.Caffe;

    /// <summary><c>preprocess_input</c> on channels-last RGB pixels in [0, 255].</summary>
    public static float[] PreprocessInput(ReadOnlySpan<float> pixels) => Preprocessing.Apply(Preprocess, pixels);

    /// <summary>Builds the model.</summary>
    public static ModelGraph Build(ApplicationOptions? options = null)
    {
        var o = options ?? ApplicationOptions.Default;
        var layers = Application.Builder(o);
        var imgInput = layers.Input(Application.InputShape(o, "VGG19", 224, 32));

        // Block 1
        var x = layers.Conv2D(64, 3, activation: "relu", padding: Padding.Same, name: "block1_conv1")(imgInput);
        x = layers.Conv2D(64, 3, activation: "relu", padding: Padding.Same, name: "block1_conv2")(x);
        x = layers.MaxPooling2D(2, strides: 2, name: "block1_pool")(x);

        // Block 2
        x = layers.Conv2D(128, 3, activation: "relu", padding: Padding.Same, name: "block2_conv1")(x);
        x = layers.Conv2D(128, 3, activation: "relu", padding: Padding.Same, name: "block2_conv2")(x);
        x = layers.MaxPooling2D(2, strides: 2, name: "block2_pool")(x);

        // Block 3
        x = layers.Conv2D(256, 3, activation: "relu", padding: Padding.Same, name: "block3_conv1")(x);
        x = layers.Conv2D(256, 3, activation: "relu", padding: Padding.Same, name: "block3_conv2")(x);
        x = layers.Conv2D(256, 3, activation: "relu", padding: Padding.Same, name: "block3_conv3")(x);
        x = layers.Conv2D(256, 3, activation: "relu", padding: Padding.Same, name: "block3_conv4")(x);
        x = layers.MaxPooling2D(2, strides: 2, name: "block3_pool")(x);

        // Block 4
        x = layers.Conv2D(512, 3, activation: "relu", padding: Padding.Same, name: "block4_conv1")(x);
        x = layers.Conv2D(512, 3, activation: "relu", padding: Padding.Same, name: "block4_conv2")(x);
        x = layers.Conv2D(512, 3, activation: "relu", padding: Padding.Same, name: "block4_conv3")(x);
        x = layers.Conv2D(512, 3, activation: "relu", padding: Padding.Same, name: "block4_conv4")(x);
        x = layers.MaxPooling2D(2, strides: 2, name: "block4_pool")(x);

        // Block 5
        x = layers.Conv2D(512, 3, activation: "relu", padding: Padding.Same, name: "block5_conv1")(x);
        x = layers.Conv2D(512, 3, activation: "relu", padding: Padding.Same, name: "block5_conv2")(x);
        x = layers.Conv2D(512, 3, activation: "relu", padding: Padding.Same, name: "block5_conv3")(x);
        x = layers.Conv2D(512, 3, activation: "relu", padding: Padding.Same, name: "block5_conv4")(x);
        x = layers.MaxPooling2D(2, strides: 2, name: "block5_pool")(x);

        if (o.IncludeTop)
        {
            // Classification block
            x = layers.Flatten(name: "flatten")(x);
            x = layers.Dense(4096, activation: "relu", name: "fc1")(x);
            x = layers.Dense(4096, activation: "relu", name: "fc2")(x);
            x = layers.Dense(o.Classes, activation: Application.Activation(o), name: "predictions")(x);
        }
        else
        {
            x = Application.PoolingHead(layers, x, o);
        }
        return Application.Finish(layers, imgInput, x, "vgg19", o, WeightBinding.ByName);
    }
}
