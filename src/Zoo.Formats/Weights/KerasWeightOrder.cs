using Zoo.Formats.Ir;
using Zoo.Formats.Layers;

namespace Zoo.Formats.Weights;

/// <summary>
/// The order in which Keras lists a nested model's weights (tf.keras <c>Layer.trainable_weights +
/// non_trainable_weights</c>, Keras 3's legacy HDF5 path alike), which Keras's and tfjs's legacy loaders assign
/// <em>by position</em>: every trainable weight of every layer, depth first, then every non-trainable one. A weight
/// counts as trainable when its layer spec declares it so and its layer is trainable; a frozen layer (or model)
/// contributes all of its weights, its trainable-declared ones first, at its place in the non-trainable part.
/// The order follows the <c>trainable</c> flags the writer writes, so a model frozen after it was read is listed
/// as Keras would list it when loading the file.
/// </summary>
public static class KerasWeightOrder
{
    /// <summary>All weights of a nested model layer in Keras's order, for a graph of <paramref name="dialect"/>.</summary>
    public static List<WeightTensor> Of(LayerNode model, KerasDialectKind dialect)
    {
        var (trainable, nonTrainable) = Split(model, dialect);
        return trainable.Concat(nonTrainable).ToList();
    }

    /// <summary>
    /// The <c>trainable</c> flags of <paramref name="model"/>'s layers, depth first, as one string: a stored weight
    /// order stays valid exactly as long as this is unchanged.
    /// </summary>
    public static string TrainableFlags(LayerNode model)
    {
        var sb = new System.Text.StringBuilder();
        void Walk(LayerNode l)
        {
            sb.Append(l.Trainable ? '1' : '0');
            if (l.Nested is null) return;
            sb.Append('(');
            foreach (var c in l.Nested.Layers) Walk(c);
            sb.Append(')');
        }
        Walk(model);
        return sb.ToString();
    }

    // tf.keras's Layer properties, each layer by its own flag:
    //   trainable_weights(L)     = L.trainable ? L._trainable + Σ trainable_weights(c) : []
    //   non_trainable_weights(L) = L.trainable ? L._non_trainable + Σ non_trainable_weights(c)
    //                                          : L._trainable + L._non_trainable + Σ weights(c)
    //   weights(c)               = trainable_weights(c) + non_trainable_weights(c)
    private static (List<WeightTensor> Trainable, List<WeightTensor> NonTrainable) Split(LayerNode layer, KerasDialectKind dialect)
    {
        var own = new List<WeightTensor>();
        var ownNon = new List<WeightTensor>();
        if (layer.Nested is null)
        {
            var spec = TryRead(layer, dialect);
            foreach (var w in layer.Weights) (IsTrainable(spec, w) ? own : ownNon).Add(w);
        }
        else own.AddRange(layer.Weights); // a model's own weights (rare) are trainable ones
        var children = layer.Nested?.Layers.Select(c => Split(c, dialect)).ToList() ?? [];
        if (layer.Trainable)
            return (own.Concat(children.SelectMany(c => c.Trainable)).ToList(),
                    ownNon.Concat(children.SelectMany(c => c.NonTrainable)).ToList());
        return ([], own.Concat(ownNon).Concat(children.SelectMany(c => c.Trainable.Concat(c.NonTrainable))).ToList());
    }

    private static LayerSpec? TryRead(LayerNode layer, KerasDialectKind dialect)
    {
        try { return LayerSpecs.Read(layer, dialect); }
        catch (ZooException) { return null; } // a class Zoo does not run: fall back to the variable names
    }

    // Names Keras gives the non-trainable variables of layers whose spec is unknown here.
    private static readonly string[] NonTrainableNames = ["moving_mean", "moving_variance", "running_mean", "running_std"];

    private static bool IsTrainable(LayerSpec? spec, WeightTensor w)
    {
        if (spec is not null) return spec.IsTrainableWeight(w.Name);
        var s = w.ShortName;
        return !NonTrainableNames.Any(name => s == name || s.EndsWith("_" + name, StringComparison.Ordinal));
    }
}
