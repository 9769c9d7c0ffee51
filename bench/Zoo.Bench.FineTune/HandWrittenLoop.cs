using System.Diagnostics;
using Zoo.FineTune.Fitting;
using Zoo.FineTune.Training;
using static TorchSharp.torch;

/// <summary>
/// The baseline: the same forward and weights trained by a loop written directly against TorchSharp (shuffle,
/// zero grads, forward, clipped cross-entropy, backward), then Keras's SGD or Adam update written by hand with
/// the operations Zoo's optimizer uses (so the same roundings), each weight's temporaries freed before the next.
/// Owns (and disposes) the model it trains.
/// </summary>
internal sealed class HandWrittenLoop : IDisposable

{
    private readonly TrainableModel model;
    private readonly Tensor x, y;
    private readonly (Tensor M, Tensor V)[]? moments;
    private readonly Random rng;
    private readonly int batch;
    private long t;

    public HandWrittenLoop(TrainableModel model, ArrayDataset data, int batch, string optimizer)
    {
        this.model = model;
        this.batch = batch;
        x = tensor(data.X, data.XShape);
        y = tensor(data.Y, data.YShape);
        // Keras builds its slots before the first step; so does the baseline, outside the timed epochs.
        moments = optimizer == "adam" ? model.TrainableWeights.Select(w => (zeros_like(w), zeros_like(w))).ToArray() : null;
        rng = new Random(model.Seed);
    }

    /// <summary>Runs one epoch and returns its (wall, process CPU) seconds.</summary>
    public (double Wall, double Cpu) Epoch()
    {
        var weights = model.TrainableWeights;
        var cpu = Environment.CpuUsage.TotalTime;
        var sw = Stopwatch.StartNew();
        int samples = (int)x.shape[0];
        var order = Enumerable.Range(0, samples).ToArray();
        rng.Shuffle(order);
        for (int start = 0; start < samples; start += batch)
        {
            using var scope = NewDisposeScope();
            var idx = tensor(order[start..Math.Min(samples, start + batch)].Select(i => (long)i).ToArray());
            foreach (var w in weights) w.grad?.zero_();
            var p = model.Forward(new[] { x.index_select(0, idx) }, training: true)[0];
            var loss = -(y.index_select(0, idx) * p.clamp(1e-7, 1 - 1e-7).log()).sum(-1).mean();
            loss.backward();
            t++;
            using (no_grad())
            {
                double alpha = 0.001 * Math.Sqrt(1 - Math.Pow(0.999, t)) / (1 - Math.Pow(0.9, t));
                for (int i = 0; i < weights.Count; i++)
                {
                    using var perWeight = NewDisposeScope();
                    var (w, g) = (weights[i], weights[i].grad!);
                    if (moments is null) { w.sub_(g * 0.01); continue; }
                    var (m, v) = moments[i];
                    m.add_((g - m).mul_(1 - 0.9));
                    v.add_(g.square().sub_(v).mul_(1 - 0.999));
                    w.sub_((m * alpha).div_(v.sqrt().add_(1e-7)));
                }
            }
            _ = loss.item<float>();
        }
        return (sw.Elapsed.TotalSeconds, (Environment.CpuUsage.TotalTime - cpu).TotalSeconds);
    }

    public void Dispose()
    {
        model.Dispose();
        x.Dispose();
        y.Dispose();
        foreach (var (m, v) in moments ?? []) { m.Dispose(); v.Dispose(); }
    }
}
