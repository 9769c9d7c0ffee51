using Zoo.FineTune.Callbacks;
using Zoo.FineTune.Fitting;
using Zoo.FineTune.Losses;
using Zoo.FineTune.Optimizers;
using Zoo.Formats;
using static TorchSharp.torch;

namespace Zoo.FineTune.Training;

internal sealed partial class TrainableModel
{
    /// <summary>
    /// Keras's <c>fit</c> for a model with several inputs or outputs: <paramref name="data"/> holds one array per
    /// input and per output, in the model's order. Each output has its loss (<see cref="FitOptions.Losses"/>, else
    /// <see cref="FitOptions.Loss"/>) and weight (<see cref="FitOptions.LossWeights"/>, else 1); the optimizer
    /// minimizes Σ wₖ·lossₖ. Logs as Keras does: <c>loss</c> (the weighted total) and, with several outputs,
    /// <c>&lt;output&gt;_loss</c> (unweighted) and <c>&lt;output&gt;_accuracy</c>, each also as <c>val_…</c>.
    /// One input and one output log <c>loss</c> and <c>accuracy</c>, as <see cref="Fit(ArrayDataset, FitOptions?, Callback[])"/> does.
    /// </summary>
    /// <exception cref="ModelFormatException">Arrays that do not fit the model's inputs or outputs.</exception>
    public History Fit(MultiArrayDataset data, FitOptions? options = null, params Callback[] callbacks)
    {
        var o = options ?? new FitOptions();
        ArgumentNullException.ThrowIfNull(data);
        data.Validate("training data");
        CheckLoop(o);
        var heads = OutputHeads(o);
        if (o.ClassWeight is { Count: > 0 } && heads.Length > 1)
            throw new UnsupportedFeatureException($"model '{Graph.Name}': class_weight is not supported for a model with {heads.Length} outputs (Keras refuses it too)");
        if (o.Augmentation is not null && data.X.Count != 1)
            throw new UnsupportedFeatureException($"model '{Graph.Name}': augmentation applies to a model with one image input; this one has {data.X.Count} inputs");
        var (train, validation) = o.MultiValidationData is not null ? (data, o.MultiValidationData)
            : o.ValidationSplit > 0 ? data.SplitForValidation(o.ValidationSplit) : (data, (MultiArrayDataset?)null);
        validation?.Validate("validation data");
        CheckShapes(train, heads, "training data");
        if (validation is not null) CheckShapes(validation, heads, "validation data");
        return FitArrays(train, validation, heads, o, callbacks);
    }

    /// <summary>
    /// The epoch loop both <c>Fit</c>s share, on checked arrays. With one input and one output, a frozen base
    /// and no augmentation, the base's output is computed once and only the layers after it run each step.
    /// </summary>
    private History FitArrays(MultiArrayDataset train, MultiArrayDataset? validation, OutputHead[] heads, FitOptions o, Callback[] callbacks)
    {
        var optimizer = o.Optimizer ?? new RmsProp();
        Compiled = new CompiledState(Session, optimizer, heads.Select(h => (h.Name, h.Loss, h.Weight)).ToArray());
        var context = new TrainingContext(this, optimizer, o.OnMessage);
        var history = new History();
        var rng = new Random(o.Seed ?? Seed);
        // Augmented inputs differ every epoch, so features of the frozen base cannot be computed once.
        var cached = o.CacheFrozenBase && o.Augmentation is null && train.X.Count == 1 && heads.Length == 1 ? FeatureCache.BaseOutput(Graph) : null;
        UsedFeatureCache = cached is not null;
        Func<Tensor[], bool, Tensor[]> forward = cached is { } call
            ? (x, training) => [ForwardFrom(call, x[0], training)]
            : (x, training) => Forward(x, training);
        var xs = train.X.Select(a => tensor(a.Values, a.Shape)).ToList();
        var ys = train.Y.Select(a => tensor(a.Values, a.Shape)).ToList();
        var xv = validation?.X.Select(a => tensor(a.Values, a.Shape)).ToList();
        var yv = validation?.Y.Select(a => tensor(a.Values, a.Shape)).ToList();
        try
        {
            if (cached is { } c)
            {
                xs.Add(Features(c, xs[0], o.BatchSize));
                if (xv is not null) xv.Add(Features(c, xv[0], o.BatchSize));
            }
            // The loop reads the last x array: the base's features when cached, else the inputs themselves.
            var trainX = cached is null ? xs.ToArray() : [xs[^1]];
            var validationX = xv is null ? null : cached is null ? xv.ToArray() : [xv[^1]];
            using var weights = heads.Length == 1
                ? SampleWeights(new ArrayDataset(train.X[0].Values, train.X[0].Shape, train.Y[0].Values, train.Y[0].Shape), o)
                : ones(train.Count);
            foreach (var cb in callbacks) cb.OnTrainBegin(context);
            for (int epoch = 0; epoch < o.Epochs && !context.StopTraining; epoch++)
            {
                foreach (var cb in callbacks) cb.OnEpochBegin(epoch, context);
                var logs = TrainEpoch(epoch, trainX, ys.ToArray(), weights, heads, o, optimizer, rng, forward);
                if (validationX is not null)
                    foreach (var (k, v) in EvaluateAll(validationX, yv!.ToArray(), heads, o.BatchSize, forward)) logs["val_" + k] = v;
                foreach (var cb in callbacks) cb.OnEpochEnd(epoch, logs, context);
                history.Add(epoch, new Dictionary<string, double>(logs));
            }
            foreach (var cb in callbacks) cb.OnTrainEnd(context);
            return history;
        }
        finally
        {
            foreach (var t in xs.Concat(ys).Concat(xv ?? []).Concat(yv ?? [])) t.Dispose();
        }
    }

    /// <summary>
    /// Keras's <c>evaluate</c> for several inputs or outputs: <c>loss</c> (weighted total) and per output
    /// <c>&lt;output&gt;_loss</c> and <c>&lt;output&gt;_accuracy</c> (<c>accuracy</c> alone for one output), in inference mode.
    /// </summary>
    public IReadOnlyDictionary<string, double> Evaluate(MultiArrayDataset data, FitOptions? options = null)
    {
        var o = options ?? new FitOptions();
        ArgumentNullException.ThrowIfNull(data);
        data.Validate("evaluation data");
        var heads = OutputHeads(o);
        CheckShapes(data, heads, "evaluation data");
        var xs = data.X.Select(a => tensor(a.Values, a.Shape)).ToArray();
        var ys = data.Y.Select(a => tensor(a.Values, a.Shape)).ToArray();
        try { return EvaluateAll(xs, ys, heads, o.BatchSize, (x, training) => Forward(x, training)); }
        finally { foreach (var t in xs.Concat(ys)) t.Dispose(); }
    }

    /// <summary>Runs the model in inference mode on one Keras-layout tensor per input; returns one tensor per output.</summary>
    public Tensor[] Predict(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var y = Forward(inputs.Select(x => x.to_type(ScalarType.Float32)).ToArray(), training: false);
        return y.Select(t => t.contiguous().MoveToOuterDisposeScope()).ToArray();
    }

    /// <summary>One model output as compile() saw it: its name (for log keys), loss and loss weight.</summary>
    internal sealed record OutputHead(string Name, Loss Loss, double Weight);

    private OutputHead[] OutputHeads(FitOptions o)
    {
        var names = Model.OutputNames;
        if (o.Losses is { } losses && losses.Count != names.Count)
            throw new ArgumentException($"model '{Graph.Name}' has {names.Count} outputs ({string.Join(", ", names)}), but {losses.Count} losses were given", nameof(o));
        if (o.LossWeights is { } w && w.Count != names.Count)
            throw new ArgumentException($"model '{Graph.Name}' has {names.Count} outputs ({string.Join(", ", names)}), but {w.Count} loss weights were given", nameof(o));
        return names.Select((n, k) => new OutputHead(n, o.Losses?[k] ?? o.Loss, o.LossWeights?[k] ?? 1.0)).ToArray();
    }

    private Dictionary<string, double> TrainEpoch(int epoch, Tensor[] xs, Tensor[] ys, Tensor sampleWeights, OutputHead[] heads, FitOptions o,
        Optimizer optimizer, Random rng, Func<Tensor[], bool, Tensor[]> forward)
    {
        long n = xs[0].shape[0];
        var order = Enumerable.Range(0, (int)n).ToArray();
        if (o.Shuffle) rng.Shuffle(order);
        int batches = (int)((n + o.BatchSize - 1) / o.BatchSize);
        var sums = new Sums(heads.Length);
        for (int b = 0; b < batches; b++)
        {
            o.Cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var ids = order[(b * o.BatchSize)..(int)Math.Min(n, (b + 1) * (long)o.BatchSize)].Select(i => (long)i).ToArray();
            var idx = tensor(ids);
            var wb = sampleWeights.index_select(0, idx);
            var yb = ys.Select(y => y.index_select(0, idx)).ToArray();
            var xb = xs.Select(x => x.index_select(0, idx)).ToArray();
            if (o.Augmentation is { } augment) xb[0] = Data.BatchAugmentation.Apply(augment, epoch, ids, xb[0]);
            foreach (var w in TrainableWeights) w.grad?.zero_();
            var preds = forward(xb, true);
            var (total, perOutput) = Losses(heads, yb, preds, wb);
            if (TrainableWeights.Count > 0)
            {
                total.backward();
                optimizer.Step(TrainableWeights);
            }
            using (no_grad()) sums.AddBatch(heads, total, perOutput, yb, preds, wb);
            o.OnBatch?.Invoke(new BatchProgress(epoch, b, batches, sums.Loss / sums.Samples));
        }
        foreach (var w in TrainableWeights) w.grad?.zero_();
        return sums.Logs(heads);
    }

    /// <summary>Keras's compiled loss: per output the weighted per-sample loss summed over the batch divided by the batch size, then Σ wₖ·lossₖ.</summary>
    private static (Tensor Total, Tensor[] PerOutput) Losses(OutputHead[] heads, Tensor[] ys, Tensor[] preds, Tensor sampleWeights)
    {
        var per = heads.Select((h, k) => (h.Loss.PerSample(ys[k], preds[k]) * sampleWeights).sum() / ys[k].shape[0]).ToArray();
        // A weight of 1 (every single-output model) adds no multiplication to the graph.
        var total = heads[0].Weight == 1 ? per[0] : per[0] * heads[0].Weight;
        for (int k = 1; k < per.Length; k++) total = total + per[k] * heads[k].Weight;
        return (total, per);
    }

    /// <summary>Keras's <c>evaluate</c>: per-sample losses and accuracies summed over every batch, then divided by the sample count.</summary>
    private static Dictionary<string, double> EvaluateAll(Tensor[] xs, Tensor[] ys, OutputHead[] heads, int batchSize, Func<Tensor[], bool, Tensor[]> forward)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var sums = new Sums(heads.Length);
        long n = xs[0].shape[0];
        for (long start = 0; start < n; start += batchSize)
        {
            long len = Math.Min(batchSize, n - start);
            var yb = ys.Select(y => y.narrow(0, start, len)).ToArray();
            var preds = forward(xs.Select(x => x.narrow(0, start, len)).ToArray(), false);
            sums.AddUnweighted(heads, yb, preds);
        }
        return sums.Logs(heads);
    }

    /// <summary>Running sums of an epoch's logs: losses weighted by batch size, accuracies by sample weight (Keras's Mean metrics).</summary>
    private sealed class Sums(int outputs)
    {
        public double Loss, Samples, WeightSum;
        private readonly double[] losses = new double[outputs], accuracies = new double[outputs];

        /// <summary>One training step's numbers, read from torch at once: each <c>item()</c> would wait for the device on its own.</summary>
        public void AddBatch(OutputHead[] heads, Tensor total, Tensor[] perOutput, Tensor[] ys, Tensor[] preds, Tensor weights)
        {
            long size = ys[0].shape[0];
            var parts = new List<Tensor> { total.detach(), weights.sum() };
            for (int k = 0; k < heads.Length; k++)
            {
                if (heads.Length > 1) parts.Add(perOutput[k].detach());
                parts.Add((heads[k].Loss.Accuracy(ys[k], preds[k].detach()) * weights).sum());
            }
            var v = stack(parts).to_type(ScalarType.Float32).cpu().data<float>();
            Samples += size;
            Loss += v[0] * size;
            WeightSum += v[1];
            for (int k = 0, at = 2; k < heads.Length; k++)
            {
                losses[k] += (heads.Length > 1 ? v[at++] : v[0]) * size;
                accuracies[k] += v[at++];
            }
        }

        /// <summary>An evaluation batch: per-sample losses and accuracies summed as they are (every sample weighs 1).</summary>
        public void AddUnweighted(OutputHead[] heads, Tensor[] ys, Tensor[] preds)
        {
            var parts = new List<Tensor>();
            for (int k = 0; k < heads.Length; k++)
            {
                parts.Add(heads[k].Loss.PerSample(ys[k], preds[k]).sum());
                parts.Add(heads[k].Loss.Accuracy(ys[k], preds[k]).sum());
            }
            var v = stack(parts).to_type(ScalarType.Float32).cpu().data<float>();
            long size = ys[0].shape[0];
            Samples += size;
            WeightSum += size;
            for (int k = 0; k < heads.Length; k++)
            {
                // Plain sums over the samples: Logs divides them by the sample count, as it does training's size-weighted means.
                losses[k] += v[2 * k];
                accuracies[k] += v[2 * k + 1];
                Loss += heads[k].Weight * v[2 * k];
            }
        }

        public Dictionary<string, double> Logs(OutputHead[] heads)
        {
            var logs = new Dictionary<string, double>(StringComparer.Ordinal) { ["loss"] = Samples > 0 ? Loss / Samples : 0 };
            if (heads.Length == 1)
            {
                logs["accuracy"] = WeightSum > 0 ? accuracies[0] / WeightSum : 0;
                return logs;
            }
            for (int k = 0; k < heads.Length; k++)
            {
                logs[heads[k].Name + "_loss"] = Samples > 0 ? losses[k] / Samples : 0;
                logs[heads[k].Name + "_accuracy"] = WeightSum > 0 ? accuracies[k] / WeightSum : 0;
            }
            return logs;
        }
    }

    /// <summary>Checks that the arrays fit the model's inputs and the outputs' losses, before any torch error could surface.</summary>
    private void CheckShapes(MultiArrayDataset data, OutputHead[] heads, string what)
    {
        var declared = Model.InputShapes;
        if (data.X.Count != declared.Count)
            throw new ModelFormatException($"{what}: {data.X.Count} x arrays, but model '{Graph.Name}' has {declared.Count} inputs ({string.Join(", ", Model.InputNames)})");
        if (data.Y.Count != heads.Length)
            throw new ModelFormatException($"{what}: {data.Y.Count} y arrays, but model '{Graph.Name}' has {heads.Length} outputs ({string.Join(", ", heads.Select(h => h.Name))})");
        for (int i = 0; i < declared.Count; i++)
        {
            var input = declared[i]!;
            var shape = data.X[i].Shape;
            if (!InputFits(input, shape))
                throw new ModelFormatException($"{what}: x[{i}] has samples of shape [{string.Join(",", shape.Skip(1))}], the model's input '{Model.InputNames[i]}' takes [{string.Join(",", input.Skip(1).Select(d => d?.ToString() ?? "?"))}]");
        }
        var probes = data.X.Select(a => tensor(a.Values.AsSpan(0, (int)a.RowLength).ToArray(), a.Shape.Skip(1).Prepend(1L).ToArray())).ToArray();
        var outs = Predict(probes);
        try
        {
            for (int k = 0; k < heads.Length; k++)
            {
                var outShape = outs[k].shape.Skip(1).ToArray();
                var yShape = data.Y[k].Shape.Skip(1).ToArray();
                var loss = heads[k].Loss;
                bool ok = TargetsFit(loss, yShape, outShape);
                if (!ok)
                    throw new ModelFormatException($"{what}: y[{k}] has samples of shape [{string.Join(",", yShape)}], but output '{heads[k].Name}' is [{string.Join(",", outShape)}]" +
                        TargetRule(loss));
            }
        }
        finally { foreach (var t in probes.Concat(outs)) t.Dispose(); }
    }

    /// <summary>Whether arrays of <paramref name="shape"/> (batch first) fit an input declared as <paramref name="declared"/>.</summary>
    private static bool InputFits(long?[] declared, long[] shape)
        => declared.Length == shape.Length && !declared.Skip(1).Zip(shape.Skip(1)).Any(p => p.First is { } d && d != p.Second);

    /// <summary>
    /// Whether per-sample targets of <paramref name="yShape"/> suit an output of <paramref name="outShape"/>: the
    /// output's shape, or for a sparse loss one class index per sample (no axis, or a last axis of 1).
    /// </summary>
    private static bool TargetsFit(Loss loss, long[] yShape, long[] outShape) => loss.SparseTargets
        ? yShape.Length == 0 || (yShape.Length == outShape.Length && yShape[^1] == 1 && yShape[..^1].SequenceEqual(outShape[..^1]))
        : yShape.SequenceEqual(outShape);

    /// <summary>The end of a target-shape error: what <paramref name="loss"/> takes.</summary>
    private static string TargetRule(Loss loss)
        => loss.SparseTargets ? " and a sparse loss takes one class index per sample" : $" and {loss.KerasName} takes targets of the output's shape";
}
