using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using Zoo.Models;
using Zoo.Models.Graph;
using Zoo.Models.Torch;
using static TorchSharp.torch;

namespace Zoo.FineTune.Training;

/// <summary>
/// A Keras model made trainable on TorchSharp: the runtime's own lowerings, run in training mode (each lowering
/// knows what Keras does in a training call: Dropout drops, BatchNormalization uses batch statistics), and gradients
/// on the weights of every layer whose <c>trainable</c> flag (and every enclosing model's) is true. A call's
/// <c>training=False</c> keyword (<c>base(x, training=False)</c>) keeps everything inside it in inference mode.
/// Frozen weights are never handed to an optimizer, so they stay bit-identical. Inputs are Keras layout (channels last).
/// <code>
/// using var model = TrainableModel.FromGraph(graph, seed: 1);
/// var history = model.Fit(data, new FitOptions { Epochs = 5 });
/// model.Save("tuned.h5");
/// </code>
/// </summary>
public sealed partial class TrainableModel : IDisposable
{
    private readonly GraphExecutor executor;
    // Dropout masks and noise draw from this one generator, so a seeded run repeats exactly.
    private readonly Generator random;
    private readonly List<(string Path, LayerNode Node, LoweredLayer Layer)> layers;
    private readonly List<TrainingLeaf> leaves = new();
    // Recurrent cells fuse or slice their weights once on load; trained ones re-derive them before each run so
    // gradients reach the weights and updates reach the cell.
    private readonly List<LoweredLayer> rederived = new();

    private TrainableModel(ModelGraph graph, int seed, KerasModelOptions? options)
    {
        Graph = graph;
        Seed = seed;
        random = new Generator((ulong)seed);
        executor = new GraphExecutor(graph, graph.Metadata.Dialect, options);
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
            if (!on || layer.TrainableTensors.Count == 0) continue;
            if (layer is RecurrentLowering) leaf.RefuseRecurrentDropout();
            if (layer.CachesDerivedWeights) rederived.Add(layer);
            trainablePaths.Add(path);
            for (int i = 0; i < layer.TrainableTensors.Count; i++)
            {
                if (!layer.Spec.IsTrainableWeight(layer.Expected[i].ScopedName)) continue;
                weights.Add(layer.TrainableTensors[i].requires_grad_(true));
                trainableOrigins.Add((leaf, i));
            }
        }
        TrainableWeights = weights;
    }

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
        return executor.Run(inputs, new Tensor?[inputs.Length], null, Context(training)).Outputs;
    }

    private CallContext Context(bool training) => new(training, Trainable: true, Random: random);

    /// <summary>Runs the layers after <paramref name="call"/> from its output <paramref name="features"/>.</summary>
    internal Tensor ForwardFrom((string Layer, int Node) call, Tensor features, bool training)
    {
        Rederive();
        return executor.RunFrom(call.Layer, call.Node, features, Context(training))[0];
    }

    /// <summary>Re-derives the fused weights of trained recurrent cells from the weights as they are now (with autograd when on).</summary>
    private void Rederive()
    {
        foreach (var layer in rederived) layer.ParametersChanged();
    }

    /// <summary>The output of <paramref name="call"/> for every sample of <paramref name="x"/>, in inference mode, batch by batch.</summary>
    internal Tensor Features((string Layer, int Node) call, Tensor x, int batchSize)
    {
        var key = executor.ObservedName(call.Layer, call.Node);
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
        copy.Metadata.RandomWeights = false; // trained now
        foreach (var (_, _, layer) in layers) TrainingLeaf.SyncWrapper(layer);
        executor.ExportInto(copy);
        if (Compiled is { } c)
        {
            copy.TrainingConfig = compiledOutputs is { Length: > 1 } heads
                ? TrainingConfigWriter.Write(c.Optimizer, heads.Select(h => (h.Name, h.Loss, h.Weight)).ToArray())
                : TrainingConfigWriter.Write(c.Optimizer, c.Loss);
            // A Keras 3 graph keeps its compile() arguments here; the archive writer prefers them.
            bool keras3 = copy.Metadata.Dialect == KerasDialectKind.Keras3;
            if (keras3 || copy.Extras.ContainsKey("compile_config"))
                copy.Extras["compile_config"] = Zoo.Formats.Dialects.TrainingConfigConversion.ToCompileConfig(copy.TrainingConfig, new());
            copy.OptimizerWeights.Clear();
            copy.OptimizerWeights.AddRange(keras3 ? Keras3OptimizerState(c.Optimizer) : OptimizerState(c.Optimizer));
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

    /// <summary>
    /// The optimizer's state as Keras 3 saves it in a <c>.keras</c> archive (<c>optimizer/vars/N</c>, see
    /// <see cref="Optimizers.Optimizer.Keras3State"/>): iteration (int64), learning_rate (float32) unless a schedule
    /// drives it, then the slots, each in Keras layout.
    /// </summary>
    private IEnumerable<WeightTensor> Keras3OptimizerState(Optimizers.Optimizer optimizer)
    {
        string prefix = optimizer.KerasName.ToLowerInvariant();
        int n = 0;
        WeightTensor Var(string name, long[] shape, DType dtype, byte[] data)
            => new($"{prefix}/{name}", shape, dtype, data) { ObjectPath = $"vars/{n++}" };
        yield return Var("iteration", [], DType.Int64, BitConverter.GetBytes(optimizer.Iterations));
        if (optimizer.Schedule is null) yield return Var("learning_rate", [], DType.Float32, BitConverter.GetBytes((float)optimizer.LearningRate));
        foreach (var (slot, w, state) in optimizer.Keras3State(TrainableWeights))
        {
            var (leaf, index) = trainableOrigins[w];
            using var zero = state is null ? TrainableWeights[w].detach().zeros_like() : null;
            using var keras = leaf.Layer.KerasLayoutOf(index, state ?? zero!);
            var values = keras.to_type(ScalarType.Float32).data<float>().ToArray();
            yield return Var($"{leaf.KerasName.Replace('/', '_')}_{leaf.Layer.Expected[index].Name}_{Keras3SlotName(slot)}", keras.shape, DType.Float32,
                System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        }
    }

    // Keras 3 names the slots momentum/velocity where tf.keras 2.15 wrote m/v.
    private static string Keras3SlotName(string slot) => slot switch { "m" => "momentum", "v" => "velocity", _ => slot };

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
        random.Dispose();
    }
}
