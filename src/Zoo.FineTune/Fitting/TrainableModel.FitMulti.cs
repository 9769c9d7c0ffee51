using Zoo.FineTune.Callbacks;
using Zoo.FineTune.Fitting;
using Zoo.FineTune.Losses;
using Zoo.FineTune.Optimizers;
using Zoo.Formats;
using static TorchSharp.torch;

namespace Zoo.FineTune.Training;

public sealed partial class TrainableModel
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
        if (o.Epochs < 0) throw new ArgumentOutOfRangeException(nameof(options), o.Epochs, "epochs must be zero or more");
        if (o.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), o.BatchSize, "batch size must be at least 1");
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
        var optimizer = o.Optimizer ?? new RmsProp();
        Compiled = (optimizer, heads[0].Loss);
        compiledOutputs = heads;
        UsedFeatureCache = false;
        var context = new TrainingContext(this, optimizer);
        var history = new History();
        var rng = new Random(Seed);
        var xs = train.X.Select(a => tensor(a.Values, a.Shape)).ToArray();
        var ys = train.Y.Select(a => tensor(a.Values, a.Shape)).ToArray();
        var xv = validation?.X.Select(a => tensor(a.Values, a.Shape)).ToArray();
        var yv = validation?.Y.Select(a => tensor(a.Values, a.Shape)).ToArray();
        try
        {
            using var weights = heads.Length == 1
                ? SampleWeights(new ArrayDataset(train.X[0].Values, train.X[0].Shape, train.Y[0].Values, train.Y[0].Shape), o)
                : ones(train.Count);
            foreach (var c in callbacks) c.OnTrainBegin(context);
            for (int epoch = 0; epoch < o.Epochs && !context.StopTraining; epoch++)
            {
                foreach (var c in callbacks) c.OnEpochBegin(epoch, context);
                var logs = TrainEpoch(epoch, xs, ys, weights, heads, o, optimizer, rng);
                if (xv is not null)
                    foreach (var (k, v) in EvaluateAll(xv, yv!, heads, o.BatchSize)) logs["val_" + k] = v;
                foreach (var c in callbacks) c.OnEpochEnd(epoch, logs, context);
                history.Add(epoch, new Dictionary<string, double>(logs));
            }
            foreach (var c in callbacks) c.OnTrainEnd(context);
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
        try { return EvaluateAll(xs, ys, heads, o.BatchSize); }
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

    private OutputHead[]? compiledOutputs;

    /// <summary>One model output as compile() saw it: its name (for log keys), loss and loss weight.</summary>
    internal sealed record OutputHead(string Name, Loss Loss, double Weight);

    private OutputHead[] OutputHeads(FitOptions o)
    {
        var names = executor.OutputNames;
        if (o.Losses is { } losses && losses.Count != names.Count)
            throw new ArgumentException($"model '{Graph.Name}' has {names.Count} outputs ({string.Join(", ", names)}), but {losses.Count} losses were given", nameof(o));
        if (o.LossWeights is { } w && w.Count != names.Count)
            throw new ArgumentException($"model '{Graph.Name}' has {names.Count} outputs ({string.Join(", ", names)}), but {w.Count} loss weights were given", nameof(o));
        return names.Select((n, k) => new OutputHead(n, o.Losses?[k] ?? o.Loss, o.LossWeights?[k] ?? 1.0)).ToArray();
    }

    private Dictionary<string, double> TrainEpoch(int epoch, Tensor[] xs, Tensor[] ys, Tensor sampleWeights, OutputHead[] heads, FitOptions o,
        Optimizer optimizer, Random rng)
    {
        long n = xs[0].shape[0];
        var order = Enumerable.Range(0, (int)n).ToArray();
        if (o.Shuffle) rng.Shuffle(order);
        int batches = (int)((n + o.BatchSize - 1) / o.BatchSize);
        var sums = new Sums(heads.Length);
        for (int b = 0; b < batches; b++)
        {
            using var scope = NewDisposeScope();
            var ids = order[(b * o.BatchSize)..(int)Math.Min(n, (b + 1) * (long)o.BatchSize)].Select(i => (long)i).ToArray();
            var idx = tensor(ids);
            var wb = sampleWeights.index_select(0, idx);
            var yb = ys.Select(y => y.index_select(0, idx)).ToArray();
            var xb = xs.Select(x => x.index_select(0, idx)).ToArray();
            if (o.Augmentation is { } augment) xb[0] = Data.BatchAugmentation.Apply(augment, epoch, ids, xb[0]);
            foreach (var w in TrainableWeights) w.grad?.zero_();
            var preds = Forward(xb, training: true);
            var (total, perOutput) = Losses(heads, yb, preds, wb);
            if (TrainableWeights.Count > 0)
            {
                total.backward();
                optimizer.Step(TrainableWeights);
            }
            using (no_grad()) sums.Add(heads, total, perOutput, yb, preds, wb);
            o.OnBatch?.Invoke(new BatchProgress(epoch, b, batches, sums.Loss / sums.Samples));
        }
        foreach (var w in TrainableWeights) w.grad?.zero_();
        return sums.Logs(heads);
    }

    /// <summary>Keras's compiled loss: per output the weighted per-sample loss summed over the batch divided by the batch size, then Σ wₖ·lossₖ.</summary>
    private static (Tensor Total, Tensor[] PerOutput) Losses(OutputHead[] heads, Tensor[] ys, Tensor[] preds, Tensor sampleWeights)
    {
        var per = heads.Select((h, k) => (h.Loss.PerSample(ys[k], preds[k]) * sampleWeights).sum() / ys[k].shape[0]).ToArray();
        var total = per[0] * heads[0].Weight;
        for (int k = 1; k < per.Length; k++) total = total + per[k] * heads[k].Weight;
        return (total, per);
    }

    private Dictionary<string, double> EvaluateAll(Tensor[] xs, Tensor[] ys, OutputHead[] heads, int batchSize)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var sums = new Sums(heads.Length);
        long n = xs[0].shape[0];
        for (long start = 0; start < n; start += batchSize)
        {
            long len = Math.Min(batchSize, n - start);
            var yb = ys.Select(y => y.narrow(0, start, len)).ToArray();
            var preds = Forward(xs.Select(x => x.narrow(0, start, len)).ToArray(), training: false);
            var wb = ones(len);
            var (total, perOutput) = Losses(heads, yb, preds, wb);
            sums.Add(heads, total, perOutput, yb, preds, wb);
        }
        return sums.Logs(heads);
    }

    /// <summary>Running sums of an epoch's logs: losses weighted by batch size, accuracies by sample weight (Keras's Mean metrics).</summary>
    private sealed class Sums(int outputs)
    {
        public double Loss, Samples, WeightSum;
        private readonly double[] losses = new double[outputs], accuracies = new double[outputs];

        public void Add(OutputHead[] heads, Tensor total, Tensor[] perOutput, Tensor[] ys, Tensor[] preds, Tensor weights)
        {
            long size = ys[0].shape[0];
            Samples += size;
            Loss += total.item<float>() * size;
            WeightSum += weights.sum().item<float>();
            for (int k = 0; k < heads.Length; k++)
            {
                losses[k] += perOutput[k].item<float>() * size;
                accuracies[k] += (heads[k].Loss.Accuracy(ys[k], preds[k].detach()) * weights).sum().item<float>();
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
        var declared = executor.InputShapes();
        if (data.X.Count != declared.Count)
            throw new ModelFormatException($"{what}: {data.X.Count} x arrays, but model '{Graph.Name}' has {declared.Count} inputs ({string.Join(", ", executor.InputNames)})");
        if (data.Y.Count != heads.Length)
            throw new ModelFormatException($"{what}: {data.Y.Count} y arrays, but model '{Graph.Name}' has {heads.Length} outputs ({string.Join(", ", heads.Select(h => h.Name))})");
        for (int i = 0; i < declared.Count; i++)
        {
            var input = declared[i]!;
            var shape = data.X[i].Shape;
            if (input.Length != shape.Length || input.Skip(1).Zip(shape.Skip(1)).Any(p => p.First is { } d && d != p.Second))
                throw new ModelFormatException($"{what}: x[{i}] has samples of shape [{string.Join(",", shape.Skip(1))}], the model's input '{executor.InputNames[i]}' takes [{string.Join(",", input.Skip(1).Select(d => d?.ToString() ?? "?"))}]");
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
                bool ok = loss.SparseTargets
                    ? yShape.Length == 0 || (yShape.Length == outShape.Length && yShape[^1] == 1 && yShape[..^1].SequenceEqual(outShape[..^1]))
                    : yShape.SequenceEqual(outShape);
                if (!ok)
                    throw new ModelFormatException($"{what}: y[{k}] has samples of shape [{string.Join(",", yShape)}], but output '{heads[k].Name}' is [{string.Join(",", outShape)}]" +
                        (loss.SparseTargets ? " and a sparse loss takes one class index per sample" : $" and {loss.KerasName} takes targets of the output's shape"));
            }
        }
        finally { foreach (var t in probes.Concat(outs)) t.Dispose(); }
    }
}
