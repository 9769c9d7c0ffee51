using Zoo.Formats.Ir;
using Zoo.Models.Tests.Support;

namespace Zoo.Onnx.Tests.Lowerings;

/// <summary>Small single-layer (or few-layer) graphs with random weights, one per lowering path worth proving.</summary>
internal static class LayerCases
{
    private static LayerNode L(string cls, string name, string cfg, params WeightTensor[] w) => G.Layer(cls, name, cfg, w);

    private static string Shape(params long?[] dims) => "[" + string.Join(",", dims.Select(d => d?.ToString() ?? "null")) + "]";

    private static (ModelGraph, long[]) Seq(long[] input, params LayerNode[] layers)
    {
        var shape = new long?[] { null }.Concat(input.Skip(1).Select(d => (long?)d)).ToArray();
        var all = new[] { G.Input("in", shape) }.Concat(layers).ToArray();
        return (G.Sequential(all), input);
    }

    private static WeightTensor W(string layer, string name, params long[] shape) => G.W(layer, name, shape, layer.Length * 31 + name.Length);

    private static WeightTensor Positive(string layer, string name, long n)
        => WeightTensor.FromFloat32($"{layer}/{name}:0", new[] { n }, G.Rand((int)n, 99, 0.4f).Select(v => v + 0.6f).ToArray());

    private static string Conv(int f, string k, string s, string pad, string extra = "")
        => $"{{\"filters\": {f}, \"kernel_size\": {k}, \"strides\": {s}, \"padding\": \"{pad}\", \"use_bias\": true, \"activation\": \"linear\"{extra}}}";

    private static string Rnn(int units, string extra) => $"{{\"units\": {units}, \"activation\": \"tanh\"{extra}}}";

    public static readonly Dictionary<string, Func<(ModelGraph Graph, long[] Input)>> All = new()
    {
        ["Dense relu"] = () => Seq(new long[] { 3, 5 }, L("Dense", "d", "{\"units\": 4, \"activation\": \"relu\"}", W("d", "kernel", 5, 4), W("d", "bias", 4))),
        ["Dense on 3-D input (TimeDistributed style)"] = () => Seq(new long[] { 2, 3, 5 }, L("Dense", "d", "{\"units\": 4}", W("d", "kernel", 5, 4), W("d", "bias", 4))),
        ["Conv2D same stride 2 odd sizes"] = () => Seq(new long[] { 2, 7, 6, 3 }, L("Conv2D", "c", Conv(4, "[3,3]", "[2,2]", "same"), W("c", "kernel", 3, 3, 3, 4), W("c", "bias", 4))),
        ["Conv2D same 4x4 kernel stride 3"] = () => Seq(new long[] { 1, 5, 5, 2 }, L("Conv2D", "c", Conv(3, "[4,4]", "[3,3]", "same"), W("c", "kernel", 4, 4, 2, 3), W("c", "bias", 3))),
        ["Conv2D valid dilated relu"] = () => Seq(new long[] { 1, 9, 8, 2 }, L("Conv2D", "c", Conv(3, "[3,2]", "[1,1]", "valid", ", \"dilation_rate\": [2,2], \"activation\": \"relu\"").Replace("\"activation\": \"linear\",", ""), W("c", "kernel", 3, 2, 2, 3), W("c", "bias", 3))),
        ["Conv2D groups 2"] = () => Seq(new long[] { 1, 6, 6, 4 }, L("Conv2D", "c", Conv(6, "[3,3]", "[1,1]", "same", ", \"groups\": 2"), W("c", "kernel", 3, 3, 2, 6), W("c", "bias", 6))),
        ["Conv2D channels_first"] = () => Seq(new long[] { 1, 3, 5, 4 }, L("Conv2D", "c", Conv(2, "[3,3]", "[1,1]", "same", ", \"data_format\": \"channels_first\""), W("c", "kernel", 3, 3, 3, 2), W("c", "bias", 2))),
        ["Conv1D causal dilated"] = () => Seq(new long[] { 2, 8, 3 }, L("Conv1D", "c", Conv(4, "[3]", "[1]", "causal", ", \"dilation_rate\": [2]"), W("c", "kernel", 3, 3, 4), W("c", "bias", 4))),
        ["Conv1D same stride 2"] = () => Seq(new long[] { 2, 9, 3 }, L("Conv1D", "c", Conv(4, "[4]", "[2]", "same"), W("c", "kernel", 4, 3, 4), W("c", "bias", 4))),
        ["DepthwiseConv2D multiplier 2 same stride 2"] = () => Seq(new long[] { 1, 7, 7, 3 }, L("DepthwiseConv2D", "dw", "{\"kernel_size\": [3,3], \"strides\": [2,2], \"padding\": \"same\", \"depth_multiplier\": 2, \"use_bias\": true}", W("dw", "depthwise_kernel", 3, 3, 3, 2), W("dw", "bias", 6))),
        ["SeparableConv2D same relu"] = () => Seq(new long[] { 1, 6, 5, 3 }, L("SeparableConv2D", "sc", "{\"filters\": 4, \"kernel_size\": [3,3], \"padding\": \"same\", \"depth_multiplier\": 2, \"activation\": \"relu\"}", W("sc", "depthwise_kernel", 3, 3, 3, 2), W("sc", "pointwise_kernel", 1, 1, 6, 4), W("sc", "bias", 4))),
        ["Conv2DTranspose same stride 2"] = () => Seq(new long[] { 2, 4, 5, 3 }, L("Conv2DTranspose", "ct", Conv(4, "[3,3]", "[2,2]", "same"), W("ct", "kernel", 3, 3, 4, 3), W("ct", "bias", 4))),
        ["Conv2DTranspose valid stride 2"] = () => Seq(new long[] { 1, 3, 4, 2 }, L("Conv2DTranspose", "ct", Conv(3, "[3,3]", "[2,2]", "valid"), W("ct", "kernel", 3, 3, 3, 2), W("ct", "bias", 3))),
        ["Conv2DTranspose valid kernel below stride zero-fills"] = () => Seq(new long[] { 1, 3, 4, 2 }, L("Conv2DTranspose", "ct", Conv(3, "[2,2]", "[3,3]", "valid"), W("ct", "kernel", 2, 2, 3, 2), W("ct", "bias", 3))),
        ["Conv2DTranspose same kernel below stride no bias"] = () => Seq(new long[] { 1, 3, 4, 2 }, L("Conv2DTranspose", "ct", Conv(3, "[2,2]", "[3,3]", "same").Replace("\"use_bias\": true", "\"use_bias\": false"), W("ct", "kernel", 2, 2, 3, 2))),
        ["Conv2DTranspose same output_padding"] = () => Seq(new long[] { 2, 4, 3, 3 }, L("Conv2DTranspose", "ct", Conv(2, "[3,3]", "[2,2]", "same", ", \"output_padding\": [1,0]"), W("ct", "kernel", 3, 3, 2, 3), W("ct", "bias", 2))),
        ["Conv2DTranspose valid output_padding"] = () => Seq(new long[] { 1, 3, 3, 2 }, L("Conv2DTranspose", "ct", Conv(2, "[2,3]", "[3,2]", "valid", ", \"output_padding\": [2,1]"), W("ct", "kernel", 2, 3, 2, 2), W("ct", "bias", 2))),
        ["Conv2DTranspose valid dilated relu"] = () => Seq(new long[] { 1, 4, 5, 2 }, L("Conv2DTranspose", "ct", Conv(3, "[3,3]", "[1,1]", "valid", ", \"dilation_rate\": [2,2], \"activation\": \"relu\"").Replace("\"activation\": \"linear\",", ""), W("ct", "kernel", 3, 3, 3, 2), W("ct", "bias", 3))),
        ["Conv2DTranspose same dilated"] = () => Seq(new long[] { 1, 4, 4, 2 }, L("Conv2DTranspose", "ct", Conv(2, "[3,2]", "[1,1]", "same", ", \"dilation_rate\": [2,3]"), W("ct", "kernel", 3, 2, 2, 2), W("ct", "bias", 2))),
        ["Conv2DTranspose channels_first 4x4 stride 2"] = () => Seq(new long[] { 1, 3, 4, 5 }, L("Conv2DTranspose", "ct", Conv(2, "[4,4]", "[2,2]", "same", ", \"data_format\": \"channels_first\""), W("ct", "kernel", 4, 4, 2, 3), W("ct", "bias", 2))),
        ["Conv1DTranspose same stride 3"] = () => Seq(new long[] { 2, 5, 3 }, L("Conv1DTranspose", "ct", Conv(4, "[5]", "[3]", "same"), W("ct", "kernel", 5, 4, 3), W("ct", "bias", 4))),
        ["Conv1DTranspose valid output_padding"] = () => Seq(new long[] { 2, 4, 3 }, L("Conv1DTranspose", "ct", Conv(2, "[2]", "[3]", "valid", ", \"output_padding\": [2]"), W("ct", "kernel", 2, 2, 3), W("ct", "bias", 2))),
        ["Conv3DTranspose same mixed strides"] = () => Seq(new long[] { 1, 3, 4, 3, 2 }, L("Conv3DTranspose", "ct", Conv(3, "[3,2,3]", "[2,1,2]", "same"), W("ct", "kernel", 3, 2, 3, 3, 2), W("ct", "bias", 3))),
        ["Deconvolution2D same odd output_shape"] = () => Seq(new long[] { 1, 5, 4, 2 }, L("Deconvolution2D", "dc",
            "{\"nb_filter\": 3, \"nb_row\": 3, \"nb_col\": 3, \"output_shape\": [null,9,7,3], \"subsample\": [2,2], \"border_mode\": \"same\", \"dim_ordering\": \"tf\", \"bias\": true, \"activation\": \"linear\"}", G.W("dc", "W", new long[] { 3, 3, 3, 2 }, 23), G.W("dc", "b", new long[] { 3 }, 24))),
        ["Deconvolution2D valid"] = () => Seq(new long[] { 1, 5, 4, 2 }, L("Deconvolution2D", "dc",
            "{\"nb_filter\": 3, \"nb_row\": 3, \"nb_col\": 3, \"output_shape\": [null,11,9,3], \"subsample\": [2,2], \"border_mode\": \"valid\", \"dim_ordering\": \"tf\", \"bias\": true, \"activation\": \"linear\"}", G.W("dc", "W", new long[] { 3, 3, 3, 2 }, 23), G.W("dc", "b", new long[] { 3 }, 24))),
        ["GroupNormalization NHWC 2 groups"] = () => Seq(new long[] { 2, 3, 4, 6 }, L("GroupNormalization", "gn", "{\"groups\": 2, \"axis\": -1, \"epsilon\": 0.001}", W("gn", "gamma", 6), W("gn", "beta", 6))),
        ["GroupNormalization one channel per group"] = () => Seq(new long[] { 2, 5, 4 }, L("GroupNormalization", "gn", "{\"groups\": 4, \"epsilon\": 0.00001}", W("gn", "gamma", 4), W("gn", "beta", 4))),
        ["GroupNormalization single group no center"] = () => Seq(new long[] { 2, 3, 4 }, L("GroupNormalization", "gn", "{\"groups\": 1, \"center\": false}", W("gn", "gamma", 4))),
        ["GroupNormalization axis 1 no scale"] = () => Seq(new long[] { 2, 6, 5 }, L("GroupNormalization", "gn", "{\"groups\": 3, \"axis\": 1, \"scale\": false}", W("gn", "beta", 6))),
        ["GroupNormalization middle axis plain"] = () => Seq(new long[] { 2, 3, 4, 5 }, L("GroupNormalization", "gn", "{\"groups\": 2, \"axis\": 2, \"center\": false, \"scale\": false}")),
        ["Conv3D same stride 2"] = () => Seq(new long[] { 1, 5, 6, 4, 2 }, L("Conv3D", "c", Conv(3, "[3,3,2]", "[2,2,1]", "same"), W("c", "kernel", 3, 3, 2, 2, 3), W("c", "bias", 3))),
        ["MaxPooling3D same"] = () => Seq(new long[] { 1, 5, 4, 3, 2 }, L("MaxPooling3D", "p", "{\"pool_size\": [2,2,2], \"strides\": [2,2,2], \"padding\": \"same\"}")),
        ["AveragePooling3D valid"] = () => Seq(new long[] { 1, 4, 4, 4, 2 }, L("AveragePooling3D", "p", "{\"pool_size\": [2,2,2], \"padding\": \"valid\"}")),
        ["GlobalAveragePooling3D"] = () => Seq(new long[] { 2, 3, 3, 2, 4 }, L("GlobalAveragePooling3D", "g", "{}")),
        ["Normalization from config"] = () => Seq(new long[] { 2, 3 }, L("Normalization", "n", "{\"axis\": -1, \"mean\": [0.5, -1.0, 2.0], \"variance\": [4.0, 0.25, 1.0]}")),
        ["Normalization inverted from weights"] = () => Seq(new long[] { 2, 3 }, L("Normalization", "n", "{\"axis\": -1, \"invert\": true}", W("n", "mean", 3), Positive("n", "variance", 3), WeightTensor.FromFloat32("n/count:0", Array.Empty<long>(), new[] { 10f }))),
        ["MaxPooling2D same stride 2 odd"] = () => Seq(new long[] { 2, 7, 5, 3 }, L("MaxPooling2D", "p", "{\"pool_size\": [3,3], \"strides\": [2,2], \"padding\": \"same\"}")),
        ["AveragePooling2D same excludes padding"] = () => Seq(new long[] { 1, 7, 7, 2 }, L("AveragePooling2D", "p", "{\"pool_size\": [3,3], \"strides\": [2,2], \"padding\": \"same\"}")),
        ["AveragePooling1D valid"] = () => Seq(new long[] { 2, 9, 3 }, L("AveragePooling1D", "p", "{\"pool_size\": 2, \"strides\": 2, \"padding\": \"valid\"}")),
        ["GlobalAveragePooling2D"] = () => Seq(new long[] { 2, 4, 5, 3 }, L("GlobalAveragePooling2D", "g", "{}")),
        ["GlobalMaxPooling1D keepdims"] = () => Seq(new long[] { 2, 6, 3 }, L("GlobalMaxPooling1D", "g", "{\"keepdims\": true}")),
        ["BatchNormalization on NHWC"] = () => Seq(new long[] { 2, 3, 4, 5 }, L("BatchNormalization", "bn", "{\"axis\": -1, \"epsilon\": 0.001}", W("bn", "gamma", 5), W("bn", "beta", 5), W("bn", "moving_mean", 5), Positive("bn", "moving_variance", 5))),
        ["BatchNormalization on axis 1"] = () => Seq(new long[] { 2, 3, 4 }, L("BatchNormalization", "bn", "{\"axis\": 1, \"epsilon\": 0.001, \"center\": false}", W("bn", "gamma", 3), W("bn", "moving_mean", 3), Positive("bn", "moving_variance", 3))),
        ["LayerNormalization last axis"] = () => Seq(new long[] { 2, 3, 6 }, L("LayerNormalization", "ln", "{\"axis\": -1, \"epsilon\": 0.001}", W("ln", "gamma", 6), W("ln", "beta", 6))),
        ["LayerNormalization over two axes"] = () => Seq(new long[] { 2, 3, 4 }, L("LayerNormalization", "ln", "{\"axis\": [1, 2], \"epsilon\": 0.001}", W("ln", "gamma", 3, 4), W("ln", "beta", 3, 4))),
        ["Flatten after conv keeps Keras H,W,C order"] = () => Seq(new long[] { 2, 3, 4, 2 }, L("Conv2D", "c", Conv(3, "[2,2]", "[1,1]", "valid"), W("c", "kernel", 2, 2, 2, 3), W("c", "bias", 3)), L("Flatten", "f", "{}"), L("Dense", "d", "{\"units\": 2}", W("d", "kernel", 18, 2), W("d", "bias", 2))),
        ["Reshape and Permute"] = () => Seq(new long[] { 2, 12 }, L("Reshape", "r", "{\"target_shape\": [3, -1]}"), L("Permute", "p", "{\"dims\": [2, 1]}")),
        ["ZeroPadding2D uneven"] = () => Seq(new long[] { 1, 3, 4, 2 }, L("ZeroPadding2D", "z", "{\"padding\": [[1, 2], [0, 3]]}")),
        ["Cropping2D uneven"] = () => Seq(new long[] { 1, 6, 7, 2 }, L("Cropping2D", "cr", "{\"cropping\": [[1, 0], [2, 1]]}")),
        ["UpSampling2D nearest"] = () => Seq(new long[] { 1, 2, 3, 2 }, L("UpSampling2D", "u", "{\"size\": [2, 3], \"interpolation\": \"nearest\"}")),
        ["UpSampling2D bilinear"] = () => Seq(new long[] { 1, 3, 4, 2 }, L("UpSampling2D", "u", "{\"size\": [2, 2], \"interpolation\": \"bilinear\"}")),
        ["UpSampling1D"] = () => Seq(new long[] { 2, 3, 2 }, L("UpSampling1D", "u", "{\"size\": 3}")),
        ["ZeroPadding3D uneven"] = () => Seq(new long[] { 1, 2, 3, 4, 2 }, L("ZeroPadding3D", "z", "{\"padding\": [[1, 0], [0, 2], [1, 1]]}")),
        ["Cropping3D uneven"] = () => Seq(new long[] { 1, 4, 5, 6, 2 }, L("Cropping3D", "cr", "{\"cropping\": [[1, 0], [2, 1], [0, 3]]}")),
        ["UpSampling3D"] = () => Seq(new long[] { 1, 2, 3, 2, 2 }, L("UpSampling3D", "u", "{\"size\": [2, 1, 3]}")),
        ["Conv3D then ZeroPadding3D"] = () => Seq(new long[] { 1, 3, 4, 3, 2 }, L("Conv3D", "c", Conv(3, "[2,2,2]", "[1,1,1]", "valid"), W("c", "kernel", 2, 2, 2, 2, 3), W("c", "bias", 3)), L("ZeroPadding3D", "z", "{\"padding\": 1}")),
        ["RepeatVector and Rescaling"] = () => Seq(new long[] { 2, 3 }, L("RepeatVector", "rv", "{\"n\": 4}"), L("Rescaling", "rs", "{\"scale\": 0.5, \"offset\": -1.0}")),
        ["LeakyReLU"] = () => Seq(new long[] { 2, 6 }, L("LeakyReLU", "a", "{\"alpha\": 0.1}")),
        ["PReLU shared axes"] = () => Seq(new long[] { 2, 3, 4, 2 }, L("PReLU", "a", "{\"shared_axes\": [1, 2]}", W("a", "alpha", 1, 1, 2))),
        ["ELU"] = () => Seq(new long[] { 2, 6 }, L("ELU", "a", "{\"alpha\": 0.7}")),
        ["ReLU max_value slope threshold"] = () => Seq(new long[] { 3, 8 }, L("ReLU", "a", "{\"max_value\": 0.6, \"negative_slope\": 0.1, \"threshold\": -0.2}")),
        ["ReLU6 via max_value"] = () => Seq(new long[] { 3, 8 }, L("ReLU", "a", "{\"max_value\": 0.5}")),
        ["ThresholdedReLU"] = () => Seq(new long[] { 3, 8 }, L("ThresholdedReLU", "a", "{\"theta\": 0.3}")),
        ["Softmax axis 1"] = () => Seq(new long[] { 2, 3, 4 }, L("Softmax", "a", "{\"axis\": 1}")),
        ["Dropout is dropped"] = () => Seq(new long[] { 2, 4 }, L("Dropout", "dr", "{\"rate\": 0.5}"), L("Dense", "d", "{\"units\": 2}", W("d", "kernel", 4, 2), W("d", "bias", 2))),
        ["LSTM last output hard_sigmoid gates"] = () => Seq(new long[] { 2, 5, 3 }, L("LSTM", "l", Rnn(4, ", \"recurrent_activation\": \"hard_sigmoid\""), W("l", "kernel", 3, 16), W("l", "recurrent_kernel", 4, 16), W("l", "bias", 16))),
        ["LSTM sequences go_backwards sigmoid"] = () => Seq(new long[] { 2, 5, 3 }, L("LSTM", "l", Rnn(4, ", \"recurrent_activation\": \"sigmoid\", \"return_sequences\": true, \"go_backwards\": true"), W("l", "kernel", 3, 16), W("l", "recurrent_kernel", 4, 16), W("l", "bias", 16))),
        ["GRU reset_after"] = () => Seq(new long[] { 2, 5, 3 }, L("GRU", "gr", Rnn(4, ", \"recurrent_activation\": \"sigmoid\", \"reset_after\": true, \"return_sequences\": true"), W("gr", "kernel", 3, 12), W("gr", "recurrent_kernel", 4, 12), W("gr", "bias", 2, 12))),
        ["GRU reset_before hard_sigmoid"] = () => Seq(new long[] { 2, 5, 3 }, L("GRU", "gr", Rnn(4, ", \"recurrent_activation\": \"hard_sigmoid\", \"reset_after\": false"), W("gr", "kernel", 3, 12), W("gr", "recurrent_kernel", 4, 12), W("gr", "bias", 12))),
        ["SimpleRNN relu sequences"] = () => Seq(new long[] { 2, 5, 3 }, L("SimpleRNN", "s", "{\"units\": 4, \"activation\": \"relu\", \"return_sequences\": true}", W("s", "kernel", 3, 4), W("s", "recurrent_kernel", 4, 4), W("s", "bias", 4))),
        ["Bidirectional LSTM concat sequences"] = () => Seq(new long[] { 2, 5, 3 }, L("Bidirectional", "bi",
            "{\"merge_mode\": \"concat\", \"layer\": {\"class_name\": \"LSTM\", \"config\": {\"name\": \"lstm\", \"units\": 4, \"recurrent_activation\": \"sigmoid\", \"return_sequences\": true}}}",
            W("bi/forward_lstm", "kernel", 3, 16), W("bi/forward_lstm", "recurrent_kernel", 4, 16), W("bi/forward_lstm", "bias", 16),
            W("bi/backward_lstm", "kernel", 3, 16), W("bi/backward_lstm", "recurrent_kernel", 4, 16), W("bi/backward_lstm", "bias", 16))),
        ["Bidirectional GRU sum last"] = () => Seq(new long[] { 2, 5, 3 }, L("Bidirectional", "bi",
            "{\"merge_mode\": \"sum\", \"layer\": {\"class_name\": \"GRU\", \"config\": {\"name\": \"gru\", \"units\": 4, \"recurrent_activation\": \"sigmoid\", \"reset_after\": true}}}",
            W("bi/forward_gru", "kernel", 3, 12), W("bi/forward_gru", "recurrent_kernel", 4, 12), W("bi/forward_gru", "bias", 2, 12),
            W("bi/backward_gru", "kernel", 3, 12), W("bi/backward_gru", "recurrent_kernel", 4, 12), W("bi/backward_gru", "bias", 2, 12))),
        ["TimeDistributed Dense"] = () => Seq(new long[] { 2, 4, 3 }, L("TimeDistributed", "td",
            "{\"layer\": {\"class_name\": \"Dense\", \"config\": {\"name\": \"dense\", \"units\": 5, \"activation\": \"tanh\"}}}", W("td", "kernel", 3, 5), W("td", "bias", 5))),
        ["TimeDistributed Conv2D"] = () => Seq(new long[] { 2, 3, 5, 5, 2 }, L("TimeDistributed", "td",
            "{\"layer\": {\"class_name\": \"Conv2D\", \"config\": {\"name\": \"conv\", \"filters\": 3, \"kernel_size\": [3,3], \"padding\": \"same\", \"strides\": [2,2]}}}", W("td", "kernel", 3, 3, 2, 3), W("td", "bias", 3))),
    };

    public static IEnumerable<object[]> Names => All.Keys.Select(k => new object[] { k });

    /// <summary>Activations worth checking one by one, each as <c>Activation(name)</c> after a Dense.</summary>
    public static IEnumerable<object[]> Activations => new[]
    {
        "relu", "relu6", "sigmoid", "hard_sigmoid", "hard_silu", "tanh", "softmax", "log_softmax", "softplus", "softsign",
        "elu", "selu", "exponential", "swish", "gelu", "mish", "leaky_relu", "linear",
    }.Select(a => new object[] { a });

    public static (ModelGraph, long[]) Activation(string name)
        => Seq(new long[] { 3, 5 }, L("Dense", "d", "{\"units\": 6}", W("d", "kernel", 5, 6), W("d", "bias", 6)), L("Activation", "act", $"{{\"activation\": \"{name}\"}}"));

    /// <summary>A two-input functional graph joined by <paramref name="cls"/>.</summary>
    public static ModelGraph Merge(string cls)
    {
        var a = G.Input("a", null, 3, 4);
        var b = G.Input("b", null, 3, 4);
        var m = L(cls, "m", cls == "Concatenate" ? "{\"axis\": 1}" : "{}").Calls(new TensorRef("a"), new TensorRef("b"));
        var g = new ModelGraph { ClassName = "Functional", Name = "merge" };
        g.Layers.AddRange(new[] { a, b, m });
        g.Inputs.AddRange(new[] { new TensorRef("a"), new TensorRef("b") });
        g.Outputs.Add(new TensorRef("m"));
        return g;
    }

    /// <summary>Dot(a, b) over two model inputs of shapes <paramref name="a"/> and <paramref name="b"/> (batch first).</summary>
    public static ModelGraph Dot(string config, long[] a, long[] b)
    {
        var ia = G.Input("a", new long?[] { null }.Concat(a.Skip(1).Select(d => (long?)d)).ToArray());
        var ib = G.Input("b", new long?[] { null }.Concat(b.Skip(1).Select(d => (long?)d)).ToArray());
        var dot = L("Dot", "dot", config).Calls(new TensorRef("a"), new TensorRef("b"));
        var g = new ModelGraph { ClassName = "Functional", Name = "dot" };
        g.Layers.AddRange(new[] { ia, ib, dot });
        g.Inputs.AddRange(new[] { new TensorRef("a"), new TensorRef("b") });
        g.Outputs.Add(new TensorRef("dot"));
        return g;
    }

    /// <summary>Attention(query, value) over two model inputs with a learned scale.</summary>
    public static ModelGraph Attention(string score)
    {
        var q = G.Input("query", null, 3, 4);
        var v = G.Input("value", null, 5, 4);
        var w = new List<WeightTensor> { WeightTensor.FromFloat32("att/scale:0", Array.Empty<long>(), new[] { 0.7f }) };
        if (score == "concat") w.Add(WeightTensor.FromFloat32("att/concat_score_weight:0", Array.Empty<long>(), new[] { 1.3f }));
        var att = L("Attention", "att", $"{{\"use_scale\": true, \"score_mode\": \"{score}\"}}", w.ToArray()).Calls(new TensorRef("query"), new TensorRef("value"));
        var g = new ModelGraph { ClassName = "Functional", Name = "attention" };
        g.Layers.AddRange(new[] { q, v, att });
        g.Inputs.AddRange(new[] { new TensorRef("query"), new TensorRef("value") });
        g.Outputs.Add(new TensorRef("att"));
        return g;
    }

    public static float[] Random(long[] shape, int seed) => G.Rand((int)shape.Aggregate(1L, (x, y) => x * y), seed);
}
