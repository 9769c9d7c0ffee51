using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using Zoo.Models.Binding;
using Zoo.Models.Torch;
using static TorchSharp.torch;

namespace Zoo.Models.Graph;

/// <summary>
/// Runs a <see cref="ModelGraph"/>: a Sequential chain, or a functional graph evaluated from its outputs
/// back to its inputs by (layer, node index), so shared layers (several calls) and nested models (a model
/// used as a layer, with its own executor) just work. Each layer is built and bound on its first call, as
/// Keras builds layers, and binding problems are collected in <see cref="Report"/>.
/// </summary>
internal sealed class GraphExecutor : IDisposable
{
    private readonly ModelGraph graph;
    private readonly bool aliasStoredWeights;
    private readonly string prefix;
    private readonly string? backend;
    private readonly Dictionary<string, LoweredLayer> lowered = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GraphExecutor> nested = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WeightTensor[]> boundWeights = new(StringComparer.Ordinal);
    private readonly bool carryChannelsFirst;
    private readonly ExecutionPlan? plan;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, int), ExecutionPlan> partialPlans = new();

    /// <summary>Lowers every layer of <paramref name="graph"/>; <paramref name="prefix"/> names nested models in reports.</summary>
    /// <remarks>
    /// <paramref name="aliasStoredWeights"/>: large float32 weights of lowerings that never write to them use the
    /// graph's bytes instead of a copy (<see cref="WeightAlias"/>); only for a model that is never trained.
    /// </remarks>
    public GraphExecutor(ModelGraph graph, KerasDialectKind dialect, KerasModelOptions? options = null, string prefix = "", string? backend = null, bool aliasStoredWeights = false)
    {
        this.aliasStoredWeights = aliasStoredWeights;
        if (!graph.HasArchitecture)
            throw new ModelFormatException($"model '{graph.Name}': the file holds weights only; load it together with an architecture file");
        this.graph = graph;
        this.prefix = prefix;
        this.backend = backend ?? graph.Metadata.Backend;
        carryChannelsFirst = options?.CarryChannelsFirst ?? true;
        // The graph is checked (dangling references, cycles, missing nodes) before any layer is lowered.
        plan = graph.IsSequential ? null : ExecutionPlan.For(graph);
        foreach (var layer in graph.Layers)
        {
            if (layer.Nested is not null) nested[layer.Name] = new GraphExecutor(layer.Nested, dialect, options, prefix + layer.Name + "/", this.backend, aliasStoredWeights);
            else lowered[layer.Name] = options?.CreateCustom(layer) ?? LayerLowerings.Create(LayerSpecs.Read(layer, dialect));
        }
    }

    /// <summary>What binding found so far (nested models included).</summary>
    public BindingReport Report { get; } = new();

    /// <summary>Names of the model inputs, in the model's order.</summary>
    public IReadOnlyList<string> InputNames => graph.IsSequential
        ? new[] { graph.Layers.Count > 0 ? graph.Layers[0].Name : "input" }
        : graph.Inputs.Select(r => r.Layer).ToArray();

    /// <summary>Names of the model outputs, in the model's order.</summary>
    public IReadOnlyList<string> OutputNames => graph.IsSequential
        ? new[] { graph.Layers.Count > 0 ? graph.Layers[^1].Name : "output" }
        : graph.Outputs.Select(r => r.Layer).ToArray();

    /// <summary>Declared input shapes (batch first, null where unknown); null for an input that declares none.</summary>
    public IReadOnlyList<long?[]?> InputShapes()
    {
        LayerNode? first(string name) => graph.FindLayer(name);
        var nodes = graph.IsSequential ? graph.Layers.Take(1) : graph.Inputs.Select(r => first(r.Layer)).OfType<LayerNode>();
        return nodes.Select(n => n.Nested is not null ? nested[n.Name].InputShapes().FirstOrDefault()
            : InputLayerSpec.BatchShapeOf(new LayerConfig(n))).ToArray();
    }

    /// <summary>
    /// Runs the model on <paramref name="inputs"/> (Keras layout) for inference, returning its outputs in order;
    /// <paramref name="observe"/> sees every layer call's outputs, keyed <c>layer</c> (first call) or
    /// <c>layer#k</c> (call k), with nested layers as <c>model/layer</c>.
    /// </summary>
    public Tensor[] Run(IReadOnlyList<Tensor> inputs, Action<string, Tensor[]>? observe = null)
        => Run(inputs, new Tensor?[inputs.Count], observe, CallContext.Inference).Outputs;

    /// <summary>
    /// As <see cref="Run(IReadOnlyList{Tensor}, Action{string, Tensor[]}?)"/> in <paramref name="context"/>, with a Keras
    /// mask per input (null where none), carried from layer to layer as Keras does; returns the outputs' masks too.
    /// A call's <c>training</c> keyword (<c>base(x, training=False)</c>) overrides the context for that call and
    /// everything inside it.
    /// </summary>
    public (Tensor[] Outputs, Tensor?[] Masks) Run(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks, Action<string, Tensor[]>? observe, CallContext context)
    {
        if (graph.IsSequential)
        {
            var x = (Outputs: Carried.Keras(inputs), Masks: masks.ToArray());
            foreach (var layer in graph.Layers)
                if (layer.ClassName != "InputLayer") x = Call(layer, 0, x.Outputs, x.Masks, observe, context.For(null, layer.Trainable));
            return (Carried.ToKeras(x.Outputs), x.Masks);
        }
        if (inputs.Count != graph.Inputs.Count)
            throw new ModelFormatException($"model '{graph.Name}': expected {graph.Inputs.Count} inputs, got {inputs.Count}");
        return Execute(plan!, inputs.Select(Carried.Keras).ToArray(), masks.ToArray(), observe, context);
    }

    /// <summary>
    /// Runs only the part of the model after Keras node <paramref name="nodeIndex"/> of top-level layer
    /// <paramref name="layer"/>, given that call's (single) output <paramref name="value"/>: lets a trainer feed
    /// cached features of a frozen base to the head.
    /// </summary>
    internal Tensor[] RunFrom(string layer, int nodeIndex, Tensor value, CallContext context, Action<string, Tensor[]>? observe = null)
    {
        if (graph.IsSequential)
        {
            int at = graph.Layers.FindIndex(l => l.Name == layer);
            if (at < 0) throw new ModelFormatException($"model '{graph.Name}': no layer '{layer}' to run from");
            var x = (Outputs: new[] { Carried.Keras(value) }, Masks: new Tensor?[1]);
            foreach (var l in graph.Layers.Skip(at + 1))
                if (l.ClassName != "InputLayer") x = Call(l, 0, x.Outputs, x.Masks, observe, context.For(null, l.Trainable));
            return Carried.ToKeras(x.Outputs);
        }
        var partial = partialPlans.GetOrAdd((layer, nodeIndex), key => ExecutionPlan.For(graph, key));
        return Execute(partial, new[] { Carried.Keras(value) }, new Tensor?[1], observe, context).Outputs;
    }

    /// <summary>The key <c>observe</c> gets for Keras node <paramref name="nodeIndex"/> of top-level layer <paramref name="layer"/>.</summary>
    public string ObservedName(string layer, int nodeIndex)
    {
        var node = graph.GetLayer(layer);
        int call = graph.IsSequential ? 0 : KerasNodeIndex.CallIndex(node, nodeIndex, graph.Metadata.Dialect);
        return prefix + layer + (call == 0 ? "" : "#" + call);
    }

    /// <summary>After a first run: records the weights of layers that were never called as unexpected.</summary>
    public void ReportUncalled()
    {
        foreach (var layer in graph.Layers)
        {
            if (nested.TryGetValue(layer.Name, out var child)) { child.ReportUncalled(); Report.Add(child.Report); continue; }
            if (!lowered[layer.Name].IsBuilt)
                foreach (var w in layer.Weights) Report.Unexpected.Add(new(prefix + layer.Name, w.Name, w.Shape));
        }
    }

    /// <summary>
    /// Runs <paramref name="p"/>'s steps in order. Each step's outputs are released (disposed, unless a model input,
    /// a model output or a still-needed value is the same tensor) right after the last step that reads them, so an
    /// inference holds only the tensors still to be read, not every intermediate one; with an observer (which may keep
    /// what it sees) they live until the caller's dispose scope ends.
    /// </summary>
    private (Tensor[] Outputs, Tensor?[] Masks) Execute(ExecutionPlan p, Carried[] inputs, Tensor?[] inputMasks, Action<string, Tensor[]>? observe, CallContext context)
    {
        var steps = p.Steps;
        var values = new Carried[steps.Count][];
        var masks = new Tensor?[steps.Count][];
        var live = new TensorRefCounts();
        foreach (var x in inputs) live.Pin(x.Value);
        foreach (var m in inputMasks) live.Pin(m);
        (Carried, Tensor?) Read(ExecutionPlan.Source s, TensorRef r)
        {
            if (s.Step < 0) return (inputs[-s.Step - 1], s.Tensor == 0 ? inputMasks[-s.Step - 1] : null);
            var outs = values[s.Step];
            if (s.Tensor >= outs.Length)
                throw new ModelFormatException($"model '{graph.Name}': tensor {r} asks for output {s.Tensor} of '{r.Layer}', which has {outs.Length}");
            return (outs[s.Tensor], s.Tensor < masks[s.Step].Length ? masks[s.Step][s.Tensor] : null);
        }
        for (int i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var ins = new Carried[step.Inputs.Length];
            var inMasks = new Tensor?[step.Inputs.Length];
            for (int k = 0; k < ins.Length; k++) (ins[k], inMasks[k]) = Read(step.Inputs[k], step.Inputs[k].Ref);
            (values[i], masks[i]) = Call(step.Layer, step.Call, ins, inMasks, observe, context.For(step.Training, step.Layer.Trainable));
            foreach (var v in values[i]) live.Hold(v.Value);
            foreach (var m in masks[i]) live.Hold(m);
            // Inputs read for the last time can go, unless a later step or an output still holds the same tensor.
            // An observer may keep what it was shown, so nothing is released while one watches.
            if (observe is not null) continue;
            foreach (var src in step.Inputs)
                if (src.Step >= 0 && steps[src.Step].LastUse == i && values[src.Step] is { } done)
                {
                    foreach (var v in done) live.Release(v.Value);
                    foreach (var m in masks[src.Step]) live.Release(m);
                    values[src.Step] = null!;
                }
        }
        var outputs = new Tensor[p.Outputs.Count];
        var outMasks = new Tensor?[p.Outputs.Count];
        for (int i = 0; i < outputs.Length; i++)
        {
            var (t, m) = Read(p.Outputs[i], p.Outputs[i].Ref);
            (outputs[i], outMasks[i]) = (t.ToKeras(), m);
        }
        return (outputs, outMasks);
    }

    private (Carried[] Outputs, Tensor?[] Masks) Call(LayerNode layer, int nodeIndex, Carried[] inputs, Tensor?[] masks, Action<string, Tensor[]>? observe, CallContext context)
    {
        (Carried[] Outputs, Tensor?[] Masks) outs;
        if (lowered.TryGetValue(layer.Name, out var l))
        {
            if (!l.IsBuilt) BuildAndBind(layer, l, Carried.ToKeras(inputs));
            // Layers that can run in torch's channels-first layout get it and keep it; the rest (and every call
            // that carries a Keras mask) see Keras layout. Conversions are permute views.
            bool training = context.Training && l.TrainingDiffers;
            if (!training && carryChannelsFirst && Carried.RunChannelsFirst(l.Affinity, inputs) && Array.TrueForAll(masks, m => m is null))
            {
                var xs = new Tensor[inputs.Length];
                for (int i = 0; i < xs.Length; i++) xs[i] = inputs[i].ToChannelsFirst();
                var ys = l.ForwardChannelsFirst(xs);
                var carried = new Carried[ys.Length];
                for (int i = 0; i < ys.Length; i++) carried[i] = new(ys[i], ys[i].dim() >= 3);
                outs = (carried, new Tensor?[ys.Length]);
            }
            else
            {
                var (ys, ms) = l.Forward(Carried.ToKeras(inputs), masks, context);
                outs = (Carried.Keras(ys), ms);
            }
        }
        else
        {
            var (ys, ms) = nested[layer.Name].Run(Carried.ToKeras(inputs), masks, observe, context);
            outs = (Carried.Keras(ys), ms);
        }
        observe?.Invoke(prefix + layer.Name + (nodeIndex == 0 ? "" : "#" + nodeIndex), Carried.ToKeras(outs.Outputs));
        return outs;
    }

    private void BuildAndBind(LayerNode layer, LoweredLayer l, Tensor[] inputs)
    {
        var expected = l.Build(inputs.Select(t => t.shape).ToArray());
        var local = new BindingReport();
        var bound = WeightBinder.Bind(layer, expected, prefix + layer.Name, local);
        Report.Add(local);
        if (bound is null) local.ThrowIfIncomplete(null);
        if (expected.Count == 0) return;
        boundWeights[layer.Name] = bound!;
        var direct = BackendConversions.Changes(l.Spec, backend)
            ? new bool[bound!.Length]
            : bound!.Select((w, i) => WeightCopy.Handles(w, l.TorchLayoutOf(i))).ToArray();
        var tensors = bound!.Select((w, i) => !direct[i] ? ToTensor(w)
            : (aliasStoredWeights && l.KeepsStoredWeights && l.TorchLayoutOf(i) == TorchWeightLayout.Keras ? WeightAlias.TryCreate(w) : null)
              ?? WeightCopy.ToTorch(w, l.TorchLayoutOf(i))).ToArray();
        l.LoadOwned(BackendConversions.Apply(l.Spec, tensors, backend), direct);
    }

    /// <summary>
    /// Writes the weights the torch layers now hold back into <paramref name="target"/> (a clone of this
    /// graph), under the names and positions they were read from, in Keras layout and the stored dtype.
    /// </summary>
    public void ExportInto(ModelGraph target)
    {
        foreach (var layer in graph.Layers)
        {
            var into = target.GetLayer(layer.Name);
            if (nested.TryGetValue(layer.Name, out var child)) { child.ExportInto(into.Nested!); continue; }
            if (!boundWeights.TryGetValue(layer.Name, out var bound)) continue;
            var exported = BackendConversions.Undo(lowered[layer.Name].Spec, lowered[layer.Name].ExportWeights().ToArray(), backend);
            try
            {
                for (int i = 0; i < bound.Length; i++)
                {
                    int at = layer.Weights.IndexOf(bound[i]);
                    into.Weights[at] = WeightExport.ToStored(exported[i], bound[i]);
                }
            }
            finally { foreach (var t in exported) t.Dispose(); }
        }
    }

    /// <summary>Every lowered layer with its IR node, nested models' layers included (<c>model/layer</c> paths), in graph order.</summary>
    internal IEnumerable<(string Path, LayerNode Node, LoweredLayer Layer)> LoweredLayers()
    {
        foreach (var layer in graph.Layers)
        {
            if (nested.TryGetValue(layer.Name, out var child))
                foreach (var inner in child.LoweredLayers()) yield return inner;
            else yield return (prefix + layer.Name, layer, lowered[layer.Name]);
        }
    }
    /// <summary>A fresh float32 tensor holding <paramref name="w"/>: float32 bytes are copied once, straight from the IR.</summary>
    private static Tensor ToTensor(WeightTensor w)
    {
        // Tensor.bytes spans at most 2 GiB and has no storage to span when empty.
        if (w.ElementCount() == 0 || w.ElementCount() * 4 > int.MaxValue) return tensor(WeightValues.ToFloat32(w), w.Shape);
        var t = empty(w.Shape, dtype: ScalarType.Float32);
        if (w.DType == DType.Float32) w.Data.AsSpan().CopyTo(t.bytes);
        else System.Runtime.InteropServices.MemoryMarshal.AsBytes(WeightValues.ToFloat32(w).AsSpan()).CopyTo(t.bytes);
        return t;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var l in lowered.Values) l.Dispose();
        foreach (var n in nested.Values) n.Dispose();
    }
}
