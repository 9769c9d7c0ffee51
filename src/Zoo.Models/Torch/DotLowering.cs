using Zoo.Formats;
using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>
/// <c>Dot</c> as Keras's batch_dot: the first input's contracted axis moved last, the second's moved
/// next to the batch, both flattened around it and multiplied with bmm; the result keeps the first input's
/// other axes, then the second's, and a rank-1 result gets a trailing axis of 1 as in Keras.
/// </summary>
public sealed class DotLowering(DotSpec spec) : LoweredLayer(spec)
{
    private readonly DotSpec s = spec;

    /// <inheritdoc/>
    public override Tensor[] Forward(IReadOnlyList<Tensor> inputs)
    {
        if (inputs.Count != 2)
            throw new ModelFormatException($"layer '{Name}' (Dot): expected two inputs, found {inputs.Count}", null, $"layers/{Name}");
        Tensor a = inputs[0], b = inputs[1];
        int ra = (int)a.dim(), rb = (int)b.dim();
        int ax = AxisList.Normalize(s.Axes[0], ra), bx = AxisList.Normalize(s.Axes[1], rb);
        if (ax <= 0 || ax >= ra || bx <= 0 || bx >= rb || a.shape[ax] != b.shape[bx])
            throw new ModelFormatException($"layer '{Name}' (Dot): axes [{s.Axes[0]},{s.Axes[1]}] do not pair shapes [{string.Join(",", a.shape)}] and [{string.Join(",", b.shape)}]", null, $"layers/{Name}");
        if (s.Normalize) { a = L2Normalize(a, ax); b = L2Normalize(b, bx); }
        var am = a.movedim(new long[] { ax }, new long[] { ra - 1 });
        var bm = b.movedim(new long[] { bx }, new long[] { 1 });
        long n = a.shape[0], k = a.shape[ax];
        var restA = am.shape.Skip(1).Take(ra - 2).ToArray();
        var restB = bm.shape.Skip(2).ToArray();
        var y = bmm(am.reshape(n, -1, k), bm.reshape(n, k, -1));
        var shape = new[] { n }.Concat(restA).Concat(restB).ToArray();
        if (shape.Length == 1) shape = new[] { n, 1L };
        return new[] { y.reshape(shape) };
    }

    // Keras: x / sqrt(max(sum(x²), 1e-12)).
    private static Tensor L2Normalize(Tensor x, int axis)
        => x * (x * x).sum(new long[] { axis }, true).clamp_min(1e-12).rsqrt();
}
