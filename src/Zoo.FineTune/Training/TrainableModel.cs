using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Models;
using Zoo.Models.Training;
using static TorchSharp.torch;

namespace Zoo.FineTune.Training;

/// <summary>
/// Keras's <c>fit</c>/<c>evaluate</c> machinery over one <see cref="KerasModel"/>: its <see cref="TrainingSession"/>
/// (the runtime's own lowerings in training mode, gradients on the weights of every trainable layer, a call's
/// <c>training=False</c> keeping everything inside it in inference mode) and what the last fit compiled. The public
/// face is <see cref="KerasModelTraining"/>'s members on <see cref="KerasModel"/>; frozen weights are never handed to
/// an optimizer, so they stay bit-identical. Inputs are Keras layout (channels last).
/// </summary>
internal sealed partial class TrainableModel : IDisposable
{
    private readonly bool ownsModel;

    /// <summary>The training engine of <paramref name="model"/> (its session starts with <paramref name="seed"/>).</summary>
    public TrainableModel(KerasModel model, int seed, bool ownsModel = false)
    {
        Model = model;
        this.ownsModel = ownsModel;
        Session = model.Training(seed);
        Seed = Session.Seed;
    }

    /// <summary>The model trained.</summary>
    public KerasModel Model { get; }

    /// <summary>Its training view.</summary>
    public TrainingSession Session { get; }

    /// <summary>The model's graph (flags live; weights as read).</summary>
    public ModelGraph Graph => Model.Graph;

    /// <summary>The seed of dropout masks, shuffling and new weights.</summary>
    public int Seed { get; }

    /// <summary>Names (<c>model/layer</c> inside nested models) of layers whose weights train.</summary>
    public IReadOnlyList<string> TrainableLayers => Session.TrainableLayers;

    /// <summary>The tensors the optimizer updates, in layer order.</summary>
    internal IReadOnlyList<Tensor> TrainableWeights => Session.Weights.Select(w => w.Value).ToArray();

    /// <summary>
    /// Builds and binds <paramref name="graph"/> (every input must declare its shape) as a model of its own and marks
    /// the weights of its trainable layers for training.
    /// </summary>
    /// <exception cref="UnsupportedFeatureException">An input declares no shape, or a trainable recurrent layer has <c>dropout</c>/<c>recurrent_dropout</c>.</exception>
    public static TrainableModel FromGraph(ModelGraph graph, int seed = 0, KerasModelOptions? options = null)
    {
        var model = KerasModel.FromGraph(graph, null, options);
        try
        {
            return new TrainableModel(model, seed, ownsModel: true);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Runs the model with autograd on; <paramref name="training"/> is Keras's <c>training</c> argument.</summary>
    internal Tensor[] Forward(Tensor[] inputs, bool training) => Session.Forward(inputs, training);

    /// <summary>Runs the layers after <paramref name="call"/> from its output <paramref name="features"/>.</summary>
    internal Tensor ForwardFrom((string Layer, int Node) call, Tensor features, bool training) => Session.ForwardFrom(call, features, training);

    /// <summary>The output of <paramref name="call"/> for every sample of <paramref name="x"/>, in inference mode, batch by batch.</summary>
    internal Tensor Features((string Layer, int Node) call, Tensor x, int batchSize) => Session.Features(call, x, batchSize);

    /// <summary>Runs the model in inference mode on Keras-layout <paramref name="x"/> (one input, one output).</summary>
    public Tensor Predict(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var y = Forward(new[] { x.to_type(ScalarType.Float32) }, training: false);
        return y[0].contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Runs the model in inference mode on row-major data of <paramref name="shape"/>.</summary>
    public float[] Predict(float[] x, long[] shape)
    {
        using var input = tensor(x, shape);
        using var y = Predict(input);
        return y.data<float>().ToArray();
    }

    /// <summary>Copies of every weight the layers hold (moving statistics included), to restore later.</summary>
    internal Tensor[] SnapshotWeights() => Session.Snapshot();

    /// <summary>Puts back a <see cref="SnapshotWeights"/> copy.</summary>
    internal void RestoreWeights(IReadOnlyList<Tensor> snapshot) => Session.Restore(snapshot);

    /// <summary>
    /// A copy of <see cref="Graph"/> holding the current weights (Keras layout, stored names and dtypes), the
    /// <c>trainable</c> flags and what the last fit compiled, ready for <see cref="KerasFile.Save(ModelGraph, string, SaveOptions?)"/>; weights that never
    /// changed keep their bytes.
    /// </summary>
    public ModelGraph ExportGraph() => Model.ExportGraph();

    /// <summary>The optimizer and losses of the last <c>Fit</c> (Keras's <c>compile</c>), written on export.</summary>
    internal CompiledState? Compiled
    {
        get => Model.TrainingState as CompiledState;
        set => Model.TrainingState = value;
    }

    /// <summary>Saves the model with its current weights (format from the extension: <c>.h5</c>, <c>.keras</c>, …).</summary>
    public void Save(string path, SaveOptions? options = null) => Model.Save(path, options);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (ownsModel) Model.Dispose();
    }
}
