using Zoo.Formats.Ir;
using Zoo.Models.ModelZoo.Builder;

namespace Zoo.Models.ModelZoo.Applications;

/// <summary>
/// ResNet50V2/101V2/152V2 (He et al. 2016, identity mappings) as keras.applications' <c>resnet_v2.py</c>
/// defines them: pre-activation blocks, no BN in the stem, <c>post_bn</c>/<c>post_relu</c> before the head.
/// </summary>
public static class ResNetV2
{
    /// <summary>Input preprocessing of the v2 models: tf (scaled to [−1, 1]).</summary>
    public const PreprocessMode Preprocess = PreprocessMode.Tf;

    /// <summary><c>preprocess_input</c> on channels-last RGB pixels in [0, 255].</summary>
    public static float[] PreprocessInput(ReadOnlySpan<float> pixels) => Preprocessing.Apply(Preprocess, pixels);

    /// <summary>ResNet50V2: 3, 4, 6, 3 blocks; 25,613,800 parameters with the 1000-class head.</summary>
    public static ModelGraph ResNet50V2(ApplicationOptions? options = null)
    {
        static SymbolicTensor StackFn(ResNetBlocks b, SymbolicTensor x)
        {
            x = b.Stack2(x, 64, 3, name: "conv2");
            x = b.Stack2(x, 128, 4, name: "conv3");
            x = b.Stack2(x, 256, 6, name: "conv4");
            return b.Stack2(x, 512, 3, stride1: 1, name: "conv5");
        }
        return ResNet.Build(StackFn, preact: true, useBias: true, "resnet50v2", options);
    }

    /// <summary>ResNet101V2: 3, 4, 23, 3 blocks.</summary>
    public static ModelGraph ResNet101V2(ApplicationOptions? options = null)
    {
        static SymbolicTensor StackFn(ResNetBlocks b, SymbolicTensor x)
        {
            x = b.Stack2(x, 64, 3, name: "conv2");
            x = b.Stack2(x, 128, 4, name: "conv3");
            x = b.Stack2(x, 256, 23, name: "conv4");
            return b.Stack2(x, 512, 3, stride1: 1, name: "conv5");
        }
        return ResNet.Build(StackFn, preact: true, useBias: true, "resnet101v2", options);
    }

    /// <summary>ResNet152V2: 3, 8, 36, 3 blocks.</summary>
    public static ModelGraph ResNet152V2(ApplicationOptions? options = null)
    {
        static SymbolicTensor StackFn(ResNetBlocks b, SymbolicTensor x)
        {
            x = b.Stack2(x, 64, 3, name: "conv2");
            x = b.Stack2(x, 128, 8, name: "conv3");
            x = b.Stack2(x, 256, 36, name: "conv4");
            return b.Stack2(x, 512, 3, stride1: 1, name: "conv5");
        }
        return ResNet.Build(StackFn, preact: true, useBias: true, "resnet152v2", options);
    }
}
