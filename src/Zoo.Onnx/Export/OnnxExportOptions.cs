namespace Zoo.Onnx.Export;

/// <summary>How <see cref="OnnxExporter"/> writes a Keras model as ONNX. Defaults give Keras's own interface: NHWC tensors, a dynamic batch.</summary>
public sealed class OnnxExportOptions
{
    /// <summary>The defaults: NHWC inputs/outputs, opset 17, no BatchNormalization folding, inference identities dropped.</summary>
    public static OnnxExportOptions Default { get; } = new();

    /// <summary>The ONNX operator set to import: 17 (the default) to 21; from 18 on, Reduce ops take their axes as an input.</summary>
    public int Opset { get; init; } = 17;

    /// <summary>
    /// When true, rank-4 (image) inputs and outputs are NCHW instead of Keras's NHWC: a Transpose at each
    /// such input and output converts, so the same graph serves PyTorch-style callers.
    /// </summary>
    public bool ChannelsFirstIO { get; init; }

    /// <summary>Folds a BatchNormalization whose only input is a linear-activation convolution into that convolution's kernel and bias.</summary>
    public bool FoldBatchNorm { get; init; }

    /// <summary>Leaves Dropout and the other inference-time identities out of the graph instead of writing an Identity node for each.</summary>
    public bool DropIdentities { get; init; } = true;

    /// <summary>Total initializer bytes above which weights go to a side file <c>&lt;model&gt;.data</c> (protobuf cannot hold 2 GB).</summary>
    public long ExternalDataThreshold { get; init; } = 2_000_000_000;

    /// <summary>The producer name written into the model.</summary>
    public string ProducerName { get; init; } = "zoo";
}
