using System.Runtime.CompilerServices;
using Zoo.FineTune.Callbacks;
using Zoo.FineTune.Fitting;
using Zoo.FineTune.Freezing;
using Zoo.FineTune.Losses;
using Zoo.FineTune.Training;
using Zoo.Models;

namespace Zoo.FineTune;

/// <summary>
/// Fine-tuning as members of <see cref="KerasModel"/>, the one model type: freeze by the transfer-learning policies,
/// replace the head, fit and evaluate with Keras's semantics; <see cref="KerasModel.Predict(TorchSharp.torch.Tensor[])"/>
/// and <see cref="KerasModel.Save(string, Zoo.Formats.SaveOptions?)"/> then see the trained weights, the trainable flags
/// and the compiled optimizer and its state.
/// <code>
/// using var model = KerasModel.Load("model.h5");
/// model.Freeze(new FineTuneOptions { Policy = FreezePolicy.Small });
/// var history = model.Fit(data, new FitOptions { Epochs = 5, Optimizer = new Adam(1e-3) });
/// model.Save("tuned.h5");
/// </code>
/// </summary>
public static class KerasModelTraining
{
    private static readonly ConditionalWeakTable<KerasModel, TrainableModel> trainers = new();

    // One trainer per model: its session (and generator) starts with the first fit's seed.
    private static TrainableModel Trainer(KerasModel model, int seed) => trainers.GetValue(model, m => new TrainableModel(m, seed));

    extension(KerasModel model)
    {
        /// <summary>
        /// Sets the model's <c>trainable</c> flags by <paramref name="options"/>' policy (small: the whole base frozen,
        /// medium: up to the architecture's cut, large: nothing frozen, auto: by dataset size) and reports why. For a new
        /// head use <see cref="ReplaceHead"/> first.
        /// </summary>
        public FreezeReport Freeze(FineTuneOptions options)
        {
            var report = Freezer.Apply(model.Graph, options);
            if (trainers.TryGetValue(model, out var trainer)) trainer.Session.Refresh();
            return report;
        }

        /// <summary>
        /// A new model with the transfer-learning guide's head for <paramref name="classes"/> classes (GlobalAveragePooling2D
        /// when the base gives feature maps, Dropout, Dense) in place of this model's head, with this model's current weights.
        /// </summary>
        public KerasModel ReplaceHead(int classes, double dropout = 0.2, string activation = "softmax", int seed = 0)
            => KerasModel.FromGraph(HeadReplacer.Replace(model.ExportGraph(), classes, dropout, activation, seed));

        /// <summary>Keras's <c>fit</c> on one input and one output (see <see cref="FitOptions"/>); callbacks as Keras's.</summary>
        public History Fit(ArrayDataset data, FitOptions? options = null, params Callback[] callbacks)
            => Trainer(model, options?.Seed ?? 0).Fit(data, options, callbacks);

        /// <summary>Keras's <c>fit</c> on several inputs or outputs, one array each, in the model's order.</summary>
        public History Fit(MultiArrayDataset data, FitOptions? options = null, params Callback[] callbacks)
            => Trainer(model, options?.Seed ?? 0).Fit(data, options, callbacks);

        /// <summary>Keras's <c>evaluate</c>: the mean loss and accuracy over <paramref name="data"/>, in inference mode.</summary>
        public (double Loss, double Accuracy) Evaluate(ArrayDataset data, Loss loss, int batchSize = 32)
            => Trainer(model, 0).Evaluate(data, loss, batchSize);

        /// <summary>Keras's <c>evaluate</c> for several inputs or outputs.</summary>
        public IReadOnlyDictionary<string, double> Evaluate(MultiArrayDataset data, FitOptions? options = null)
            => Trainer(model, options?.Seed ?? 0).Evaluate(data, options);

        /// <summary>Names (<c>model/layer</c> inside nested models) of the layers whose weights train under the current flags.</summary>
        public IReadOnlyList<string> TrainableLayers => model.Training().TrainableLayers;

        /// <summary>True when the last fit trained the head on cached features of the frozen base.</summary>
        public bool UsedFeatureCache => trainers.TryGetValue(model, out var t) && t.UsedFeatureCache;
    }
}
