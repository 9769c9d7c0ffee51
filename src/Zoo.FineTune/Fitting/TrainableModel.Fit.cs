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
    /// Keras's <c>fit</c>: for each epoch, shuffles the training samples (seeded), runs one optimizer step per
    /// batch on the class-weighted loss, then evaluates the validation data; logs <c>loss</c>, <c>accuracy</c>,
    /// <c>val_loss</c>, <c>val_accuracy</c> (sample means over the epoch, training values as they ran) and
    /// calls <paramref name="callbacks"/> as Keras does. The optimizer defaults to RMSprop, Keras's
    /// <c>compile</c> default.
    /// </summary>
    public History Fit(ArrayDataset data, FitOptions? options = null, params Callback[] callbacks)
    {
        var o = options ?? new FitOptions();
        data.Validate("training data");
        if (o.Epochs < 0) throw new ArgumentOutOfRangeException(nameof(options), o.Epochs, "epochs must be zero or more");
        if (o.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), o.BatchSize, "batch size must be at least 1");
        var (train, validation) = o.ValidationData is not null ? (data, o.ValidationData)
            : o.ValidationSplit > 0 ? data.SplitForValidation(o.ValidationSplit) : (data, (ArrayDataset?)null);
        validation?.Validate("validation data");
        CheckShapes(train, o.Loss, "training data");
        if (validation is not null) CheckShapes(validation, o.Loss, "validation data");
        var optimizer = o.Optimizer ?? new RmsProp();
        Compiled = (optimizer, o.Loss);
        var context = new TrainingContext(this, optimizer);
        var history = new History();
        var rng = new Random(Seed);

        // Augmented inputs differ every epoch, so features of the frozen base cannot be computed once.
        var cached = o.CacheFrozenBase && o.Augmentation is null ? FeatureCache.BaseOutput(Graph) : null;
        UsedFeatureCache = cached is not null;
        Func<Tensor, bool, Tensor> forward = cached is { } call
            ? (x, training) => ForwardFrom(call, x, training)
            : (x, training) => Forward(new[] { x }, training)[0];
        using var xInput = tensor(train.X, train.XShape);
        using var xAll = cached is { } c1 ? Features(c1, xInput, o.BatchSize) : xInput.alias();
        using var yAll = tensor(train.Y, train.YShape);
        using var weightsAll = SampleWeights(train, o);
        using var xVal = validation is null ? null : tensor(validation.X, validation.XShape);
        using var xValAll = xVal is null ? null : cached is { } c2 ? Features(c2, xVal, o.BatchSize) : xVal.alias();
        using var yVal = validation is null ? null : tensor(validation.Y, validation.YShape);
        foreach (var c in callbacks) c.OnTrainBegin(context);
        for (int epoch = 0; epoch < o.Epochs && !context.StopTraining; epoch++)
        {
            foreach (var c in callbacks) c.OnEpochBegin(epoch, context);
            var logs = TrainEpoch(epoch, xAll, yAll, weightsAll, o, optimizer, rng, forward);
            if (xValAll is not null)
            {
                var (loss, acc) = Evaluate(xValAll, yVal!, o.Loss, o.BatchSize, forward);
                logs["val_loss"] = loss;
                logs["val_accuracy"] = acc;
            }
            foreach (var c in callbacks) c.OnEpochEnd(epoch, logs, context);
            history.Add(epoch, new Dictionary<string, double>(logs));
        }
        foreach (var c in callbacks) c.OnTrainEnd(context);
        return history;
    }

    /// <summary>True when the last <c>Fit</c> trained the head on cached features of the frozen base.</summary>
    public bool UsedFeatureCache { get; private set; }

    private Dictionary<string, double> TrainEpoch(int epoch, Tensor x, Tensor y, Tensor sampleWeights, FitOptions o, Optimizer optimizer, Random rng,
        Func<Tensor, bool, Tensor> forward)
    {
        long n = x.shape[0];
        var order = Enumerable.Range(0, (int)n).ToArray();
        if (o.Shuffle) rng.Shuffle(order);
        int batches = (int)((n + o.BatchSize - 1) / o.BatchSize);
        double lossSum = 0, accSum = 0, weightSum = 0;
        for (int b = 0; b < batches; b++)
        {
            using var scope = NewDisposeScope();
            var ids = order[(b * o.BatchSize)..(int)Math.Min(n, (b + 1) * (long)o.BatchSize)].Select(i => (long)i).ToArray();
            var idx = tensor(ids);
            var (xb, yb, wb) = (x.index_select(0, idx), y.index_select(0, idx), sampleWeights.index_select(0, idx));
            if (o.Augmentation is { } augment) xb = Data.BatchAugmentation.Apply(augment, epoch, ids, xb);
            foreach (var w in TrainableWeights) w.grad?.zero_();
            var pred = forward(xb, true);
            // sum_over_batch_size: weighted sum divided by the batch's sample count, not by the weights' sum.
            var loss = (o.Loss.PerSample(yb, pred) * wb).sum() / xb.shape[0];
            if (TrainableWeights.Count > 0)
            {
                loss.backward();
                optimizer.Step(TrainableWeights);
            }
            using (no_grad())
            {
                // One read of the step's three numbers: each .item() would wait for the device on its own.
                var logged = stack(new[] { loss.detach(), (o.Loss.Accuracy(yb, pred.detach()) * wb).sum(), wb.sum() }).to_type(ScalarType.Float32).cpu().data<float>();
                lossSum += logged[0] * xb.shape[0];
                accSum += logged[1];
                weightSum += logged[2];
            }
            o.OnBatch?.Invoke(new BatchProgress(epoch, b, batches, lossSum / Math.Min(n, (b + 1) * (long)o.BatchSize)));
        }
        foreach (var w in TrainableWeights) w.grad?.zero_();
        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["loss"] = lossSum / n,
            ["accuracy"] = weightSum > 0 ? accSum / weightSum : 0,
        };
    }

    /// <summary>Keras's <c>evaluate</c>: the mean loss and accuracy over <paramref name="data"/>, in inference mode.</summary>
    public (double Loss, double Accuracy) Evaluate(ArrayDataset data, Loss loss, int batchSize = 32)
    {
        data.Validate("evaluation data");
        using var x = tensor(data.X, data.XShape);
        using var y = tensor(data.Y, data.YShape);
        return Evaluate(x, y, loss, batchSize, (xb, training) => Forward(new[] { xb }, training)[0]);
    }

    private static (double Loss, double Accuracy) Evaluate(Tensor x, Tensor y, Loss loss, int batchSize, Func<Tensor, bool, Tensor> forward)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        double lossSum = 0, accSum = 0;
        long n = x.shape[0];
        for (long start = 0; start < n; start += batchSize)
        {
            long len = Math.Min(batchSize, n - start);
            var (xb, yb) = (x.narrow(0, start, len), y.narrow(0, start, len));
            var pred = forward(xb, false);
            lossSum += loss.PerSample(yb, pred).sum().item<float>();
            accSum += loss.Accuracy(yb, pred).sum().item<float>();
        }
        return (lossSum / n, accSum / n);
    }

    /// <summary>Checks that samples fit the model's input and targets its output, before any torch error could surface.</summary>
    private void CheckShapes(ArrayDataset data, Loss loss, string what)
    {
        var declared = executor.InputShapes();
        if (declared.Count != 1)
            throw new UnsupportedFeatureException($"model '{Graph.Name}': Fit takes one input; the model has {declared.Count}");
        var input = declared[0]!;
        if (input.Length != data.XShape.Length || input.Skip(1).Zip(data.XShape.Skip(1)).Any(p => p.First is { } d && d != p.Second))
            throw new ModelFormatException($"{what}: x has samples of shape [{string.Join(",", data.XShape.Skip(1))}], the model's input '{executor.InputNames[0]}' takes [{string.Join(",", input.Skip(1).Select(d => d?.ToString() ?? "?"))}]");
        using var first = tensor(data.X.AsSpan(0, (int)(data.X.Length / data.Count)).ToArray(), data.XShape.Skip(1).Prepend(1L).ToArray());
        using var probe = Predict(first);
        var outShape = probe.shape.Skip(1).ToArray();
        var yShape = data.YShape.Skip(1).ToArray();
        bool ok = loss.SparseTargets
            ? yShape.Length == 0 || (yShape.Length == outShape.Length && yShape[^1] == 1 && yShape[..^1].SequenceEqual(outShape[..^1]))
            : yShape.SequenceEqual(outShape);
        if (!ok)
            throw new ModelFormatException($"{what}: y has samples of shape [{string.Join(",", yShape)}], but the model outputs [{string.Join(",", outShape)}]" +
                (loss.SparseTargets ? " and a sparse loss takes one class index per sample" : $" and {loss.KerasName} takes targets of the output's shape"));
    }

    /// <summary>Each sample's weight from <c>class_weight</c> (1 when none), its class read from a one-hot row, an index, or a rounded binary target.</summary>
    private static Tensor SampleWeights(ArrayDataset data, FitOptions o)
    {
        long n = data.Count;
        var weights = new float[n];
        Array.Fill(weights, 1f);
        if (o.ClassWeight is { Count: > 0 } classWeight)
        {
            long row = data.Y.Length / n;
            for (long i = 0; i < n; i++)
            {
                var r = data.Y.AsSpan((int)(i * row), (int)row);
                int cls = o.Loss.SparseTargets || row == 1 ? (int)Math.Round(r[0]) : IndexOfMax(r);
                if (classWeight.TryGetValue(cls, out var w)) weights[i] = (float)w;
            }
        }
        return tensor(weights);
    }

    private static int IndexOfMax(ReadOnlySpan<float> r)
    {
        int best = 0;
        for (int i = 1; i < r.Length; i++) if (r[i] > r[best]) best = i;
        return best;
    }
}
