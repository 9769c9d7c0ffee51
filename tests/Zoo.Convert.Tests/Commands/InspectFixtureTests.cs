using System.Text.Json;
using Zoo.Convert.Tests.Support;
using Zoo.Formats.Tests.Support;

namespace Zoo.Convert.Tests.Commands;

/// <summary><c>inspect</c> on every real full model and archive: totals agree with h5py's count of the stored datasets.</summary>
public class InspectFixtureTests
{
    /// <summary>Every real file that holds weights (keras-net/model.h5 was never built: no datasets at all).</summary>
    public static IEnumerable<object[]> ModelsWithWeights()
        => Fixtures.OfKinds("h5-full", "h5-weights", "keras3-archive", "keras3-weights").Where(r => (string)r[0] != "keras-net/model.h5");

    /// <summary>Architecture files with the weights file saved beside them (same layer names).</summary>
    public static IEnumerable<object[]> ArchitectureWithWeights() =>
    [
        ["hls4ml-example-models/KERAS_3layer.json", "hls4ml-example-models/KERAS_3layer_weights.h5"],
        ["hls4ml-example-models/KERAS_3layer_batch_norm.json", "hls4ml-example-models/KERAS_3layer_batch_norm_weights.h5"],
        ["hls4ml-example-models/KERAS_conv2d_model.json", "hls4ml-example-models/KERAS_conv2d_model_weights.h5"],
        ["kotlindl/toyresnet_modelConfig.json", "kotlindl/toyresnet_weights.h5"],
        ["dl4j-test-resources/simple_lstm_tf_keras_2_config.json", "dl4j-test-resources/simple_lstm_tf_keras_2_weights.h5"],
        ["hackbinghamton-cnn-demo/model.yaml", "hackbinghamton-cnn-demo/model_weights.h5"],
    ];

    internal static JsonElement InspectJson(params string[] args)
    {
        var r = CliRunner.Run(["inspect", .. args, "--json"]);
        Assert.True(r.Code == 0, $"exit {r.Code}: {r.Err}");
        return JsonDocument.Parse(r.Out).RootElement;
    }

    [SkippableTheory]
    [MemberData(nameof(ModelsWithWeights))]
    public void Inspect_json_totals_equal_the_stored_weights_counted_by_h5py(string localPath)
    {
        var path = Fixtures.Path(localPath);
        CliRunner.RequireLoad(path);
        var (total, nonTrainable) = H5pyCounts.Of(path);
        var totals = InspectJson(path).GetProperty("totals");
        Assert.Equal("weights", totals.GetProperty("source").GetString());
        Assert.Equal(total, totals.GetProperty("total").GetInt64());
        Assert.Equal(nonTrainable, totals.GetProperty("non_trainable").GetInt64());
        Assert.Equal(total - nonTrainable, totals.GetProperty("trainable").GetInt64());
    }

    [SkippableTheory]
    [MemberData(nameof(ModelsWithWeights))]
    public void Inspect_text_prints_a_keras_style_table_and_the_same_totals(string localPath)
    {
        var path = Fixtures.Path(localPath);
        CliRunner.RequireLoad(path);
        var (total, _) = H5pyCounts.Of(path);
        var r = CliRunner.Run("inspect", path);
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains("Layer (type)", r.Out);
        Assert.Contains($"Total params: {total:N0}", r.Out);
        Assert.Contains("Optimizer state: ", r.Out);
    }

    [SkippableTheory]
    [MemberData(nameof(ArchitectureWithWeights))]
    public void An_architecture_file_with_weights_counts_what_the_weights_file_stores(string arch, string weights)
    {
        var archPath = Fixtures.Path(arch);
        CliRunner.RequireLoad(archPath, Fixtures.Path(weights));
        var (total, nonTrainable) = H5pyCounts.Of(Fixtures.Path(weights));
        var o = InspectJson(archPath, "--weights", Fixtures.Path(weights));
        Assert.Equal(total, o.GetProperty("totals").GetProperty("total").GetInt64());
        Assert.Equal(nonTrainable, o.GetProperty("totals").GetProperty("non_trainable").GetInt64());
    }

    [SkippableTheory]
    [MemberData(nameof(ArchitectureWithWeights))]
    public void An_architecture_file_alone_derives_the_same_totals_from_its_layer_configs(string arch, string weights)
    {
        var archPath = Fixtures.Path(arch);
        CliRunner.RequireLoad(archPath);
        var (total, nonTrainable) = H5pyCounts.Of(Fixtures.Path(weights));
        var totals = InspectJson(archPath).GetProperty("totals");
        Assert.Equal("config", totals.GetProperty("source").GetString());
        Assert.True(totals.GetProperty("complete").GetBoolean());
        Assert.Equal(total, totals.GetProperty("total").GetInt64());
        Assert.Equal(nonTrainable, totals.GetProperty("non_trainable").GetInt64());
    }

    [SkippableTheory]
    [MemberData(nameof(ArchitectureWithWeights))]
    public void Inspect_text_of_an_architecture_file_aligns_its_columns_and_prints_the_total(string arch, string weights)
    {
        var archPath = Fixtures.Path(arch);
        CliRunner.RequireLoad(archPath);
        var (total, _) = H5pyCounts.Of(Fixtures.Path(weights));
        var r = CliRunner.Run("inspect", archPath);
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains($"Total params: {total:N0}", r.Out);
        var lines = r.Out.Split('\n');
        int header = Array.FindIndex(lines, l => l.StartsWith("Layer (type)", StringComparison.Ordinal));
        int shapeColumn = lines[header].IndexOf("Output Shape", StringComparison.Ordinal);
        var rows = lines.Skip(header + 2).TakeWhile(l => !l.StartsWith('=')).Where(l => !l.StartsWith(' ')).ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.True(row[shapeColumn] == '(' || row[shapeColumn] == '[', $"misaligned: '{row}'"));
    }

    [SkippableFact]
    public void Inspect_json_is_one_object_with_the_documented_fields()
    {
        var path = Fixtures.Path("affan-handwrittendigits/model.h5");
        CliRunner.RequireLoad(path);
        var o = InspectJson(path);
        Assert.Equal("h5", o.GetProperty("format").GetString());
        Assert.Equal("2.5.0", o.GetProperty("keras_version").GetString());
        Assert.Equal("tensorflow", o.GetProperty("backend").GetString());
        Assert.Equal("keras2", o.GetProperty("dialect").GetString());
        Assert.Equal("Sequential", o.GetProperty("model").GetProperty("class_name").GetString());
        Assert.True(o.GetProperty("training_config").GetBoolean());
        Assert.True(o.GetProperty("optimizer").GetProperty("weights").GetInt32() > 0);
        var layers = o.GetProperty("layers").EnumerateArray().ToList();
        Assert.Contains(layers, l => l.GetProperty("class_name").GetString() == "Conv2D");
        foreach (var l in layers)
        {
            Assert.NotEqual("?", l.GetProperty("output_shape").GetString());
            Assert.Equal(JsonValueKind.Number, l.GetProperty("params").ValueKind);
        }
        Assert.Equal(layers.Sum(l => l.GetProperty("params").GetInt64()), o.GetProperty("totals").GetProperty("total").GetInt64());
    }

    [SkippableFact]
    public void An_unbuilt_model_without_weights_gets_its_totals_from_the_configs()
    {
        var path = Fixtures.Path("keras-net/model.h5");
        CliRunner.RequireLoad(path);
        var o = InspectJson(path);
        Assert.Equal("config", o.GetProperty("totals").GetProperty("source").GetString());
        Assert.Equal(0, H5pyCounts.Of(path).Total);
    }
}
