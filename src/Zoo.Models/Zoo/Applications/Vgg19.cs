using Zoo.Formats.Ir;

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
    public static ModelGraph Build(ApplicationOptions? options = null) => Vgg.Build("vgg19", Vgg.Vgg19Blocks, options);
}
