using Zoo.Formats.Ir;

namespace Zoo.Formats.Tests;

public class WeightTensorTests
{
    [Fact]
    public void Short_name_strips_scope_and_suffix()
    {
        Assert.Equal("kernel", WeightTensor.ShortNameOf("dense/kernel:0"));
        Assert.Equal("kernel", WeightTensor.ShortNameOf("sequential/dense/kernel"));
        Assert.Equal("dense_1_W", WeightTensor.ShortNameOf("dense_1_W:0"));
    }

    [Fact]
    public void Data_length_must_match_shape()
    {
        Assert.Throws<ModelFormatException>(() => new WeightTensor("w", new long[] { 2, 3 }, DType.Float32, new byte[20]));
    }
}
