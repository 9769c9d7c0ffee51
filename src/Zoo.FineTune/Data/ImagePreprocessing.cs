using Zoo.Models.ModelZoo.Applications;

namespace Zoo.FineTune.Data;

/// <summary>What is done to pixels in [0, 255] before they reach the model.</summary>
public enum ImagePreprocessing
{
    /// <summary>Pixels stay in [0, 255].</summary>
    None,
    /// <summary>Pixels are multiplied by 1/255 (Keras's <c>Rescaling(1./255)</c>).</summary>
    Rescale,
    /// <summary>keras.applications' "caffe" mode: RGB → BGR, ImageNet mean subtracted (VGG, ResNet v1).</summary>
    Caffe,
    /// <summary>keras.applications' "tf" mode: scaled to [−1, 1] (InceptionV3, ResNet v2, LeNet-5 here).</summary>
    Tf,
    /// <summary>keras.applications' "torch" mode: scaled to [0, 1], then ImageNet mean and std (AlexNet here).</summary>
    Torch,
}

/// <summary>Applies an <see cref="ImagePreprocessing"/> mode and maps the zoo's modes onto it.</summary>
public static class ImagePreprocess
{
    /// <summary>The mode matching a zoo model's <c>preprocess_input</c>.</summary>
    public static ImagePreprocessing From(PreprocessMode mode) => mode switch
    {
        PreprocessMode.Caffe => ImagePreprocessing.Caffe,
        PreprocessMode.Tf => ImagePreprocessing.Tf,
        _ => ImagePreprocessing.Torch,
    };

    /// <summary>Parses <c>none</c>, <c>rescale</c>, <c>caffe</c>, <c>tf</c> or <c>torch</c> (case ignored).</summary>
    /// <exception cref="ArgumentException">Any other text.</exception>
    public static ImagePreprocessing Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "none" => ImagePreprocessing.None,
        "rescale" => ImagePreprocessing.Rescale,
        "caffe" => ImagePreprocessing.Caffe,
        "tf" => ImagePreprocessing.Tf,
        "torch" => ImagePreprocessing.Torch,
        _ => throw new ArgumentException($"expected a preprocessing mode (none, rescale, caffe, tf, torch), found '{text}'", nameof(text)),
    };

    /// <summary>Whether <paramref name="mode"/> works on images of <paramref name="channels"/> channels (caffe and torch need RGB).</summary>
    public static bool Supports(ImagePreprocessing mode, int channels)
        => channels == 3 || mode is ImagePreprocessing.None or ImagePreprocessing.Rescale or ImagePreprocessing.Tf;

    /// <summary>Preprocesses channels-last <paramref name="pixels"/> in [0, 255] in place.</summary>
    /// <exception cref="ArgumentException">Caffe or torch mode on pixels that are not RGB.</exception>
    public static void Apply(ImagePreprocessing mode, Span<float> pixels, int channels)
    {
        if (!Supports(mode, channels))
            throw new ArgumentException($"{mode} preprocessing needs RGB images (3 channels); these have {channels}", nameof(channels));
        switch (mode)
        {
            case ImagePreprocessing.None:
                return;
            case ImagePreprocessing.Rescale:
                for (int i = 0; i < pixels.Length; i++) pixels[i] *= 1f / 255f;
                return;
            default:
                // One implementation of keras.applications' modes: the zoo's.
                var zoo = mode switch { ImagePreprocessing.Caffe => PreprocessMode.Caffe, ImagePreprocessing.Tf => PreprocessMode.Tf, _ => PreprocessMode.Torch };
                Preprocessing.Apply(zoo, pixels).CopyTo(pixels);
                return;
        }
    }
}
