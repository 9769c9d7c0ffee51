namespace Zoo.Formats.Ir;

/// <summary>Which generation of Keras wrote (or will read) a config.</summary>
public enum KerasDialectKind
{
    /// <summary>Keras 1.x: <c>Convolution2D</c>, <c>border_mode</c>, <c>W</c>/<c>b</c>.</summary>
    Keras1,
    /// <summary>Keras 2.x and tf.keras (up to 2.15): <c>batch_input_shape</c>, list-form inbound nodes.</summary>
    Keras2,
    /// <summary>Keras 3: <c>batch_shape</c>, <c>module</c>/<c>registered_name</c>, <c>__keras_tensor__</c> inbound nodes.</summary>
    Keras3,
}
