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
        CheckLoop(o);
        var (train, validation) = o.ValidationData is not null ? (data, o.ValidationData)
            : o.ValidationSplit > 0 ? data.SplitForValidation(o.ValidationSplit) : (data, (ArrayDataset?)null);
        validation?.Validate("validation data");
        CheckShapes(train, o.Loss, "training data");
        if (validation is not null) CheckShapes(validation, o.Loss, "validation data");
        // One head: the model's first output under FitOptions.Loss, as Keras's single-output compile.
        var head = new OutputHead(Model.OutputNames[0], o.Loss, 1.0);
        return FitArrays(MultiArrayDataset.From(train), validation is null ? null : MultiArrayDataset.From(validation), [head], o, callbacks);
    }

    /// <summary>True when the last <c>Fit</c> trained the head on cached features of the frozen base.</summary>
    public bool UsedFeatureCache { get; private set; }

    private static void CheckLoop(FitOptions o)
    {
        if (o.Epochs < 0) throw new ArgumentOutOfRangeException(nameof(o), o.Epochs, "epochs must be zero or more");
        if (o.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(o), o.BatchSize, "batch size must be at least 1");
    }

    /// <summary>Keras's <c>evaluate</c>: the mean loss and accuracy over <paramref name="data"/>, in inference mode.</summary>
    public (double Loss, double Accuracy) Evaluate(ArrayDataset data, Loss loss, int batchSize = 32)
    {
        data.Validate("evaluation data");
        using var x = tensor(data.X, data.XShape);
        using var y = tensor(data.Y, data.YShape);
        var logs = EvaluateAll([x], [y], [new OutputHead(Model.OutputNames[0], loss, 1.0)], batchSize, (xs, training) => Forward(xs, training));
        return (logs["loss"], logs["accuracy"]);
    }

    /// <summary>Checks that samples fit the model's input and targets its output, before any torch error could surface.</summary>
    private void CheckShapes(ArrayDataset data, Loss loss, string what)
    {
        var declared = Model.InputShapes;
        if (declared.Count != 1)
            throw new UnsupportedFeatureException($"model '{Graph.Name}': Fit takes one input; the model has {declared.Count}");
        var input = declared[0]!;
        if (!InputFits(input, data.XShape))
            throw new ModelFormatException($"{what}: x has samples of shape [{string.Join(",", data.XShape.Skip(1))}], the model's input '{Model.InputNames[0]}' takes [{string.Join(",", input.Skip(1).Select(d => d?.ToString() ?? "?"))}]");
        using var first = tensor(data.X.AsSpan(0, (int)(data.X.Length / data.Count)).ToArray(), data.XShape.Skip(1).Prepend(1L).ToArray());
        using var probe = Predict(first);
        var outShape = probe.shape.Skip(1).ToArray();
        var yShape = data.YShape.Skip(1).ToArray();
        bool ok = TargetsFit(loss, yShape, outShape);
        if (!ok)
            throw new ModelFormatException($"{what}: y has samples of shape [{string.Join(",", yShape)}], but the model outputs [{string.Join(",", outShape)}]" +
                TargetRule(loss));
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
