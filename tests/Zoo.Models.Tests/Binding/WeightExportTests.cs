using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Support;
using Zoo.Models.Binding;
using static TorchSharp.torch;

namespace Zoo.Models.Tests.Binding;

public class WeightExportTests
{
    [SkippableTheory]
    [InlineData("dl4j-test-resources/cnn_batch_norm.h5")]
    [InlineData("dl4j-test-resources/simple_lstm_tf_keras_1_model.h5")]
    [InlineData("dl4j-test-resources/conv2d_theano_2.h5")]
    [InlineData("dl4j-test-resources/bidirectional_lstm_tensorflow_2.h5")]
    [InlineData("dl4j-test-resources/tfkeras_cnn_1d_doublecount.h5")]
    [InlineData("dl4j-test-resources/wgan_discriminator.h5")]
    [InlineData("subhadip-mnist-tfjs/Subhadip_Hensh_MNIST_CNN.keras")]
    public void Exporting_untrained_weights_back_to_the_IR_is_bit_identical(string localPath)
    {
        using var m = KerasModel.Load(Fixtures.Path(localPath));
        var exported = m.ExportGraph();
        var before = m.Graph.AllWeights().ToList();
        var after = exported.AllWeights().ToList();
        Assert.Equal(before.Count, after.Count);
        Assert.NotEmpty(before);
        Assert.All(before.Zip(after), p => Assert.True(p.First.BitEquals(p.Second), $"{p.First.Name} changed on export"));
    }

    [Fact]
    public void A_changed_weight_is_written_in_the_stored_dtype_under_the_stored_name()
    {
        var original = new WeightTensor("dense/kernel:0", new long[] { 2 }, DType.Float64, BitConverter.GetBytes(1.0).Concat(BitConverter.GetBytes(2.0)).ToArray());
        using var changed = tensor(new float[] { 1.5f, 2 });
        var w = WeightExport.ToStored(changed, original);
        Assert.Equal("dense/kernel:0", w.Name);
        Assert.Equal(DType.Float64, w.DType);
        Assert.Equal(new float[] { 1.5f, 2 }, w.ToFloat32());
    }
}
