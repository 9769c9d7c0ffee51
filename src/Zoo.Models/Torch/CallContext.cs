using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>
/// What Keras passes a layer besides its tensors: the <c>training</c> argument, whether the layer (and every model
/// around it) is trainable, and the random generator that dropout and noise layers draw from in training.
/// </summary>
/// <param name="Training">Keras's <c>training</c> argument: true in a training step unless the call says <c>training=False</c>.</param>
/// <param name="Trainable">The layer's <c>trainable</c> flag AND-ed with every enclosing model's: a frozen BatchNormalization runs in inference mode even in training (Keras's TF2 rule).</param>
/// <param name="Random">The generator of dropout masks and noise; null at inference.</param>
public readonly record struct CallContext(bool Training, bool Trainable = true, Generator? Random = null)
{
    /// <summary>Inference: every layer as at prediction time.</summary>
    public static CallContext Inference => new(false);

    /// <summary>The context of a call whose keyword arguments say <c>training=<paramref name="argument"/></c> (null: not given) on a layer flagged <paramref name="layerTrainable"/>.</summary>
    public CallContext For(bool? argument, bool layerTrainable)
        => new(argument ?? Training, Trainable && layerTrainable, Random);
}
