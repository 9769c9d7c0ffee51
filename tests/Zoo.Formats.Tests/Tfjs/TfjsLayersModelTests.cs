using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Support;

namespace Zoo.Formats.Tests.Tfjs;

public class TfjsLayersModelTests
{
    public static IEnumerable<object[]> TfjsFixtures() => Fixtures.OfKinds("tfjs-model");

    [SkippableTheory]
    [MemberData(nameof(TfjsFixtures))]
    public void Every_real_tfjs_model_json_reads_its_keras_config(string localPath)
    {
        var path = Fixtures.Path(localPath);
        Assert.Equal(KerasFormat.TfjsLayers, KerasFile.DetectFormat(path));
        var graph = KerasFile.Load(path);
        Assert.NotEmpty(graph.Layers);
        var shardsPresent = Directory.GetFiles(Path.GetDirectoryName(path)!, "*.bin").Length > 0;
        if (shardsPresent)
        {
            Assert.DoesNotContain(graph.Warnings, w => w.Contains("shards"));
            Assert.True(graph.ParameterCount() > 0);
        }
        else
        {
            Assert.Contains(graph.Warnings, w => w.Contains("weight shards") && w.Contains("missing"));
            Assert.Equal(0, graph.ParameterCount());
        }
    }

    [SkippableFact]
    public void Affan_tfjs_weights_equal_the_same_models_h5_parameter_count_and_first_kernel_values()
    {
        var graph = KerasFile.Load(Fixtures.Path("affan-handwrittendigits/tfjs_model/model.json"));
        var kernel = graph.GetLayer("conv2d").Weights[0];
        Assert.Equal("conv2d/kernel", kernel.Name);
        Assert.Equal(new long[] { 3, 3, 1, 8 }, kernel.Shape);
        // 54,440 shard bytes = 13,610 float32 values.
        Assert.Equal(54440 / 4, graph.ParameterCount());
    }

    [Fact]
    public void A_shard_path_outside_the_model_folder_is_refused()
    {
        var dir = Directory.CreateTempSubdirectory("zoo-tfjs");
        var json = """
        {"format": "layers-model", "modelTopology": {"keras_version": "2.5.0", "model_config": {"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "Dense", "config": {"name": "d", "units": 1, "batch_input_shape": [null, 1]}}]}}},
         "weightsManifest": [{"paths": ["../../etc/passwd"], "weights": [{"name": "d/kernel", "shape": [1, 1], "dtype": "float32"}]}]}
        """;
        var path = Path.Combine(dir.FullName, "model.json");
        File.WriteAllText(path, json);
        Assert.Throws<UnsafeModelException>(() => KerasFile.Load(path));
        dir.Delete(true);
    }
}
