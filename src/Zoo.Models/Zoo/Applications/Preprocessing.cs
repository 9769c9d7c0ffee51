namespace Zoo.Models.ModelZoo.Applications;

/// <summary>The three <c>preprocess_input</c> modes of keras.applications.</summary>
public enum PreprocessMode
{
    /// <summary>RGB → BGR, then the ImageNet mean (103.939, 116.779, 123.68) subtracted per channel; no scaling (VGG, ResNet v1).</summary>
    Caffe,
    /// <summary>Scaled from [0, 255] to [−1, 1] (InceptionV3, ResNet v2).</summary>
    Tf,
    /// <summary>Scaled to [0, 1], then normalized by the ImageNet mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225).</summary>
    Torch,
}

/// <summary>keras.applications' <c>imagenet_utils.preprocess_input</c> on channels-last RGB pixels in [0, 255].</summary>
public static class Preprocessing
{
    private static readonly float[] CaffeMeanBgr = [103.939f, 116.779f, 123.68f];
    private static readonly float[] TorchMean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] TorchStd = [0.229f, 0.224f, 0.225f];

    /// <summary>
    /// Returns a preprocessed copy of <paramref name="pixels"/> (any batch and spatial size, channels last).
    /// Caffe and torch modes need 3 channels; tf mode takes any.
    /// </summary>
    public static float[] Apply(PreprocessMode mode, ReadOnlySpan<float> pixels)
    {
        var x = pixels.ToArray();
        if (mode == PreprocessMode.Tf)
        {
            for (int i = 0; i < x.Length; i++) x[i] = x[i] / 127.5f - 1f;
            return x;
        }
        if (x.Length % 3 != 0)
            throw new ArgumentException($"{mode} preprocessing expects channels-last RGB pixels (a multiple of 3 values), found {x.Length}", nameof(pixels));
        for (int i = 0; i < x.Length; i += 3)
        {
            if (mode == PreprocessMode.Caffe)
            {
                (float r, float g, float b) = (x[i], x[i + 1], x[i + 2]);
                x[i] = b - CaffeMeanBgr[0];
                x[i + 1] = g - CaffeMeanBgr[1];
                x[i + 2] = r - CaffeMeanBgr[2];
            }
            else
            {
                for (int c = 0; c < 3; c++) x[i + c] = (x[i + c] / 255f - TorchMean[c]) / TorchStd[c];
            }
        }
        return x;
    }
}
