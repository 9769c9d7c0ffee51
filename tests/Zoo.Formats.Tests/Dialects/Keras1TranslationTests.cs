using System.Text.Json.Nodes;
using Zoo.Formats.Config;
using Zoo.Formats.Dialects;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Dialects.Support;
using Zoo.Formats.Tests.Support;

namespace Zoo.Formats.Tests.Dialects;

public class Keras1TranslationTests
{
    public static IEnumerable<object[]> Keras1Fixtures()
    {
        var rows = Fixtures.Manifest().Where(r => ConfigFixtures.Kinds.Contains(r.Kind) && r.KerasVersion.StartsWith('1'))
            .Select(r => new object[] { r.LocalPath }).ToList();
        if (rows.Count == 0) rows.Add(["(fixtures absent)"]);
        return rows;
    }

    private static (ModelGraph Source, ModelGraph Translated, List<DialectNote> Notes) Translate(string localPath)
    {
        var (config, version) = ConfigFixtures.Load(localPath);
        var source = ModelConfigCodec.Parse(config, localPath, version);
        Assert.Equal(KerasDialectKind.Keras1, source.Metadata.Dialect);
        var notes = new List<DialectNote>();
        return (source, DialectTranslator.Translate(source, KerasDialectKind.Keras2, notes), notes);
    }

    /// <summary>Every object key and class name in a config, depth first.</summary>
    private static IEnumerable<(string ClassName, string Key)> KeysAndClasses(JsonNode? node, string owner = "")
    {
        if (node is JsonObject o)
        {
            var cls = o["class_name"] is JsonValue v && v.TryGetValue(out string? c) ? c : owner;
            if (cls != owner) yield return (cls, "");
            foreach (var (k, child) in o)
            {
                if (o["class_name"] is null || k != "class_name") yield return (owner, k);
                foreach (var inner in KeysAndClasses(child, k == "config" ? cls : owner)) yield return inner;
            }
        }
        else if (node is JsonArray a)
            foreach (var child in a) foreach (var inner in KeysAndClasses(child, owner)) yield return inner;
    }

    private static List<(string ClassName, string Key)> Keras1Names(JsonNode json) => KeysAndClasses(json)
        .Where(x => Keras1LayerNames.Keras1OnlyClasses.Contains(x.ClassName) || Keras1LayerNames.Keras1OnlyKeys.Contains(x.Key)
                    || x.Key is "output_dim" or "input_dim" && x.ClassName != "Embedding" || x.Key is "p" or "bias" or "mode")
        .Distinct().ToList();

    [SkippableTheory]
    [MemberData(nameof(Keras1Fixtures))]
    public void Keras1_fixture_configs_translate_to_configs_that_use_only_Keras2_names(string localPath)
    {
        var (source, translated, _) = Translate(localPath);
        var json = ModelConfigCodec.Write(translated);
        // The same check finds Keras 1 names in the source, so it can fail.
        Assert.NotEmpty(Keras1Names(ModelConfigCodec.Write(source)));
        var offending = Keras1Names(json);
        Assert.True(offending.Count == 0, $"Keras 1 names left: {string.Join(", ", offending)}");
        Assert.Equal(KerasDialectKind.Keras2, KerasDialect.Detect(json, "2.0.0"));
        Assert.Equal(KerasDialectKind.Keras2, translated.Metadata.Dialect);
        Assert.Equal(source.Layers.Count, translated.Layers.Count);
        Assert.Equal(source.Layers.Select(l => l.Name), translated.Layers.Select(l => l.Name));
    }

    [SkippableFact]
    public void Keras1_mnist_convolution_gets_Keras2_filters_kernel_size_padding_and_data_format()
    {
        var (source, translated, _) = Translate("keras-js/mnist_cnn_keras1.json");
        var conv = translated.GetLayer("convolution2d_1");
        Assert.Equal("Conv2D", conv.ClassName);
        Assert.Equal(32, conv.Config["filters"]!.GetValue<int>());
        Assert.Equal("[3,3]", conv.Config["kernel_size"]!.ToJsonString());
        Assert.Equal("valid", conv.Config["padding"]!.GetValue<string>());
        Assert.Equal("channels_last", conv.Config["data_format"]!.GetValue<string>());
        Assert.Equal("glorot_uniform", conv.Config["kernel_initializer"]!.GetValue<string>());
        Assert.True(conv.Config["use_bias"]!.GetValue<bool>());
        Assert.Equal("float32", conv.Config["dtype"]!.GetValue<string>());
        Assert.Equal(0.25, translated.GetLayer("dropout_1").Config["rate"]!.GetValue<double>());
        // The source graph is untouched: translation works on a copy.
        Assert.Equal("Convolution2D", source.GetLayer("convolution2d_1").ClassName);
        Assert.True(source.GetLayer("convolution2d_1").Config.ContainsKey("nb_filter"));
    }

    [SkippableFact]
    public void Keras1_resnet50_sum_merges_become_Add_layers_called_on_both_branches()
    {
        var (_, translated, _) = Translate("keras-js/resnet50_keras1.json");
        var merge = translated.GetLayer("merge_1");
        Assert.Equal("Add", merge.ClassName);
        Assert.Equal(["name", "trainable"], merge.Config.Select(kv => kv.Key).Order());
        Assert.Equal(2, merge.InboundNodes[0].Inputs.Count);
        Assert.DoesNotContain(translated.Layers, l => l.ClassName == "Merge");
        Assert.Equal("Model", translated.ClassName);
    }

    [SkippableFact]
    public void Keras1_inception_concat_merges_become_Concatenate_on_the_Keras1_axis()
    {
        var (config, _) = ConfigFixtures.Load("keras-js/inception_v3_keras1.json");
        var (_, translated, _) = Translate("keras-js/inception_v3_keras1.json");
        var merges = config["config"]!["layers"]!.AsArray().Where(l => l!["class_name"]!.GetValue<string>() == "Merge").ToList();
        Assert.NotEmpty(merges);
        foreach (var m in merges)
        {
            var layer = translated.GetLayer(m!["name"]!.GetValue<string>());
            Assert.Equal("Concatenate", layer.ClassName);
            Assert.Equal(m["config"]!["concat_axis"]!.GetValue<int>(), layer.Config["axis"]!.GetValue<int>());
        }
    }

    [SkippableFact]
    public void Keras1_lstm_gets_Keras2_recurrent_names_unit_forget_bias_and_its_input_shape()
    {
        var (_, translated, _) = Translate("dl4j-test-resources/simple_lstm_tf_keras_1_model.h5");
        var lstm = translated.GetLayer("lstm_1").Config;
        Assert.Equal(50, lstm["units"]!.GetValue<int>());
        Assert.Equal("hard_sigmoid", lstm["recurrent_activation"]!.GetValue<string>());
        Assert.Equal("orthogonal", lstm["recurrent_initializer"]!.GetValue<string>());
        Assert.Equal(0.2, lstm["dropout"]!.GetValue<double>());
        Assert.Equal(0.0, lstm["recurrent_dropout"]!.GetValue<double>());
        Assert.Equal(0, lstm["implementation"]!.GetValue<int>());
        Assert.True(lstm["unit_forget_bias"]!.GetValue<bool>());
        Assert.Equal("[null,1,1]", lstm["batch_input_shape"]!.ToJsonString());
        var dense = translated.GetLayer("dense_1").Config;
        Assert.Equal(1, dense["units"]!.GetValue<int>());
        Assert.False(dense.ContainsKey("batch_input_shape"));
    }

    [SkippableFact]
    public void Keras1_batch_normalization_mode_0_loses_its_mode_and_keeps_its_weight_names()
    {
        var (source, translated, _) = Translate("dl4j-test-resources/batch_to_conv2d_tensorflow_1.h5");
        var bn = translated.GetLayer("batchnormalization_1");
        Assert.False(bn.Config.ContainsKey("mode"));
        Assert.Equal(-1, bn.Config["axis"]!.GetValue<int>());
        Assert.Equal("[null,100]", translated.GetLayer("dense_1").Config["batch_input_shape"]!.ToJsonString());
        Assert.True(source.Layers.Zip(translated.Layers).All(p => p.First.Weights.SequenceEqual(p.Second.Weights)));
    }
}
