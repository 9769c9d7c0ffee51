using System.Runtime.InteropServices;
using Zoo.FineTune.Losses;
using Zoo.FineTune.Optimizers;
using Zoo.Formats.Ir;
using Zoo.Models.Training;
using static TorchSharp.torch;

namespace Zoo.FineTune.Training;

/// <summary>
/// Keras's <c>compile</c> as a model carries it: the optimizer (with its state) and each output's loss, written into an
/// export as <c>training_config</c> (and <c>compile_config</c> for Keras 3) and the optimizer's variables in the order
/// the model's dialect saves them (tf.keras 2.15's <c>optimizer_weights</c>, or Keras 3's <c>optimizer/vars/N</c>).
/// </summary>
internal sealed class CompiledState(TrainingSession session, Optimizer optimizer, IReadOnlyList<(string Name, Loss Loss, double Weight)> heads) : ITrainingState
{
    public Optimizer Optimizer { get; } = optimizer;

    public IReadOnlyList<(string Name, Loss Loss, double Weight)> Heads { get; } = heads;

    /// <inheritdoc/>
    public void WriteInto(ModelGraph copy)
    {
        copy.Metadata.RandomWeights = false; // trained now
        copy.TrainingConfig = Heads.Count > 1 ? TrainingConfigWriter.Write(Optimizer, Heads.ToArray()) : TrainingConfigWriter.Write(Optimizer, Heads[0].Loss);
        // A Keras 3 graph keeps its compile() arguments here; the archive writer prefers them.
        bool keras3 = copy.Metadata.Dialect == KerasDialectKind.Keras3;
        if (keras3 || copy.Extras.ContainsKey("compile_config"))
            copy.Extras["compile_config"] = Zoo.Formats.Dialects.TrainingConfigConversion.ToCompileConfig(copy.TrainingConfig, new());
        copy.OptimizerWeights.Clear();
        copy.OptimizerWeights.AddRange(keras3 ? Keras3State() : TfKerasState());
    }

    private IReadOnlyList<Tensor> Values => session.Weights.Select(w => w.Value).ToArray();

    /// <summary>tf.keras 2.15's <c>optimizer_weights</c>: <c>iteration:0</c> (int64), then <c>{Optimizer}/{slot}/{layer}/{weight}:0</c> in Keras layout.</summary>
    private IEnumerable<WeightTensor> TfKerasState()
    {
        yield return new WeightTensor("iteration:0", [], DType.Int64, BitConverter.GetBytes(Optimizer.Iterations));
        foreach (var (slot, w, state) in Optimizer.SavedState(Values))
            yield return Slot(w, state, $"{Optimizer.KerasName}/{slot}/{session.Weights[w].KerasLayerName}/{session.Weights[w].Name}:0", null);
    }

    /// <summary>Keras 3's optimizer variables: iteration (int64), learning_rate (float32) unless a schedule drives it, then the slots.</summary>
    private IEnumerable<WeightTensor> Keras3State()
    {
        string prefix = Optimizer.KerasName.ToLowerInvariant();
        int n = 0;
        yield return new WeightTensor($"{prefix}/iteration", [], DType.Int64, BitConverter.GetBytes(Optimizer.Iterations)) { ObjectPath = $"vars/{n++}" };
        if (Optimizer.Schedule is null)
            yield return new WeightTensor($"{prefix}/learning_rate", [], DType.Float32, BitConverter.GetBytes((float)Optimizer.LearningRate)) { ObjectPath = $"vars/{n++}" };
        foreach (var (slot, w, state) in Optimizer.Keras3State(Values))
        {
            var weight = session.Weights[w];
            yield return Slot(w, state, $"{prefix}/{weight.KerasLayerName.Replace('/', '_')}_{weight.Name}_{Keras3SlotName(slot)}", $"vars/{n++}");
        }
    }

    private WeightTensor Slot(int w, Tensor? state, string name, string? objectPath)
    {
        var weight = session.Weights[w];
        using var zero = state is null ? weight.Value.detach().zeros_like() : null;
        using var keras = weight.ToKerasLayout(state ?? zero!);
        var values = keras.to_type(ScalarType.Float32).data<float>().ToArray();
        return new WeightTensor(name, keras.shape, DType.Float32, MemoryMarshal.AsBytes(values.AsSpan()).ToArray()) { ObjectPath = objectPath };
    }

    // Keras 3 names the slots momentum/velocity where tf.keras 2.15 wrote m/v.
    private static string Keras3SlotName(string slot) => slot switch { "m" => "momentum", "v" => "velocity", _ => slot };
}
