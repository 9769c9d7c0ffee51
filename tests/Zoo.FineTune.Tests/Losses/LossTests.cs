using Zoo.FineTune.Losses;
using static TorchSharp.torch;

namespace Zoo.FineTune.Tests.Losses;

/// <summary>Each loss against Keras's formula computed by hand, including its ε clipping.</summary>
public class LossTests
{
    private static double[] PerSample(Loss loss, float[] y, long[] yShape, float[] p, long[] pShape)
    {
        using var yt = tensor(y, yShape);
        using var pt = tensor(p, pShape);
        using var l = loss.PerSample(yt, pt);
        return l.data<float>().ToArray().Select(v => (double)v).ToArray();
    }

    [Fact]
    public void Categorical_crossentropy_clips_a_zero_probability_at_keras_epsilon()
    {
        var l = PerSample(Loss.CategoricalCrossentropy, new float[] { 0, 1, 1, 0 }, new long[] { 2, 2 }, new float[] { 0.3f, 0.7f, 0f, 1f }, new long[] { 2, 2 });
        Assert.Equal(-Math.Log(0.7), l[0], 1e-6);
        Assert.Equal(-Math.Log(1e-7), l[1], 1e-3);
    }

    [Fact]
    public void Categorical_crossentropy_rescales_predictions_that_do_not_sum_to_one()
    {
        var l = PerSample(Loss.CategoricalCrossentropy, new float[] { 1, 0 }, new long[] { 1, 2 }, new float[] { 0.2f, 0.2f }, new long[] { 1, 2 });
        Assert.Equal(-Math.Log(0.5), l[0], 1e-6);
    }

    [Fact]
    public void Sparse_categorical_crossentropy_reads_class_indices()
    {
        var l = PerSample(Loss.SparseCategoricalCrossentropy, new float[] { 2, 0 }, new long[] { 2 }, new float[] { 0.1f, 0.2f, 0.7f, 0.6f, 0.3f, 0.1f }, new long[] { 2, 3 });
        Assert.Equal(-Math.Log(0.7), l[0], 1e-6);
        Assert.Equal(-Math.Log(0.6), l[1], 1e-6);
    }

    [Fact]
    public void Binary_crossentropy_averages_over_the_last_axis_with_clipping()
    {
        var l = PerSample(Loss.BinaryCrossentropy, new float[] { 1, 0 }, new long[] { 1, 2 }, new float[] { 0.8f, 1f }, new long[] { 1, 2 });
        // Clipped in float32, as Keras does: 1 − ε rounds to 1 − 2⁻²³, so log(1 − p) is log(2⁻²³), not log(ε).
        double expected = (-Math.Log(0.8) - Math.Log(1 - (double)(float)(1 - 1e-7))) / 2;
        Assert.Equal(expected, l[0], 1e-3);
    }

    [Fact]
    public void Mean_squared_error_is_the_mean_over_the_last_axis()
    {
        var l = PerSample(Loss.MeanSquaredError, new float[] { 1, 2, 3, 4 }, new long[] { 2, 2 }, new float[] { 0, 2, 3, 6 }, new long[] { 2, 2 });
        Assert.Equal(new[] { 0.5, 2.0 }, l);
    }

    [Fact]
    public void Binary_accuracy_thresholds_at_one_half()
    {
        using var y = tensor(new float[] { 1, 0, 1, 0 }, new long[] { 4, 1 });
        using var p = tensor(new float[] { 0.6f, 0.4f, 0.5f, 0.7f }, new long[] { 4, 1 });
        using var acc = Loss.BinaryCrossentropy.Accuracy(y, p);
        Assert.Equal(new float[] { 1, 1, 0, 0 }, acc.data<float>().ToArray());
    }
}
