using Zoo.Convert.Tests.Support;
using Zoo.Formats;

namespace Zoo.Convert.Tests.Commands;

public sealed class ZooCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("zoo-cli-").FullName;

    [Fact]
    public void Zoo_list_prints_every_model_with_its_published_parameter_count()
    {
        var r = CliRunner.Run("zoo", "list");
        Assert.Equal(0, r.Code);
        Assert.Contains("138,357,544", r.Out);
        Assert.Contains("23,851,784", r.Out);
        Assert.Contains("299x299x3", r.Out);
        Assert.Equal(11, r.Out.Split('\n').Count(l => l.Contains(" by ")));
    }

    [Fact]
    public void Zoo_create_writes_a_file_whose_inspect_total_is_the_models_parameter_count()
    {
        var path = Path.Combine(dir, "r.h5");
        var r = CliRunner.Run("zoo", "create", "resnet50", "--out", path, "--input-shape", "64,64,3", "--classes", "10");
        Assert.Equal(0, r.Code);
        var graph = KerasFile.Load(path);
        Assert.Equal(177, graph.Layers.Count);
        Assert.Equal(23_608_202, graph.ParameterCount());
        var inspect = CliRunner.Run("inspect", path);
        Assert.Contains("Total params: 23,608,202", inspect.Out);
    }

    [Fact]
    public void Zoo_create_without_top_and_with_pooling_writes_a_keras_archive()
    {
        var path = Path.Combine(dir, "v.keras");
        var r = CliRunner.Run("zoo", "create", "vgg16", "--out", path, "--no-top", "--input-shape", "32,32,3", "--pooling", "max", "--seed", "3");
        Assert.Equal(0, r.Code);
        var graph = KerasFile.Load(path);
        Assert.Equal("GlobalMaxPooling2D", graph.Layers[^1].ClassName);
        Assert.Equal(14_714_688, graph.ParameterCount());
    }

    [Theory]
    [InlineData(2, "zoo", "create", "vgg16", "--out", "x.h5", "--pooling", "avg")]
    [InlineData(2, "zoo", "create", "vgg16", "--out", "x.h5", "--input-shape", "32,32")]
    [InlineData(2, "zoo", "create", "vgg16", "--out", "x.h5", "--no-top", "--pooling", "mean")]
    [InlineData(2, "zoo", "create", "nonet", "--out", "x.h5")]
    [InlineData(3, "zoo", "create", "inceptionv3", "--out", "x.h5", "--input-shape", "32,32,3")]
    [InlineData(3, "zoo", "create", "vgg16", "--out", "x.h5", "--weights", "does-not-exist.h5")]
    public void Zoo_create_refuses_bad_arguments_with_one_line_and_an_exit_code(int code, params string[] args)
    {
        var r = CliRunner.Run(args.Select(a => a.EndsWith(".h5") ? Path.Combine(dir, a) : a).ToArray());
        Assert.Equal(code, r.Code);
        Assert.Single(r.ErrLines);
        Assert.StartsWith("zoo-convert: error:", r.Err);
    }

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }
}
