using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using Zoo.Formats.Weights;
using Zoo.Models.ModelZoo.Builder;

namespace Zoo.Models.ModelZoo.Applications;

/// <summary>
/// InceptionV3 (Szegedy et al. 2015) as keras.applications' <c>inception_v3.py</c> defines it. Every
/// convolution is <c>conv2d_bn</c> (Conv2D without bias, BatchNormalization without scale, ReLU) with
/// automatic names (<c>conv2d</c>, <c>conv2d_1</c>, …), so the official weight files, saved under other
/// counters, bind by position; the blocks are <c>mixed0</c>…<c>mixed10</c> with <c>mixed9_0</c>, <c>mixed9_1</c>.
/// 23,851,784 parameters with the 1000-class head.
/// </summary>
public static class InceptionV3
{
    /// <summary>Input preprocessing: tf (scaled to [−1, 1]).</summary>
    public const PreprocessMode Preprocess = PreprocessMode.Tf;

    /// <summary><c>preprocess_input</c> on channels-last RGB pixels in [0, 255].</summary>
    public static float[] PreprocessInput(ReadOnlySpan<float> pixels) => Preprocessing.Apply(Preprocess, pixels);

    /// <summary>Builds the model (default input 299×299×3, at least 75×75).</summary>
    public static ModelGraph Build(ApplicationOptions? options = null)
    {
        var o = options ?? ApplicationOptions.Default;
        var layers = Application.Builder(o);
        var imgInput = layers.Input(Application.InputShape(o, "InceptionV3", 299, 75));
        const int channelAxis = 3;
        SymbolicTensor Bn(SymbolicTensor t, int filters, int rows, int cols, Padding padding = Padding.Same, int strides = 1)
            => ConvBn(layers, t, filters, rows, cols, padding, strides);

        var x = Bn(imgInput, 32, 3, 3, strides: 2, padding: Padding.Valid);
        x = Bn(x, 32, 3, 3, padding: Padding.Valid);
        x = Bn(x, 64, 3, 3);
        x = layers.MaxPooling2D(3, strides: 2)(x);

        x = Bn(x, 80, 1, 1, padding: Padding.Valid);
        x = Bn(x, 192, 3, 3, padding: Padding.Valid);
        x = layers.MaxPooling2D(3, strides: 2)(x);

        // mixed 0, 1, 2: 35 x 35 x 256, 288, 288
        for (int i = 0; i < 3; i++)
        {
            var branch1x1 = Bn(x, 64, 1, 1);

            var branch5x5 = Bn(x, 48, 1, 1);
            branch5x5 = Bn(branch5x5, 64, 5, 5);

            var branch3x3dbl = Bn(x, 64, 1, 1);
            branch3x3dbl = Bn(branch3x3dbl, 96, 3, 3);
            branch3x3dbl = Bn(branch3x3dbl, 96, 3, 3);

            var branchPool = layers.AveragePooling2D(3, strides: 1, padding: Padding.Same)(x);
            branchPool = Bn(branchPool, i == 0 ? 32 : 64, 1, 1);
            x = layers.Concatenate(axis: channelAxis, name: "mixed" + i)(branch1x1, branch5x5, branch3x3dbl, branchPool);
        }

        // mixed 3: 17 x 17 x 768
        {
            var branch3x3 = Bn(x, 384, 3, 3, strides: 2, padding: Padding.Valid);

            var branch3x3dbl = Bn(x, 64, 1, 1);
            branch3x3dbl = Bn(branch3x3dbl, 96, 3, 3);
            branch3x3dbl = Bn(branch3x3dbl, 96, 3, 3, strides: 2, padding: Padding.Valid);

            var branchPool = layers.MaxPooling2D(3, strides: 2)(x);
            x = layers.Concatenate(axis: channelAxis, name: "mixed3")(branch3x3, branch3x3dbl, branchPool);
        }

        // mixed 4, 5, 6, 7: 17 x 17 x 768 (the 7x7 branches widen from 128 to 160 to 192)
        int[] width7x7 = [128, 160, 160, 192];
        for (int i = 0; i < 4; i++)
        {
            int c = width7x7[i];
            var branch1x1 = Bn(x, 192, 1, 1);

            var branch7x7 = Bn(x, c, 1, 1);
            branch7x7 = Bn(branch7x7, c, 1, 7);
            branch7x7 = Bn(branch7x7, 192, 7, 1);

            var branch7x7dbl = Bn(x, c, 1, 1);
            branch7x7dbl = Bn(branch7x7dbl, c, 7, 1);
            branch7x7dbl = Bn(branch7x7dbl, c, 1, 7);
            branch7x7dbl = Bn(branch7x7dbl, c, 7, 1);
            branch7x7dbl = Bn(branch7x7dbl, 192, 1, 7);

            var branchPool = layers.AveragePooling2D(3, strides: 1, padding: Padding.Same)(x);
            branchPool = Bn(branchPool, 192, 1, 1);
            x = layers.Concatenate(axis: channelAxis, name: "mixed" + (4 + i))(branch1x1, branch7x7, branch7x7dbl, branchPool);
        }

        // mixed 8: 8 x 8 x 1280
        {
            var branch3x3 = Bn(x, 192, 1, 1);
            branch3x3 = Bn(branch3x3, 320, 3, 3, strides: 2, padding: Padding.Valid);

            var branch7x7x3 = Bn(x, 192, 1, 1);
            branch7x7x3 = Bn(branch7x7x3, 192, 1, 7);
            branch7x7x3 = Bn(branch7x7x3, 192, 7, 1);
            branch7x7x3 = Bn(branch7x7x3, 192, 3, 3, strides: 2, padding: Padding.Valid);

            var branchPool = layers.MaxPooling2D(3, strides: 2)(x);
            x = layers.Concatenate(axis: channelAxis, name: "mixed8")(branch3x3, branch7x7x3, branchPool);
        }

        // mixed 9, 10: 8 x 8 x 2048
        for (int i = 0; i < 2; i++)
        {
            var branch1x1 = Bn(x, 320, 1, 1);

            var branch3x3 = Bn(x, 384, 1, 1);
            var branch3x3_1 = Bn(branch3x3, 384, 1, 3);
            var branch3x3_2 = Bn(branch3x3, 384, 3, 1);
            branch3x3 = layers.Concatenate(axis: channelAxis, name: "mixed9_" + i)(branch3x3_1, branch3x3_2);

            var branch3x3dbl = Bn(x, 448, 1, 1);
            branch3x3dbl = Bn(branch3x3dbl, 384, 3, 3);
            var branch3x3dbl_1 = Bn(branch3x3dbl, 384, 1, 3);
            var branch3x3dbl_2 = Bn(branch3x3dbl, 384, 3, 1);
            branch3x3dbl = layers.Concatenate(axis: channelAxis)(branch3x3dbl_1, branch3x3dbl_2);

            var branchPool = layers.AveragePooling2D(3, strides: 1, padding: Padding.Same)(x);
            branchPool = Bn(branchPool, 192, 1, 1);
            x = layers.Concatenate(axis: channelAxis, name: "mixed" + (9 + i))(branch1x1, branch3x3, branch3x3dbl, branchPool);
        }

        if (o.IncludeTop)
        {
            // Classification block
            x = layers.GlobalAveragePooling2D(name: "avg_pool")(x);
            x = layers.Dense(o.Classes, activation: Application.Activation(o), name: "predictions")(x);
        }
        else
        {
            x = Application.PoolingHead(layers, x, o);
        }
        return Application.Finish(layers, imgInput, x, "inception_v3", o, WeightBinding.ByPosition);
    }

    /// <summary><c>conv2d_bn</c>: Conv2D without bias, BatchNormalization without scale, ReLU, all automatically named.</summary>
    private static SymbolicTensor ConvBn(LayerBuilder layers, SymbolicTensor x, int filters, int numRow, int numCol, Padding padding, int strides)
    {
        const int bnAxis = 3;
        x = layers.Conv2D(filters, (numRow, numCol), strides: strides, padding: padding, useBias: false)(x);
        x = layers.BatchNormalization(axis: bnAxis, scale: false)(x);
        x = layers.Activation("relu")(x);
        return x;
    }
}
