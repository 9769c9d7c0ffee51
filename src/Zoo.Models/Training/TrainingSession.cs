using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Models.Graph;
using Zoo.Models.Torch;
using static TorchSharp.torch;

namespace Zoo.Models.Training;

/// <summary>One weight an optimizer updates, with what names it in Keras.</summary>
public sealed class TrainableWeight
{
    private readonly LoweredLayer layer;
    private readonly int index;

    internal TrainableWeight(TrainingLeaf leaf, int index)
    {
        layer = leaf.Layer;
        this.index = index;
        LayerPath = leaf.Path;
        KerasLayerName = leaf.KerasName;
        Name = leaf.Layer.Expected[index].Name;
        Value = leaf.Layer.TrainableTensors[index];
    }

    /// <summary>The graph layer's path (<c>model/layer</c> inside nested models).</summary>
    public string LayerPath { get; }

    /// <summary>How Keras names the layer in optimizer state: the layer, then a wrapper's inner layer (<c>bidirectional/forward_lstm</c>).</summary>
    public string KerasLayerName { get; }

    /// <summary>The variable's short name (<c>kernel</c>, <c>gamma</c>).</summary>
    public string Name { get; }

    /// <summary>The weight itself, in torch layout, with <c>requires_grad</c> set: updated in place by an optimizer.</summary>
    public Tensor Value { get; }

    /// <summary>A tensor shaped like the weight (optimizer state) in Keras layout, as a new tensor.</summary>
    public Tensor ToKerasLayout(Tensor torchLayout) => layer.KerasLayoutOf(index, torchLayout);
}

/// <summary>
/// What a trainer needs from a <see cref="KerasModel"/>: the weights that train under the model's current
/// <c>trainable</c> flags, forward passes in training or inference mode (Keras's <c>training</c> argument, with a
/// seeded generator for dropout and noise), the output of a frozen base for feature caching, and snapshots of every
/// weight. Obtained from <see cref="KerasModel.Training"/>; the model's own <see cref="KerasModel.Predict(Tensor[])"/>
/// and <see cref="KerasModel.Save(string, SaveOptions?)"/> see every update.
/// </summary>
public sealed class TrainingSession : IDisposable
{
    private readonly KerasModel model;
    private readonly List<(string Path, LayerNode Node, LoweredLayer Layer)> layers;
    private readonly List<TrainingLeaf> leaves;
    private readonly List<LoweredLayer> rederived = new();
    private readonly Generator random;
    private List<TrainableWeight> weights = new();

    internal TrainingSession(KerasModel model, GraphExecutor executor, int seed)
    {
        this.model = model;
        Executor = executor;
        Seed = seed;
        random = new Generator((ulong)seed);
        layers = executor.LoweredLayers().ToList();
        leaves = layers.SelectMany(l => TrainingLeaf.Of(l.Path, l.Node, l.Layer)).ToList();
        Refresh();
    }

    internal GraphExecutor Executor { get; }

    /// <summary>The seed of dropout masks and noise.</summary>
    public int Seed { get; }

    /// <summary>The weights that train now, in Keras's order of trainable variables.</summary>
    public IReadOnlyList<TrainableWeight> Weights => weights;

    /// <summary>Paths (<c>model/layer</c>) of the layers whose weights train.</summary>
    public IReadOnlyList<string> TrainableLayers => weights.Select(w => w.LayerPath).Distinct().ToArray();

    /// <summary>
    /// Re-reads the <c>trainable</c> flags (after a freeze): the weights of trainable layers require gradients, every
    /// other weight stops requiring them.
    /// </summary>
    /// <exception cref="UnsupportedFeatureException">A trainable recurrent layer has <c>dropout</c>/<c>recurrent_dropout</c>.</exception>
    public void Refresh()
    {
        var effective = TrainableFlags.Effective(model.Graph);
        var list = new List<TrainableWeight>();
        rederived.Clear();
        foreach (var leaf in leaves)
        {
            var layer = leaf.Layer;
            foreach (var t in layer.TrainableTensors) t.requires_grad_(false);
            bool on = effective.GetValueOrDefault(leaf.Path, true);
            if (!on || layer.TrainableTensors.Count == 0) continue;
            if (layer is RecurrentLowering) leaf.RefuseRecurrentDropout();
            if (layer.CachesDerivedWeights) rederived.Add(layer);
            for (int i = 0; i < layer.TrainableTensors.Count; i++)
            {
                if (!layer.Spec.IsTrainableWeight(layer.Expected[i].ScopedName)) continue;
                layer.TrainableTensors[i].requires_grad_(true);
                list.Add(new TrainableWeight(leaf, i));
            }
        }
        weights = list;
    }

    /// <summary>Runs the model (autograd as the caller has it) with Keras's <c>training</c> argument <paramref name="training"/>.</summary>
    public Tensor[] Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        Rederive();
        return Executor.Run(inputs, new Tensor?[inputs.Count], null, Context(training)).Outputs;
    }

    /// <summary>Runs the layers after Keras node <paramref name="call"/> of a top-level layer, from that call's output <paramref name="features"/>.</summary>
    public Tensor ForwardFrom((string Layer, int Node) call, Tensor features, bool training)
    {
        Rederive();
        return Executor.RunFrom(call.Layer, call.Node, features, Context(training))[0];
    }

    /// <summary>The output of Keras node <paramref name="call"/> for every sample of <paramref name="x"/>, in inference mode, batch by batch.</summary>
    public Tensor Features((string Layer, int Node) call, Tensor x, int batchSize)
    {
        var key = Executor.ObservedName(call.Layer, call.Node);
        var parts = new List<Tensor>();
        using (no_grad())
        {
            Rederive();
            for (long start = 0; start < x.shape[0]; start += batchSize)
            {
                using var scope = NewDisposeScope();
                Tensor? seen = null;
                Executor.Run(new[] { x.narrow(0, start, Math.Min(batchSize, x.shape[0] - start)) }, (name, outs) => { if (name == key) seen = outs[0]; });
                parts.Add((seen ?? throw new InvalidOperationException($"the base output '{key}' was not computed")).contiguous().MoveToOuterDisposeScope());
            }
        }
        var all = cat(parts, 0);
        foreach (var p in parts) p.Dispose();
        return all;
    }

    /// <summary>Copies of every weight the layers hold (moving statistics included), to restore later.</summary>
    public Tensor[] Snapshot() => leaves.SelectMany(l => l.Layer.TrainableTensors).Select(t => t.detach().clone()).ToArray();

    /// <summary>Puts back a <see cref="Snapshot"/> copy.</summary>
    public void Restore(IReadOnlyList<Tensor> snapshot)
    {
        using var _ = no_grad();
        int k = 0;
        foreach (var l in leaves)
        {
            foreach (var t in l.Layer.TrainableTensors) t.copy_(snapshot[k++]);
            l.Layer.ParametersChanged();
        }
    }

    /// <summary>Copies wrappers' inner layers' weights back into the wrappers, which is what an export reads.</summary>
    internal void SyncWrappers()
    {
        foreach (var (_, _, layer) in layers) TrainingLeaf.SyncWrapper(layer);
    }

    private CallContext Context(bool training) => new(training, Trainable: true, Random: random);

    // Fused recurrent cells and folded BatchNormalization scales follow the weights as they are now (with autograd when on).
    private void Rederive()
    {
        foreach (var layer in rederived) layer.ParametersChanged();
    }

    /// <inheritdoc/>
    public void Dispose() => random.Dispose();
}
