namespace Zoo.Formats.Dialects;

/// <summary>
/// What Keras 2.0's legacy interfaces did to a Keras 1 layer: its Keras 2 class and which argument
/// family's renames apply. Learned from keras/legacy/interfaces.py and the class aliases Keras 2.0 kept.
/// </summary>
internal static class Keras1LayerNames
{
    /// <summary>Argument families; each has one rename table in <see cref="Keras1Arguments"/>.</summary>
    internal enum Family { None, Dense, Conv1D, Conv, SeparableConv, Recurrent, ConvLstm, Embedding, Dropout, SpatialDropoutNd, GaussianNoise, Pooling1D, PoolingNd, GlobalPooling, UpSampling1D, DataFormatOnly, ZeroPadding2D, PRelu, BatchNorm }

    /// <summary>Keras 1 class → (Keras 2 class, family). Classes absent here keep their name and get only the common renames.</summary>
    public static readonly IReadOnlyDictionary<string, (string Keras2Class, Family Family)> Table = new Dictionary<string, (string, Family)>
    {
        ["Dense"] = ("Dense", Family.Dense),
        ["Convolution1D"] = ("Conv1D", Family.Conv1D),
        ["Conv1D"] = ("Conv1D", Family.Conv1D),
        ["AtrousConvolution1D"] = ("Conv1D", Family.Conv1D),
        ["Convolution2D"] = ("Conv2D", Family.Conv),
        ["Conv2D"] = ("Conv2D", Family.Conv),
        ["AtrousConvolution2D"] = ("Conv2D", Family.Conv),
        ["Deconvolution2D"] = ("Conv2DTranspose", Family.Conv),
        ["Convolution3D"] = ("Conv3D", Family.Conv),
        ["Conv3D"] = ("Conv3D", Family.Conv),
        ["SeparableConvolution2D"] = ("SeparableConv2D", Family.SeparableConv),
        ["LSTM"] = ("LSTM", Family.Recurrent),
        ["GRU"] = ("GRU", Family.Recurrent),
        ["SimpleRNN"] = ("SimpleRNN", Family.Recurrent),
        ["ConvLSTM2D"] = ("ConvLSTM2D", Family.ConvLstm),
        ["Embedding"] = ("Embedding", Family.Embedding),
        ["Dropout"] = ("Dropout", Family.Dropout),
        ["GaussianDropout"] = ("GaussianDropout", Family.Dropout),
        ["SpatialDropout1D"] = ("SpatialDropout1D", Family.Dropout),
        ["SpatialDropout2D"] = ("SpatialDropout2D", Family.SpatialDropoutNd),
        ["SpatialDropout3D"] = ("SpatialDropout3D", Family.SpatialDropoutNd),
        ["GaussianNoise"] = ("GaussianNoise", Family.GaussianNoise),
        ["MaxPooling1D"] = ("MaxPooling1D", Family.Pooling1D),
        ["AveragePooling1D"] = ("AveragePooling1D", Family.Pooling1D),
        ["MaxPooling2D"] = ("MaxPooling2D", Family.PoolingNd),
        ["AveragePooling2D"] = ("AveragePooling2D", Family.PoolingNd),
        ["MaxPooling3D"] = ("MaxPooling3D", Family.PoolingNd),
        ["AveragePooling3D"] = ("AveragePooling3D", Family.PoolingNd),
        ["GlobalMaxPooling2D"] = ("GlobalMaxPooling2D", Family.GlobalPooling),
        ["GlobalAveragePooling2D"] = ("GlobalAveragePooling2D", Family.GlobalPooling),
        ["GlobalMaxPooling3D"] = ("GlobalMaxPooling3D", Family.GlobalPooling),
        ["GlobalAveragePooling3D"] = ("GlobalAveragePooling3D", Family.GlobalPooling),
        ["UpSampling1D"] = ("UpSampling1D", Family.UpSampling1D),
        ["UpSampling2D"] = ("UpSampling2D", Family.DataFormatOnly),
        ["UpSampling3D"] = ("UpSampling3D", Family.DataFormatOnly),
        ["ZeroPadding2D"] = ("ZeroPadding2D", Family.ZeroPadding2D),
        ["ZeroPadding3D"] = ("ZeroPadding3D", Family.DataFormatOnly),
        ["Cropping2D"] = ("Cropping2D", Family.DataFormatOnly),
        ["Cropping3D"] = ("Cropping3D", Family.DataFormatOnly),
        ["PReLU"] = ("PReLU", Family.PRelu),
        ["BatchNormalization"] = ("BatchNormalization", Family.BatchNorm),
    };

    /// <summary>Keras 1 layers with no Keras 2 counterpart, and why.</summary>
    public static readonly IReadOnlyDictionary<string, string> Unsupported = new Dictionary<string, string>
    {
        ["MaxoutDense"] = "MaxoutDense was removed in Keras 2 (its legacy shim is gone from every later Keras); rebuild it as Dense followed by a max over the feature pieces",
        ["Highway"] = "Highway was removed in Keras 2 and has no built-in replacement",
        ["TimeDistributedDense"] = "TimeDistributedDense was removed in Keras 2; it is TimeDistributed(Dense), whose weights Zoo does not remap automatically",
        ["AtrousConvolution3D"] = "Keras 1 had no AtrousConvolution3D that Keras 2 reads",
    };

    /// <summary>Keras 1 <c>Merge</c> modes → Keras 2 merge layer class.</summary>
    public static readonly IReadOnlyDictionary<string, string> MergeModes = new Dictionary<string, string>
    {
        ["sum"] = "Add",
        ["mul"] = "Multiply",
        ["concat"] = "Concatenate",
        ["ave"] = "Average",
        ["max"] = "Maximum",
        ["dot"] = "Dot",
        ["cos"] = "Dot",
    };

    /// <summary>Class names that only Keras 1 wrote (used by <see cref="KerasDialect.Detect"/>).</summary>
    public static readonly IReadOnlySet<string> Keras1OnlyClasses = new HashSet<string>
    {
        "Convolution1D", "Convolution2D", "Convolution3D", "AtrousConvolution1D", "AtrousConvolution2D",
        "Deconvolution2D", "SeparableConvolution2D", "Merge", "MaxoutDense", "Highway", "TimeDistributedDense",
    };

    /// <summary>Config keys that only Keras 1 wrote (used by <see cref="KerasDialect.Detect"/>).</summary>
    public static readonly IReadOnlySet<string> Keras1OnlyKeys = new HashSet<string>
    {
        "border_mode", "nb_filter", "nb_row", "nb_col", "subsample", "subsample_length", "filter_length", "dim_ordering",
        "W_regularizer", "b_regularizer", "U_regularizer", "W_constraint", "b_constraint", "init", "inner_init",
        "inner_activation", "input_dtype", "dropout_W", "dropout_U", "consume_less", "pool_length", "atrous_rate",
        "forget_bias_init",
    };
}
