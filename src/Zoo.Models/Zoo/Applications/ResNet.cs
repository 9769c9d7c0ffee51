using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using Zoo.Formats.Weights;
using Zoo.Models.ModelZoo.Builder;

namespace Zoo.Models.ModelZoo.Applications;

/// <summary>
/// ResNet50/101/152 (He et al. 2015) as keras.applications' <c>resnet.py</c> defines them: the stem
/// <c>conv1_pad</c>/<c>conv1_conv</c> (with bias)/<c>conv1_bn</c>, bottleneck blocks
/// <c>conv{s}_block{b}_{0..3}_{conv,bn}</c> with the stride on the first 1×1 convolution, BN epsilon
/// 1.001e-5, <c>_add</c>/<c>_out</c>, <c>avg_pool</c>, <c>predictions</c>. The v2 (pre-activation)
/// variants share the stem and head (see <see cref="ResNetV2"/>).
/// </summary>
public static class ResNet
{
    /// <summary>Input preprocessing of the v1 models: caffe (BGR, ImageNet mean subtracted).</summary>
    public const PreprocessMode Preprocess = PreprocessMode.Caffe;

    /// <summary><c>preprocess_input</c> on channels-last RGB pixels in [0, 255].</summary>
    public static float[] PreprocessInput(ReadOnlySpan<float> pixels) => Preprocessing.Apply(Preprocess, pixels);

    /// <summary>ResNet50: 3, 4, 6, 3 blocks; 25,636,712 parameters with the 1000-class head.</summary>
    public static ModelGraph ResNet50(ApplicationOptions? options = null)
    {
        static SymbolicTensor StackFn(ResNetBlocks b, SymbolicTensor x)
        {
            x = b.Stack1(x, 64, 3, stride1: 1, name: "conv2");
            x = b.Stack1(x, 128, 4, name: "conv3");
            x = b.Stack1(x, 256, 6, name: "conv4");
            return b.Stack1(x, 512, 3, name: "conv5");
        }
        return Build(StackFn, preact: false, useBias: true, "resnet50", options);
    }

    /// <summary>ResNet101: 3, 4, 23, 3 blocks; 44,707,176 parameters with the 1000-class head.</summary>
    public static ModelGraph ResNet101(ApplicationOptions? options = null)
    {
        static SymbolicTensor StackFn(ResNetBlocks b, SymbolicTensor x)
        {
            x = b.Stack1(x, 64, 3, stride1: 1, name: "conv2");
            x = b.Stack1(x, 128, 4, name: "conv3");
            x = b.Stack1(x, 256, 23, name: "conv4");
            return b.Stack1(x, 512, 3, name: "conv5");
        }
        return Build(StackFn, preact: false, useBias: true, "resnet101", options);
    }

    /// <summary>ResNet152: 3, 8, 36, 3 blocks; 60,419,944 parameters with the 1000-class head.</summary>
    public static ModelGraph ResNet152(ApplicationOptions? options = null)
    {
        static SymbolicTensor StackFn(ResNetBlocks b, SymbolicTensor x)
        {
            x = b.Stack1(x, 64, 3, stride1: 1, name: "conv2");
            x = b.Stack1(x, 128, 8, name: "conv3");
            x = b.Stack1(x, 256, 36, name: "conv4");
            return b.Stack1(x, 512, 3, name: "conv5");
        }
        return Build(StackFn, preact: false, useBias: true, "resnet152", options);
    }

    /// <summary><c>ResNet(stack_fn, preact, use_bias, model_name, …)</c>: stem, stacks, head.</summary>
    internal static ModelGraph Build(Func<ResNetBlocks, SymbolicTensor, SymbolicTensor> stackFn, bool preact, bool useBias, string modelName, ApplicationOptions? options)
    {
        var o = options ?? ApplicationOptions.Default;
        var layers = Application.Builder(o);
        var imgInput = layers.Input(Application.InputShape(o, modelName, 224, 32));
        const int bnAxis = 3;

        var x = layers.ZeroPadding2D(((3, 3), (3, 3)), name: "conv1_pad")(imgInput);
        x = layers.Conv2D(64, 7, strides: 2, useBias: useBias, name: "conv1_conv")(x);

        if (!preact)
        {
            x = layers.BatchNormalization(axis: bnAxis, epsilon: 1.001e-5, name: "conv1_bn")(x);
            x = layers.Activation("relu", name: "conv1_relu")(x);
        }

        x = layers.ZeroPadding2D(((1, 1), (1, 1)), name: "pool1_pad")(x);
        x = layers.MaxPooling2D(3, strides: 2, name: "pool1_pool")(x);

        x = stackFn(new ResNetBlocks(layers), x);

        if (preact)
        {
            x = layers.BatchNormalization(axis: bnAxis, epsilon: 1.001e-5, name: "post_bn")(x);
            x = layers.Activation("relu", name: "post_relu")(x);
        }

        if (o.IncludeTop)
        {
            x = layers.GlobalAveragePooling2D(name: "avg_pool")(x);
            x = layers.Dense(o.Classes, activation: Application.Activation(o), name: "predictions")(x);
        }
        else
        {
            x = Application.PoolingHead(layers, x, o, avgName: "avg_pool", maxName: "max_pool");
        }
        return Application.Finish(layers, imgInput, x, modelName, o, WeightBinding.ByName);
    }
}
