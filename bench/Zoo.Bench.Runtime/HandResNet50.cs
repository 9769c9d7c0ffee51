using Zoo.Formats.Ir;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Zoo.Bench.Runtime;

/// <summary>
/// ResNet50 written by hand in TorchSharp, NCHW throughout, as a TorchSharp user would write it: the
/// baseline the graph executor is measured against. It reads the same weights (Keras names of the
/// keras.applications version in the fixture: conv1/bn_conv1, res2a_branch2a/bn2a_branch2a, …, fc1000),
/// converted once to torch layout, and folds each BatchNormalization into a scale and shift.
/// </summary>
internal sealed class HandResNet50 : IDisposable
{
    private readonly Dictionary<string, Tensor> p = new(StringComparer.Ordinal);
    private readonly double eps;

    public HandResNet50(ModelGraph graph, double bnEpsilon)
    {
        eps = bnEpsilon;
        foreach (var layer in graph.Layers)
        foreach (var w in layer.Weights)
        {
            var t = tensor(w.ToFloat32(), w.Shape);
            var shortName = w.ShortName;
            if (shortName == "kernel") t = t.dim() == 4 ? t.permute(3, 2, 0, 1).contiguous() : t.t().contiguous();
            p[layer.Name + "/" + shortName] = t;
        }
        FoldBatchNorms(graph);
    }

    private void FoldBatchNorms(ModelGraph graph)
    {
        foreach (var layer in graph.Layers.Where(l => l.ClassName == "BatchNormalization"))
        {
            var n = layer.Name;
            var inv = (p[n + "/moving_variance"] + eps).rsqrt() * p[n + "/gamma"];
            p[n + "/scale"] = inv.reshape(1, -1, 1, 1).contiguous();
            p[n + "/shift"] = (p[n + "/beta"] - p[n + "/moving_mean"] * inv).reshape(1, -1, 1, 1).contiguous();
        }
    }

    /// <summary>NHWC in and out (as Keras), NCHW inside: one permute at each end.</summary>
    public Tensor Forward(Tensor nhwc)
    {
        var x = nhwc.permute(0, 3, 1, 2);
        x = F.pad(x, new long[] { 3, 3, 3, 3 });
        x = F.relu(Bn(Conv(x, "conv1", 2, 0), "bn_conv1"));
        x = F.max_pool2d(F.pad(x, new long[] { 1, 1, 1, 1 }), new long[] { 3, 3 }, new long[] { 2, 2 });
        (int stage, int blocks, int stride)[] stages = { (2, 3, 1), (3, 4, 2), (4, 6, 2), (5, 3, 2) };
        foreach (var (stage, blocks, stride) in stages)
            for (int b = 0; b < blocks; b++)
                x = Block(x, $"{stage}{(char)('a' + b)}", b == 0 ? stride : 1, b == 0);
        x = x.mean(new long[] { 2, 3 });
        return F.softmax(F.linear(x, p["fc1000/kernel"], p["fc1000/bias"]), 1);
    }

    private Tensor Block(Tensor x, string id, int stride, bool projection)
    {
        var y = F.relu(Bn(Conv(x, $"res{id}_branch2a", stride, 0), $"bn{id}_branch2a"));
        y = F.relu(Bn(Conv(y, $"res{id}_branch2b", 1, 1), $"bn{id}_branch2b"));
        y = Bn(Conv(y, $"res{id}_branch2c", 1, 0), $"bn{id}_branch2c");
        var shortcut = projection ? Bn(Conv(x, $"res{id}_branch1", stride, 0), $"bn{id}_branch1") : x;
        return F.relu(y + shortcut);
    }

    private Tensor Conv(Tensor x, string name, int stride, int pad)
        => F.conv2d(x, p[name + "/kernel"], p[name + "/bias"], strides: new long[] { stride, stride }, padding: new long[] { pad, pad });

    private Tensor Bn(Tensor x, string name) => x * p[name + "/scale"] + p[name + "/shift"];

    public void Dispose()
    {
        foreach (var t in p.Values) t.Dispose();
    }
}
