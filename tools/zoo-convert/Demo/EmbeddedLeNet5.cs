using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Zoo.Formats.Config;
using Zoo.Formats.Ir;

namespace Zoo.Convert.Demo;

/// <summary>
/// The demo's embedded model: LeNet-5 (6@5×5 tanh, avg-pool, 16@5×5 tanh, avg-pool, 120, 84, 10) as
/// tf.keras 2.15 would write it, with deterministic Glorot-uniform weights, a compiled Adam training
/// config and Adam state — everything a real <c>model.save('m.h5')</c> file carries.
/// </summary>
internal static class EmbeddedLeNet5
{
    private static readonly (string Name, long[] Kernel)[] WeightedLayers =
    [
        ("conv2d", [5, 5, 1, 6]), ("conv2d_1", [5, 5, 6, 16]), ("dense", [400, 120]), ("dense_1", [120, 84]), ("dense_2", [84, 10]),
    ];

    public static ModelGraph Build(int seed)
    {
        var graph = ModelConfigCodec.Parse(KerasJson.Parse(Config), "embedded LeNet-5", "2.15.0");
        graph.Metadata.Backend = "tensorflow";
        graph.TrainingConfig = (JsonObject)KerasJson.Parse(TrainingConfig);
        var rng = new Random(seed);
        graph.OptimizerWeights.Add(new WeightTensor("iteration:0", [], DType.Int64, BitConverter.GetBytes(120L)));
        foreach (var (name, kernel) in WeightedLayers)
        {
            var layer = graph.GetLayer(name);
            long fanIn = kernel[..^1].Aggregate(1L, (a, b) => a * b), fanOut = kernel.Length == 4 ? kernel[0] * kernel[1] * kernel[3] : kernel[^1];
            var limit = (float)Math.Sqrt(6.0 / (fanIn + fanOut));
            layer.Weights.Add(Tensor($"{name}/kernel:0", kernel, rng, limit));
            layer.Weights.Add(Tensor($"{name}/bias:0", [kernel[^1]], rng, 0.05f));
        }
        foreach (var w in graph.AllWeights().ToList())
            foreach (var slot in new[] { "m", "v" })
                graph.OptimizerWeights.Add(Tensor($"Adam/{slot}/{w.Name}", w.Shape, rng, slot == "m" ? 1e-3f : 1e-6f, nonNegative: slot == "v"));
        return graph;
    }

    private static WeightTensor Tensor(string name, long[] shape, Random rng, float limit, bool nonNegative = false)
    {
        var values = new float[WeightTensor.ElementCount(shape)];
        for (int i = 0; i < values.Length; i++)
            values[i] = nonNegative ? (float)rng.NextDouble() * limit : ((float)rng.NextDouble() * 2 - 1) * limit;
        return new WeightTensor(name, shape, DType.Float32, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
    }

    private const string TrainingConfig = """
        {"loss": "categorical_crossentropy", "metrics": [[{"class_name": "MeanMetricWrapper", "config": {"name": "accuracy", "dtype": "float32", "fn": "categorical_accuracy"}}]], "weighted_metrics": null, "loss_weights": null, "optimizer_config": {"class_name": "Custom>Adam", "config": {"name": "Adam", "weight_decay": null, "clipnorm": null, "global_clipnorm": null, "clipvalue": null, "use_ema": false, "ema_momentum": 0.99, "ema_overwrite_frequency": null, "jit_compile": true, "is_legacy_optimizer": false, "learning_rate": 0.0010000000474974513, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": false}}}
        """;

    private static string Conv(string name, int filters, string padding, string inbound) => $$"""
        {"class_name": "Conv2D", "config": {"name": "{{name}}", "trainable": true, "dtype": "float32", "filters": {{filters}}, "kernel_size": [5, 5], "strides": [1, 1], "padding": "{{padding}}", "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1, "activation": "tanh", "use_bias": true, "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null}, "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null}, "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null}, "name": "{{name}}", "inbound_nodes": [[["{{inbound}}", 0, 0, {}]]]}
        """;

    private static string Pool(string name, string inbound) => $$"""
        {"class_name": "AveragePooling2D", "config": {"name": "{{name}}", "trainable": true, "dtype": "float32", "pool_size": [2, 2], "padding": "valid", "strides": [2, 2], "data_format": "channels_last"}, "name": "{{name}}", "inbound_nodes": [[["{{inbound}}", 0, 0, {}]]]}
        """;

    private static string Dense(string name, int units, string activation, string inbound) => $$"""
        {"class_name": "Dense", "config": {"name": "{{name}}", "trainable": true, "dtype": "float32", "units": {{units}}, "activation": "{{activation}}", "use_bias": true, "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null}, "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null}, "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null}, "name": "{{name}}", "inbound_nodes": [[["{{inbound}}", 0, 0, {}]]]}
        """;

    private static readonly string Config = $$$"""
        {"class_name": "Functional", "config": {"name": "lenet5", "trainable": true, "layers": [
          {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 28, 28, 1], "dtype": "float32", "sparse": false, "ragged": false, "name": "input_1"}, "name": "input_1", "inbound_nodes": []},
          {{{Conv("conv2d", 6, "same", "input_1")}}},
          {{{Pool("average_pooling2d", "conv2d")}}},
          {{{Conv("conv2d_1", 16, "valid", "average_pooling2d")}}},
          {{{Pool("average_pooling2d_1", "conv2d_1")}}},
          {"class_name": "Flatten", "config": {"name": "flatten", "trainable": true, "dtype": "float32", "data_format": "channels_last"}, "name": "flatten", "inbound_nodes": [[["average_pooling2d_1", 0, 0, {}]]]},
          {{{Dense("dense", 120, "tanh", "flatten")}}},
          {{{Dense("dense_1", 84, "tanh", "dense")}}},
          {{{Dense("dense_2", 10, "softmax", "dense_1")}}}
        ], "input_layers": [["input_1", 0, 0]], "output_layers": [["dense_2", 0, 0]]}}
        """;
}
