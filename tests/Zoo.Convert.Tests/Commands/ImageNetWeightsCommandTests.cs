using Zoo.Convert.Tests.Support;

namespace Zoo.Convert.Tests.Commands;

/// <summary>
/// <c>--weights imagenet</c> on the command line: Keras's cache under $KERAS_HOME, and with ZOO_OFFLINE=1 a missing file is
/// one error line naming the address and the cache path (exit 3). The environment is the process's: these tests (one at a
/// time, being one class) set it and put it back, and no other test reads these two variables.
/// </summary>
public sealed class ImageNetWeightsCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("zoo-imagenet-cli-").FullName;
    private readonly string? kerasHome = Environment.GetEnvironmentVariable("KERAS_HOME");
    private readonly string? offline = Environment.GetEnvironmentVariable("ZOO_OFFLINE");

    public ImageNetWeightsCommandTests()
    {
        Environment.SetEnvironmentVariable("KERAS_HOME", dir);
        Environment.SetEnvironmentVariable("ZOO_OFFLINE", "1");
    }

    private string Cached(string file) => Path.Combine(dir, "models", file);

    [Fact]
    public void Zoo_create_with_imagenet_weights_offline_names_the_address_and_the_cache_path_with_exit_3()
    {
        var r = CliRunner.Run("zoo", "create", "resnet50", "--no-top", "--weights", "imagenet", "--output", Path.Combine(dir, "r.h5"));
        Assert.Equal(3, r.Code);
        Assert.Single(r.ErrLines);
        Assert.Contains("https://storage.googleapis.com/tensorflow/keras-applications/resnet/resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5", r.Err);
        Assert.Contains($"put it at {Cached("resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5")}", r.Err);
        Assert.False(File.Exists(Path.Combine(dir, "r.h5")));
    }

    [Fact]
    public void A_cached_file_that_is_not_the_published_one_is_refused_with_both_hashes()
    {
        Directory.CreateDirectory(Path.Combine(dir, "models"));
        File.WriteAllText(Cached("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"), "not the weights");
        var r = CliRunner.Run("zoo", "create", "vgg16", "--no-top", "--weights", "imagenet", "--output", Path.Combine(dir, "v.h5"));
        Assert.Equal(3, r.Code);
        Assert.Contains("(md5 6d6bbae143d832006294945121d1f1fc)", r.Err);
        Assert.Contains($"a file with md5 {System.Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData("not the weights"u8))}", r.Err);
    }

    [Fact]
    public void Finetune_from_a_zoo_model_with_imagenet_weights_asks_for_the_notop_file()
    {
        var (x, y) = FinetuneFiles.Arrays(dir, 4, 2, 1);
        var r = CliRunner.Run("finetune", "--model", "vgg16", "--weights", "imagenet", "--x", x, "--y", y, "--classes", "2", "--image-size", "32,32",
            "--output", Path.Combine(dir, "tuned.h5"));
        Assert.Equal(3, r.Code);
        Assert.Contains("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5", r.Err);
        Assert.Contains(Cached("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"), r.Err);
    }

    [Fact]
    public void Finetune_refuses_imagenet_weights_for_a_model_file()
    {
        var model = Path.Combine(dir, "m.h5");
        Assert.Equal(0, CliRunner.Run("zoo", "create", "lenet5", "--output", model).Code);
        var (x, y) = FinetuneFiles.Arrays(dir, 4, 2, 1);
        var r = CliRunner.Run("finetune", "--model", model, "--weights", "imagenet", "--x", x, "--y", y, "--classes", "2", "--output", Path.Combine(dir, "t.h5"));
        Assert.Equal(2, r.Code);
        Assert.Contains("ImageNet weights go with a zoo model name", r.Err);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("KERAS_HOME", kerasHome);
        Environment.SetEnvironmentVariable("ZOO_OFFLINE", offline);
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }
}
