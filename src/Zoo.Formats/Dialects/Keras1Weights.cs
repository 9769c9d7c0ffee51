using Zoo.Formats.Ir;

namespace Zoo.Formats.Dialects;

/// <summary>
/// Turns a Keras 1 layer's stored weights into Keras 2's names and layouts, as Keras 2's own loader did
/// for Keras 1 files: <c>W</c>/<c>b</c> become <c>kernel</c>/<c>bias</c>, BatchNormalization's
/// <c>running_mean</c>/<c>running_std</c> become <c>moving_mean</c>/<c>moving_variance</c> (Keras 1.2
/// already kept the variance there), and the per-gate recurrent tensors are concatenated in Keras 2's
/// gate order (LSTM i,f,c,o; GRU z,r,h). Without this a Keras 1 model written as Keras 2 or 3 would
/// carry weights no Keras 2/3 loader can place.
/// </summary>
internal static class Keras1Weights
{
    /// <summary>Converts <paramref name="layer"/>'s weights in place; <paramref name="keras2Class"/> is its translated class.</summary>
    public static void Convert(LayerNode layer, string keras2Class, bool channelsFirst)
    {
        if (layer.Weights.Count == 0 || !layer.Weights.Any(w => IsKeras1Name(w, layer.Name))) return;
        var bySuffix = new Dictionary<string, WeightTensor>(StringComparer.Ordinal);
        foreach (var w in layer.Weights) bySuffix[Suffix(w, layer.Name)] = w;
        WeightTensor Get(string suffix) => bySuffix.TryGetValue(suffix, out var w) ? w
            : throw new UnsupportedFeatureException($"layer '{layer.Name}': expected Keras 1 weight '{layer.Name}_{suffix}', found [{string.Join(", ", layer.Weights.Select(x => x.Name))}]", null, layer.Name);
        string N(string name) => $"{layer.Name}/{name}:0";
        List<WeightTensor> result;
        switch (keras2Class)
        {
            case "LSTM":
                result =
                [
                    Concat(N("kernel"), Get("W_i"), Get("W_f"), Get("W_c"), Get("W_o")),
                    Concat(N("recurrent_kernel"), Get("U_i"), Get("U_f"), Get("U_c"), Get("U_o")),
                    Concat(N("bias"), Get("b_i"), Get("b_f"), Get("b_c"), Get("b_o")),
                ];
                break;
            case "GRU":
                result =
                [
                    Concat(N("kernel"), Get("W_z"), Get("W_r"), Get("W_h")),
                    Concat(N("recurrent_kernel"), Get("U_z"), Get("U_r"), Get("U_h")),
                    Concat(N("bias"), Get("b_z"), Get("b_r"), Get("b_h")),
                ];
                break;
            case "SimpleRNN":
                result = [Get("W").Rename(N("kernel")), Get("U").Rename(N("recurrent_kernel")), Get("b").Rename(N("bias"))];
                break;
            case "BatchNormalization":
                result = [Get("gamma").Rename(N("gamma")), Get("beta").Rename(N("beta")),
                          Get("running_mean").Rename(N("moving_mean")), Get("running_std").Rename(N("moving_variance"))];
                break;
            case "Embedding":
                result = [Get("W").Rename(N("embeddings"))];
                break;
            case "PReLU":
                result = [Get("alphas").Rename(N("alpha"))];
                break;
            default:
                if ((channelsFirst && keras2Class.StartsWith("Conv", StringComparison.Ordinal)) || keras2Class.StartsWith("SeparableConv", StringComparison.Ordinal))
                    throw new UnsupportedFeatureException($"layer '{layer.Name}' ({keras2Class}): converting Keras 1 kernels stored in Theano ordering (dim_ordering 'th') or separable kernels to Keras 2 layout is not supported", null, layer.Name);
                result = layer.Weights.Select(w => Suffix(w, layer.Name) switch
                {
                    "W" => w.Rename(N("kernel")),
                    "b" => w.Rename(N("bias")),
                    var other => w.Rename(N(other)),
                }).ToList();
                break;
        }
        layer.Weights.Clear();
        layer.Weights.AddRange(result);
    }

    private static bool IsKeras1Name(WeightTensor w, string layer)
    {
        var shortName = WeightTensor.ShortNameOf(w.Name);
        return shortName.StartsWith(layer + "_", StringComparison.Ordinal) && !w.Name.Contains('/');
    }

    private static string Suffix(WeightTensor w, string layer)
    {
        var shortName = WeightTensor.ShortNameOf(w.Name);
        return shortName.StartsWith(layer + "_", StringComparison.Ordinal) ? shortName[(layer.Length + 1)..] : shortName;
    }

    /// <summary>Concatenates tensors along their last axis (gates side by side, as Keras 2 lays them out).</summary>
    private static WeightTensor Concat(string name, params WeightTensor[] parts)
    {
        var first = parts[0];
        if (parts.Any(p => p.DType != first.DType || p.Shape.Length != first.Shape.Length || !p.Shape.AsSpan(0, p.Shape.Length - 1).SequenceEqual(first.Shape.AsSpan(0, first.Shape.Length - 1))))
            throw new UnsupportedFeatureException($"weight '{name}': Keras 1 gate tensors [{string.Join(", ", parts.Select(p => p.ToString()))}] do not share their leading dimensions");
        int size = first.DType.Size();
        long rows = first.Shape.Length <= 1 ? 1 : WeightTensor.ElementCount(first.Shape[..^1]);
        long total = parts.Sum(p => p.Shape.Length == 0 ? 1 : p.Shape[^1]);
        var data = new byte[rows * total * size];
        long at = 0;
        for (long r = 0; r < rows; r++)
            foreach (var p in parts)
            {
                long cols = p.Shape.Length == 0 ? 1 : p.Shape[^1];
                Array.Copy(p.Data, r * cols * size, data, at, cols * size);
                at += cols * size;
            }
        var shape = first.Shape.Length == 0 ? [total] : first.Shape[..^1].Append(total).ToArray();
        return new WeightTensor(name, shape, first.DType, data);
    }
}
