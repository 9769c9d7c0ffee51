using Zoo.Formats.Ir;

namespace Zoo.Models.ModelZoo.Applications;

/// <summary>
/// VGG16 (Simonyan &amp; Zisserman 2014) as keras.applications' <c>vgg16.py</c> defines it, layer for layer
/// and name for name, so that <c>vgg16_weights_tf_dim_ordering_tf_kernels*.h5</c> binds by name.
/// 138,357,544 parameters with the 1000-class head.
/// </summary>
public static class Vgg16
{
    /// <summary>Input preprocessing: caffe (BGR, ImageNet mean subtracted).</summary>
    public const PreprocessMode Preprocess = PreprocessMode.Caffe;

    /// <summary><c>preprocess_input</c> on channels-last RGB pixels in [0, 255].</summary>
    public static float[] PreprocessInput(ReadOnlySpan<float> pixels) => Preprocessing.Apply(Preprocess, pixels);

    /// <summary>Builds the model.</summary>
    public static ModelGraph Build(ApplicationOptions? options = null) => Vgg.Build("vgg16", Vgg.Vgg16Blocks, options);
}
