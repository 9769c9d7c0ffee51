using System.Text.Json.Nodes;

namespace Zoo.Formats.Ir;

/// <summary>
/// The order a functional graph's layer calls run in, worked out once: every call the outputs need, each after
/// the calls it reads, with where each input comes from and after which step each call's outputs are no longer
/// read. Building it checks the graph as Keras would refuse it — a tensor naming no layer, a node a layer never
/// had, an input layer that is not a model input, a cycle — with an error naming the tensor, before any layer
/// runs. The walk is iterative: a graph of any depth cannot exhaust the stack. The runtime executes it; exporters
/// and readers use it to check a graph once, before anything walks it.
/// </summary>
public sealed class ExecutionPlan
{
    /// <summary>Where a call input comes from: step <see cref="Step"/>'s output <see cref="Tensor"/>, or (Step &lt; 0) the model input <c>−Step−1</c>.</summary>
    /// <param name="Step">The producing step, or −(input index)−1.</param>
    /// <param name="Tensor">Which of the step's outputs.</param>
    /// <param name="Ref">The tensor as the graph names it.</param>
    public readonly record struct Source(int Step, int Tensor, TensorRef Ref);

    /// <summary>One layer call: the layer, which of its saved calls, its inputs, its <c>training</c> keyword, and the last step that reads it.</summary>
    public sealed class Step(LayerNode layer, int call, int nodeIndex, Source[] inputs, bool? training)
    {
        /// <summary>The layer called.</summary>
        public LayerNode Layer { get; } = layer;
        /// <summary>Which of its saved calls (an index into <see cref="LayerNode.InboundNodes"/>).</summary>
        public int Call { get; } = call;
        /// <summary>The call's Keras node index (what tensors name it by).</summary>
        public int NodeIndex { get; } = nodeIndex;
        /// <summary>Where each of the call's inputs comes from.</summary>
        public Source[] Inputs { get; } = inputs;
        /// <summary>The call's <c>training</c> keyword; null when not given.</summary>
        public bool? Training { get; } = training;
        /// <summary>The last step that reads this one's outputs; <see cref="int.MaxValue"/> when a model output does.</summary>
        public int LastUse { get; set; } = -1;
    }

    private ExecutionPlan(Step[] steps, Source[] outputs)
    {
        Steps = steps;
        Outputs = outputs;
    }

    /// <summary>The calls, in an order where each runs after every call it reads.</summary>
    public IReadOnlyList<Step> Steps { get; }

    /// <summary>Where each model output comes from.</summary>
    public IReadOnlyList<Source> Outputs { get; }

    /// <summary>
    /// Plans <paramref name="graph"/>'s outputs from its inputs, or, with <paramref name="provided"/>, from the output
    /// of that call (a top-level layer and Keras node index) given as input −1.
    /// </summary>
    public static ExecutionPlan For(ModelGraph graph, (string Layer, int NodeIndex)? provided = null)
    {
        var dialect = graph.Metadata.Dialect;
        var layers = new Dictionary<string, LayerNode>(StringComparer.Ordinal);
        foreach (var l in graph.Layers) layers.TryAdd(l.Name, l);
        var inputs = new Dictionary<(string, int), int>();
        if (provided is { } p) inputs[(p.Layer, p.NodeIndex)] = 0;
        else for (int i = 0; i < graph.Inputs.Count; i++) inputs.TryAdd((graph.Inputs[i].Layer, graph.Inputs[i].NodeIndex), i);

        var steps = new List<Step>();
        var stepOf = new Dictionary<(string, int), int>();
        var state = new Dictionary<(string, int), bool>(); // false: being resolved, true: planned
        var work = new Stack<(TensorRef Ref, bool Expanded)>();

        Source Resolve(TensorRef r)
        {
            var key = (r.Layer, r.NodeIndex);
            if (inputs.TryGetValue(key, out int slot)) return new Source(-slot - 1, r.TensorIndex, r);
            return new Source(stepOf[key], r.TensorIndex, r);
        }

        foreach (var output in graph.Outputs)
        {
            work.Push((output, false));
            while (work.Count > 0)
            {
                var (r, expanded) = work.Pop();
                var key = (r.Layer, r.NodeIndex);
                if (inputs.ContainsKey(key) || (state.TryGetValue(key, out bool done) && done && !expanded)) continue;
                var layer = layers.GetValueOrDefault(r.Layer)
                    ?? throw new ModelFormatException($"model '{graph.Name}': tensor {r} names no layer of the model", null, $"layers/{r.Layer}");
                int call = KerasNodeIndex.CallIndex(layer, r.NodeIndex, dialect);
                if (call < 0 || call >= layer.InboundNodes.Count)
                {
                    if (layer.ClassName == "InputLayer")
                        throw new ModelFormatException($"model '{graph.Name}': tensor {r} is input layer '{layer.Name}', which is not one of the model's inputs", null, $"layers/{layer.Name}");
                    throw new ModelFormatException(layer.InboundNodes.Count == 0
                        ? $"model '{graph.Name}': tensor {r} names node {r.NodeIndex} of layer '{layer.Name}', which is never called"
                        : $"model '{graph.Name}': tensor {r} names node {r.NodeIndex} of layer '{layer.Name}', whose saved calls are nodes {KerasNodeIndex.NodeIndex(layer, 0, dialect)}..{KerasNodeIndex.NodeIndex(layer, layer.InboundNodes.Count - 1, dialect)}",
                        null, $"layers/{layer.Name}/inbound_nodes");
                }
                var callInputs = layer.InboundNodes[call].Inputs;
                if (!expanded)
                {
                    if (state.TryGetValue(key, out bool planned))
                    {
                        if (!planned) throw Cycle(graph, layer, work);
                        continue;
                    }
                    state[key] = false;
                    work.Push((r, true));
                    for (int i = callInputs.Count - 1; i >= 0; i--)
                    {
                        var dep = callInputs[i];
                        var depKey = (dep.Layer, dep.NodeIndex);
                        if (inputs.ContainsKey(depKey)) continue;
                        if (state.TryGetValue(depKey, out bool depDone))
                        {
                            if (!depDone) throw Cycle(graph, layers.GetValueOrDefault(dep.Layer) ?? layer, work);
                            continue;
                        }
                        work.Push((dep, false));
                    }
                    continue;
                }
                if (state[key]) continue;
                var sources = callInputs.Select(Resolve).ToArray();
                stepOf[key] = steps.Count;
                steps.Add(new Step(layer, call, r.NodeIndex, sources, TrainingArgument(layer.InboundNodes[call].Kwargs)));
                state[key] = true;
            }
        }
        var outputs = graph.Outputs.Select(Resolve).ToArray();
        for (int i = 0; i < steps.Count; i++)
            foreach (var s in steps[i].Inputs)
                if (s.Step >= 0) steps[s.Step].LastUse = Math.Max(steps[s.Step].LastUse, i);
        foreach (var o in outputs)
            if (o.Step >= 0) steps[o.Step].LastUse = int.MaxValue;
        return new ExecutionPlan(steps.ToArray(), outputs);
    }

    /// <summary>The <c>training</c> keyword of a call: true, false, or null when not given (or given as a tensor).</summary>
    private static bool? TrainingArgument(JsonObject kwargs)
        => kwargs["training"] is JsonValue v && v.TryGetValue(out bool b) ? b : null;

    // The layers still being resolved when a call reads one of them: the cycle, named in the order found.
    private static ModelFormatException Cycle(ModelGraph graph, LayerNode at, Stack<(TensorRef Ref, bool Expanded)> work)
    {
        var path = work.Where(w => w.Expanded).Select(w => w.Ref.Layer).Reverse().SkipWhile(n => n != at.Name).Append(at.Name).ToList();
        if (path.Count < 2) path = [at.Name, at.Name];
        return new ModelFormatException($"model '{graph.Name}': the graph has a cycle: {string.Join(" → ", path.Select(n => $"'{n}'"))}; a layer call may only read tensors made before it",
            null, $"layers/{at.Name}/inbound_nodes");
    }
}
