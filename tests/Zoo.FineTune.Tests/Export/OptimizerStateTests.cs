using Zoo.FineTune.Fitting;
using Zoo.FineTune.Optimizers;
using Zoo.FineTune.Tests.Support;
using Zoo.FineTune.Training;
using Zoo.Formats;
using Zoo.Formats.Ir;

namespace Zoo.FineTune.Tests.Export;

/// <summary>A saved full model carries the optimizer's state as tf.keras 2.15 names and orders it.</summary>
public sealed class OptimizerStateTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("zoo-finetune-opt-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private ModelGraph SaveAfterFit(Optimizer optimizer)
    {
        using var model = TrainableModel.FromGraph(TinyModels.Mlp(hidden: 8), seed: 1);
        model.Fit(SyntheticData.Blobs(16, seed: 2), new FitOptions { Epochs = 2, BatchSize = 8, Optimizer = optimizer });
        var path = Path.Combine(dir, optimizer.KerasName + ".h5");
        model.Save(path);
        return KerasFile.Load(path);
    }

    [Fact]
    public void Adam_state_is_saved_weight_by_weight_with_the_iteration_count_first()
    {
        var g = SaveAfterFit(new Adam(0.01));
        Assert.Equal(new[]
        {
            "iteration:0",
            "Adam/m/hidden/kernel:0", "Adam/v/hidden/kernel:0", "Adam/m/hidden/bias:0", "Adam/v/hidden/bias:0",
            "Adam/m/predictions/kernel:0", "Adam/v/predictions/kernel:0", "Adam/m/predictions/bias:0", "Adam/v/predictions/bias:0",
        }, g.OptimizerWeights.Select(w => w.Name));
        Assert.Equal(4L, BitConverter.ToInt64(g.OptimizerWeights[0].Data));
        Assert.Equal(new long[] { 2, 8 }, g.OptimizerWeights[1].Shape);   // Keras layout (in, out)
        Assert.Contains(g.OptimizerWeights[2].ToFloat32(), v => v > 0);
        Assert.Equal("Custom>Adam", g.TrainingConfig!["optimizer_config"]!["class_name"]!.GetValue<string>());
    }

    [Fact]
    public void Rmsprop_without_momentum_saves_only_its_velocities_slot_by_slot()
    {
        var g = SaveAfterFit(new RmsProp());
        Assert.Equal(new[] { "iteration:0", "RMSprop/velocity/hidden/kernel:0", "RMSprop/velocity/hidden/bias:0",
            "RMSprop/velocity/predictions/kernel:0", "RMSprop/velocity/predictions/bias:0" }, g.OptimizerWeights.Select(w => w.Name));
    }
}
