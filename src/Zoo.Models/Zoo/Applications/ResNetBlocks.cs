using Zoo.Formats.Layers;
using Zoo.Models.ModelZoo.Builder;

namespace Zoo.Models.ModelZoo.Applications;

/// <summary>The residual blocks and stacks of keras.applications' <c>resnet.py</c>: <c>block1</c>/<c>stack1</c> (v1) and <c>block2</c>/<c>stack2</c> (v2).</summary>
public sealed class ResNetBlocks
{
    private const int BnAxis = 3;
    private readonly LayerBuilder layers;

    internal ResNetBlocks(LayerBuilder layers) => this.layers = layers;

    /// <summary>A v1 bottleneck block; the stride sits on the first 1×1 convolution (and on the projection shortcut).</summary>
    public SymbolicTensor Block1(SymbolicTensor x, int filters, int kernelSize = 3, int stride = 1, bool convShortcut = true, string name = "")
    {
        SymbolicTensor shortcut;
        if (convShortcut)
        {
            shortcut = layers.Conv2D(4 * filters, 1, strides: stride, name: name + "_0_conv")(x);
            shortcut = layers.BatchNormalization(axis: BnAxis, epsilon: 1.001e-5, name: name + "_0_bn")(shortcut);
        }
        else
        {
            shortcut = x;
        }

        x = layers.Conv2D(filters, 1, strides: stride, name: name + "_1_conv")(x);
        x = layers.BatchNormalization(axis: BnAxis, epsilon: 1.001e-5, name: name + "_1_bn")(x);
        x = layers.Activation("relu", name: name + "_1_relu")(x);

        x = layers.Conv2D(filters, kernelSize, padding: Padding.Same, name: name + "_2_conv")(x);
        x = layers.BatchNormalization(axis: BnAxis, epsilon: 1.001e-5, name: name + "_2_bn")(x);
        x = layers.Activation("relu", name: name + "_2_relu")(x);

        x = layers.Conv2D(4 * filters, 1, name: name + "_3_conv")(x);
        x = layers.BatchNormalization(axis: BnAxis, epsilon: 1.001e-5, name: name + "_3_bn")(x);

        x = layers.Add(name: name + "_add")(shortcut, x);
        x = layers.Activation("relu", name: name + "_out")(x);
        return x;
    }

    /// <summary>A v1 stack: one projection block with stride <paramref name="stride1"/>, then identity blocks.</summary>
    public SymbolicTensor Stack1(SymbolicTensor x, int filters, int blocks, int stride1 = 2, string name = "")
    {
        x = Block1(x, filters, stride: stride1, name: name + "_block1");
        for (int i = 2; i <= blocks; i++)
            x = Block1(x, filters, convShortcut: false, name: name + "_block" + i);
        return x;
    }

    /// <summary>A v2 (pre-activation) bottleneck block; the stride sits on the 3×3 convolution, and an identity shortcut is max-pooled by it.</summary>
    public SymbolicTensor Block2(SymbolicTensor x, int filters, int kernelSize = 3, int stride = 1, bool convShortcut = false, string name = "")
    {
        var preact = layers.BatchNormalization(axis: BnAxis, epsilon: 1.001e-5, name: name + "_preact_bn")(x);
        preact = layers.Activation("relu", name: name + "_preact_relu")(preact);

        SymbolicTensor shortcut;
        if (convShortcut)
            shortcut = layers.Conv2D(4 * filters, 1, strides: stride, name: name + "_0_conv")(preact);
        else
            shortcut = stride > 1 ? layers.MaxPooling2D(1, strides: stride)(x) : x;

        x = layers.Conv2D(filters, 1, strides: 1, useBias: false, name: name + "_1_conv")(preact);
        x = layers.BatchNormalization(axis: BnAxis, epsilon: 1.001e-5, name: name + "_1_bn")(x);
        x = layers.Activation("relu", name: name + "_1_relu")(x);

        x = layers.ZeroPadding2D(((1, 1), (1, 1)), name: name + "_2_pad")(x);
        x = layers.Conv2D(filters, kernelSize, strides: stride, useBias: false, name: name + "_2_conv")(x);
        x = layers.BatchNormalization(axis: BnAxis, epsilon: 1.001e-5, name: name + "_2_bn")(x);
        x = layers.Activation("relu", name: name + "_2_relu")(x);

        x = layers.Conv2D(4 * filters, 1, name: name + "_3_conv")(x);
        x = layers.Add(name: name + "_out")(shortcut, x);
        return x;
    }

    /// <summary>A v2 stack: a projection block, identity blocks, and a last block with stride <paramref name="stride1"/>.</summary>
    public SymbolicTensor Stack2(SymbolicTensor x, int filters, int blocks, int stride1 = 2, string name = "")
    {
        x = Block2(x, filters, convShortcut: true, name: name + "_block1");
        for (int i = 2; i < blocks; i++)
            x = Block2(x, filters, name: name + "_block" + i);
        x = Block2(x, filters, stride: stride1, name: name + "_block" + blocks);
        return x;
    }
}
