namespace Zoo.Formats.Weights;

/// <summary>How a weights file's layers are matched to an architecture's layers.</summary>
public enum WeightBinding
{
    /// <summary>By layer name (Keras's <c>by_name=True</c>); the default.</summary>
    ByName,
    /// <summary>
    /// By position: the weights file's layers in stored order against the architecture's layers in config
    /// order (all listed layers when the counts agree, else the layers that carry weights). Needed when
    /// names differ, as in files saved from a second instance of the same model.
    /// </summary>
    ByPosition,
}
