using Zoo.Formats.Ir;

namespace Zoo.Models.Training;

/// <summary>
/// What a trainer attached to a <see cref="KerasModel"/> (<see cref="KerasModel.TrainingState"/>) and
/// <see cref="KerasModel.ExportGraph"/> writes with the weights: Keras's <c>training_config</c> or <c>compile_config</c>
/// and the optimizer's state, in the model's dialect.
/// </summary>
public interface ITrainingState
{
    /// <summary>Writes the training configuration and optimizer state into <paramref name="exported"/>, a copy of the model's graph with its current weights.</summary>
    void WriteInto(ModelGraph exported);
}
