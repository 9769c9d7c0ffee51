using System.Reflection;
using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using Zoo.Models;
using Zoo.Models.Graph;
using Zoo.Models.Torch;
using static TorchSharp.torch;

namespace Zoo.FineTune.Training;

/// <summary>
/// A Keras model made trainable on TorchSharp: the runtime's lowerings with Keras's training behaviour for
/// Dropout and BatchNormalization, and gradients on the weights of every layer whose <c>trainable</c> flag
/// (and every enclosing model's) is true. Frozen weights are never handed to an optimizer, so they stay
/// bit-identical. Inputs are Keras layout (channels last).
/// <code>
/// using var model = TrainableModel.FromGraph(graph, seed: 1);
/// var history = model.Fit(data, new FitOptions { Epochs = 5 });
/// model.Save("tuned.h5");
/// </code>
/// </summary>
public sealed partial class TrainableModel : IDisposable
{
    private readonly GraphExecutor executor;
    private readonly TrainingPhase phase;
    private readonly List<(string Path, LayerNode Node, LoweredLayer Layer)> layers;
    private readonly List<TrainingLeaf> leaves = new();
    // Recurrent cells fuse or slice their weights once on load; trained ones re-derive them before each run so
    // gradients reach the weights and updates reach the cell.
    private readonly List<LoweredLayer> rederived = new();

    private TrainableModel(ModelGraph graph, int seed, KerasModelOptions? options)
    {
        Graph = graph;
        Seed = seed;
        phase = new TrainingPhase(seed);
        var withTraining = new KerasModelOptions { FileOptions = options?.FileOptions ?? LoadOptions.Default };
        foreach (var (k, v) in options?.CustomLayers ?? new()) withTraining.CustomLayers[k] = v;
        foreach (var (k, v) in options?.LambdaLayers ?? new()) withTraining.LambdaLayers[k] = v;
        var dialect = graph.Metadata.Dialect;
        withTraining.CustomLayers.TryAdd("BatchNormalization", s => new TrainingBatchNormalization(s, dialect, phase));
        withTraining.CustomLayers.TryAdd("Dropout", s => new TrainingDropout(s, phase));
        withTraining.CustomLayers.TryAdd("SpectralNormalization", s => new TrainingSpectralNormalization(s, dialect, phase));
        withTraining.CustomLayers.TryAdd("Addons>SpectralNormalization", s => new TrainingSpectralNormalization(s, dialect, phase));
        withTraining.CustomLayers.TryAdd(BatchInstanceNormalizationSpec.KerasName, s => new TrainingBatchInstanceNormalization(s, dialect, phase));
        withTraining.CustomLayers.TryAdd(SwitchableNormalizationSpec.KerasName, s => new TrainingSwitchableNormalization(s, dialect, phase));
        withTraining.CustomLayers.TryAdd(OnlineNormalizationSpec.KerasName, s => new TrainingOnlineNormalization(s, dialect, phase));
        executor = new GraphExecutor(graph, dialect, withTraining);
        layers = new();
    }

    /// <summary>The model as given (its weights are the starting point; see <see cref="ExportGraph"/> for the trained ones).</summary>
    public ModelGraph Graph { get; }

    /// <summary>The seed of dropout masks, shuffling and new weights.</summary>
    public int Seed { get; }

    /// <summary>Names (<c>model/layer</c> inside nested models) of layers whose weights train.</summary>
    public IReadOnlyList<string> TrainableLayers => layers.Where(l => IsTrainable(l.Path)).Select(l => l.Path).Distinct().ToArray();

    /// <summary>The tensors the optimizer updates, in layer order.</summary>
    internal IReadOnlyList<Tensor> TrainableWeights { get; private set; } = Array.Empty<Tensor>();

    private readonly List<(TrainingLeaf Leaf, int Index)> trainableOrigins = new();

    private HashSet<string> trainablePaths = new(StringComparer.Ordinal);

    private bool IsTrainable(string path) => trainablePaths.Contains(path);

    /// <summary>
    /// Builds and binds <paramref name="graph"/> (every input must declare its shape) and marks the weights
    /// of its trainable layers for training.
    /// </summary>
    /// <exception cref="UnsupportedFeatureException">
    /// A trainable layer's lowering keeps weights Zoo cannot train yet (a BatchNormalization inside
    /// TimeDistributed), or a trainable recurrent layer has <c>dropout</c>/<c>recurrent_dropout</c>.
    /// </exception>
    public static TrainableModel FromGraph(ModelGraph graph, int seed = 0, KerasModelOptions? options = null)
    {
        var model = new TrainableModel(graph, seed, options);
        try
        {
            model.BindAll();
            model.MarkTrainable();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private void BindAll()
    {
        var shapes = executor.InputShapes();
        if (shapes.Count == 0 || shapes.Any(s => s is null))
            throw new UnsupportedFeatureException($"model '{Graph.Name}': training needs every input to declare its shape");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var probes = shapes.Select(s => ones(s!.Select((d, i) => i == 0 ? 1 : d ?? 32).ToArray())).ToArray();
        executor.Run(probes);
        executor.ReportUncalled();
        executor.Report.ThrowIfIncomplete(null);
        layers.AddRange(executor.LoweredLayers());
        leaves.AddRange(layers.SelectMany(l => TrainingLeaf.Of(l.Path, l.Node, l.Layer)));
    }

    private void MarkTrainable()
    {
        var effective = EffectiveTrainable(Graph, "", true);
        var weights = new List<Tensor>();
        trainableOrigins.Clear();
        rederived.Clear();
        foreach (var leaf in leaves)
        {
            var (path, layer) = (leaf.Path, leaf.Layer);
            bool on = effective.GetValueOrDefault(path, true);
            // Inside a wrapper the runtime's inference lowering runs, so a Dropout there would not drop.
            if (leaf.InnerName.Length > 0 && FeatureCache.IsRandomInTraining(layer.Spec.ClassName))
                throw new UnsupportedFeatureException(
                    $"layer '{path}' ({leaf.Node.ClassName}): a {layer.Spec.ClassName} inside a wrapper cannot be trained yet (it would not drop in training)",
                    null, $"layers/{path}");
            if (layer is TrainingBatchNormalization bn) bn.Trainable = on;
            if (!on || layer.TrainableTensors.Count == 0) continue;
            if (layer is RecurrentLowering)
            {
                leaf.RefuseRecurrentDropout();
                rederived.Add(layer);
            }
            else if (layer is not TrainingBatchNormalization && DerivesCaches(layer))
                throw new UnsupportedFeatureException(
                    $"layer '{path}' ({layer.Spec.ClassName}) cannot be trained yet: its lowering derives tensors from its weights; freeze it (set trainable false)",
                    null, $"layers/{path}");
            trainablePaths.Add(path);
            for (int i = 0; i < layer.TrainableTensors.Count; i++)
            {
                if (NonTrainableWeights.Is(layer.Expected[i])) continue;
                weights.Add(layer.TrainableTensors[i].requires_grad_(true));
                trainableOrigins.Add((leaf, i));
            }
        }
        TrainableWeights = weights;
    }

    private static bool DerivesCaches(LoweredLayer layer)
        => layer.GetType().GetMethod("OnLoaded", BindingFlags.Instance | BindingFlags.NonPublic)?.DeclaringType != typeof(LoweredLayer);

    /// <summary>Each leaf layer's trainable flag AND-ed with its enclosing models' flags (Keras's rule for nested models).</summary>
    internal static Dictionary<string, bool> EffectiveTrainable(ModelGraph graph, string prefix, bool parent)
    {
        var result = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var layer in graph.Layers.Where(l => l.ClassName != "InputLayer"))
        {
            bool on = parent && layer.Trainable;
            if (layer.Nested is not null)
                foreach (var (k, v) in EffectiveTrainable(layer.Nested, prefix + layer.Name + "/", on)) result[k] = v;
            else result[prefix + layer.Name] = on;
        }
        return result;
    }

    /// <summary>Runs the model with autograd on; <paramref name="training"/> is Keras's <c>training</c> argument.</summary>
    internal Tensor[] Forward(Tensor[] inputs, bool training)
    {
        Rederive();
        phase.Training = training;
        try { return executor.Run(inputs); }
        finally { phase.Training = false; }
    }

    /// <summary>Runs the layers after <paramref name="call"/> from its output <paramref name="features"/>.</summary>
    internal Tensor ForwardFrom((string Layer, int Node) call, Tensor features, bool training)
    {
        Rederive();
        phase.Training = training;
        try { return executor.RunFrom(call.Layer, call.Node, features)[0]; }
        finally { phase.Training = false; }
    }

    /// <summary>Re-derives the fused weights of trained recurrent cells from the weights as they are now (with autograd when on).</summary>
    private void Rederive()
    {
        foreach (var layer in rederived) layer.ParametersChanged();
    }

    /// <summary>The output of <paramref name="call"/> for every sample of <paramref name="x"/>, in inference mode, batch by batch.</summary>
    internal Tensor Features((string Layer, int Node) call, Tensor x, int batchSize)
    {
        var key = FeatureCache.Key(call);
        var parts = new List<Tensor>();
        using (no_grad())
        {
            for (long start = 0; start < x.shape[0]; start += batchSize)
            {
                using var scope = NewDisposeScope();
                Tensor? seen = null;
                executor.Run(new[] { x.narrow(0, start, Math.Min(batchSize, x.shape[0] - start)) }, (name, outs) => { if (name == key) seen = outs[0]; });
                parts.Add((seen ?? throw new InvalidOperationException($"the base output '{key}' was not computed")).contiguous().MoveToOuterDisposeScope());
            }
        }
        var all = cat(parts, 0);
        foreach (var p in parts) p.Dispose();
        return all;
    }

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
    internal Tensor[] SnapshotWeights()
        => leaves.SelectMany(l => l.Layer.TrainableTensors).Select(t => t.detach().clone()).ToArray();

    /// <summary>Puts back a <see cref="SnapshotWeights"/> copy.</summary>
    internal void RestoreWeights(IReadOnlyList<Tensor> snapshot)
    {
        using var _ = no_grad();
        int k = 0;
        foreach (var l in leaves)
        {
            foreach (var t in l.Layer.TrainableTensors) t.copy_(snapshot[k++]);
            l.Layer.ParametersChanged();
        }
    }

    /// <summary>
    /// A copy of <see cref="Graph"/> holding the current weights (Keras layout, stored names and dtypes) and
    /// the <c>trainable</c> flags, ready for <see cref="KerasFile.Save"/>; weights that never changed keep their bytes.
    /// </summary>
    public ModelGraph ExportGraph()
    {
        var copy = Graph.DeepClone();
        foreach (var (_, _, layer) in layers) TrainingLeaf.SyncWrapper(layer);
        executor.ExportInto(copy);
        if (Compiled is { } c)
        {
            copy.TrainingConfig = compiledOutputs is { Length: > 1 } heads
                ? TrainingConfigWriter.Write(c.Optimizer, heads.Select(h => (h.Name, h.Loss, h.Weight)).ToArray())
                : TrainingConfigWriter.Write(c.Optimizer, c.Loss);
            // A graph read from a Keras 3 archive keeps its compile() arguments here; the archive writer prefers them.
            if (copy.Extras.ContainsKey("compile_config"))
                copy.Extras["compile_config"] = Zoo.Formats.Dialects.TrainingConfigConversion.ToCompileConfig(copy.TrainingConfig, new());
            copy.OptimizerWeights.Clear();
            copy.OptimizerWeights.AddRange(OptimizerState(c.Optimizer));
        }
        return copy;
    }

    /// <summary>
    /// The optimizer's state as tf.keras 2.15 saves it in <c>optimizer_weights</c>: <c>iteration:0</c> (int64),
    /// then <c>{Optimizer}/{slot}/{layer}/{weight}:0</c> in Keras layout, in Keras's order.
    /// </summary>
    private IEnumerable<WeightTensor> OptimizerState(Optimizers.Optimizer optimizer)
    {
        yield return new WeightTensor("iteration:0", Array.Empty<long>(), DType.Int64, BitConverter.GetBytes(optimizer.Iterations));
        foreach (var (slot, w, state) in optimizer.SavedState(TrainableWeights))
        {
            var (leaf, index) = trainableOrigins[w];
            var layer = leaf.Layer;
            using var zero = state is null ? TrainableWeights[w].detach().zeros_like() : null;
            using var keras = layer.KerasLayoutOf(index, state ?? zero!);
            var values = keras.to_type(ScalarType.Float32).data<float>().ToArray();
            yield return new WeightTensor($"{optimizer.KerasName}/{slot}/{leaf.KerasName}/{layer.Expected[index].Name}:0", keras.shape, DType.Float32,
                System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        }
    }

    /// <summary>The optimizer and loss of the last <c>Fit</c> (Keras's <c>compile</c>), written as <c>training_config</c> on export.</summary>
    internal (Optimizers.Optimizer Optimizer, Losses.Loss Loss)? Compiled
    {
        get => compiled;
        set { compiled = value; compiledOutputs = null; }
    }

    private (Optimizers.Optimizer Optimizer, Losses.Loss Loss)? compiled;

    /// <summary>Saves the model with its current weights (format from the extension: <c>.h5</c>, <c>.keras</c>, …).</summary>
    public void Save(string path, SaveOptions? options = null) => KerasFile.Save(ExportGraph(), path, options);

    /// <inheritdoc/>
    public void Dispose()
    {
        executor.Dispose();
        phase.Dispose();
    }
}
