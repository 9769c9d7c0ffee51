using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Zoo.Models.Torch;
using static TorchSharp.torch;

namespace Zoo.Models.Tests.Torch;

public class KerasTorchLayoutProperties
{
    private static long Dim(int v) => 1 + (Math.Abs(v) % 4);

    private static Tensor Distinct(params long[] shape) => arange(shape.Aggregate(1L, (a, b) => a * b), ScalarType.Float32).reshape(shape);

    [Property(MaxTest = 100)]
    public Property Conv_kernel_Keras_to_torch_to_Keras_is_the_identity(int a, int b, int c, int d, bool oneD)
    {
        var shape = oneD ? new[] { Dim(a), Dim(c), Dim(d) } : new[] { Dim(a), Dim(b), Dim(c), Dim(d) };
        using var k = Distinct(shape);
        using var t = KerasTorchLayout.ConvToTorch(k);
        using var back = KerasTorchLayout.ConvToKeras(t);
        // torch layout must be (out, in, k…) with the same element at each (o, i, k…).
        bool layout = t.shape[0] == shape[^1] && t.shape[1] == shape[^2];
        return (layout && back.shape.SequenceEqual(shape) && back.eq(k).all().item<bool>()).ToProperty();
    }

    [Property(MaxTest = 100)]
    public Property Dense_kernel_Keras_to_torch_to_Keras_is_the_identity(int a, int b)
    {
        using var k = Distinct(Dim(a), Dim(b));
        using var t = KerasTorchLayout.DenseToTorch(k);
        using var back = KerasTorchLayout.DenseToKeras(t);
        return (back.eq(k).all().item<bool>() && t[0, 0].item<float>() == k[0, 0].item<float>()).ToProperty();
    }

    [Property(MaxTest = 100)]
    public Property Depthwise_kernel_Keras_to_torch_to_Keras_is_the_identity(int a, int b, int c, int d)
    {
        long kh = Dim(a), kw = Dim(b), inCh = Dim(c), mult = Dim(d);
        using var k = Distinct(kh, kw, inCh, mult);
        using var t = KerasTorchLayout.DepthwiseToTorch(k);
        using var back = KerasTorchLayout.DepthwiseToKeras(t, inCh);
        bool shape = t.shape.SequenceEqual(new[] { inCh * mult, 1, kh, kw });
        // Output channel ci·mult + m holds Keras's [.., .., ci, m] filter.
        long ci = inCh - 1, m = mult - 1;
        bool placed = t[ci * mult + m, 0, kh - 1, 0].item<float>() == k[kh - 1, 0, ci, m].item<float>();
        return (shape && placed && back.eq(k).all().item<bool>()).ToProperty();
    }
}
