using System.Security.Cryptography;
using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Support;
using Zoo.Models.ModelZoo;
using Zoo.Models.ModelZoo.Applications;
using Zoo.Models.ModelZoo.Builder;
using Zoo.Models.ModelZoo.ImageNet;

namespace Zoo.Models.Tests.ModelZoo;

/// <summary>
/// <c>weights="imagenet"</c>: Keras's cache is searched under Keras's file names, the published md5 is checked, and a
/// missing file is downloaded, checked and renamed into place. Nothing here touches the network: downloads go to
/// fakes, and the hash table is replaced by one for small files.
/// </summary>
public sealed class ImageNetWeightsTests : IDisposable
{
    private readonly TempDir home = new();

    private static readonly byte[] Payload = "pretend these are ImageNet weights"u8.ToArray();

    private static string Md5(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));

    private static ImageNetWeightFile Fake(byte[] bytes, string name = "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5")
        => new("vgg16", false, name, new Uri("https://example.invalid/keras-applications/vgg16/" + name), Md5(bytes));

    private string Models => Path.Combine(home.Path, "models");

    private ImageNetWeightsOptions Options(IWeightsDownloader? downloader = null, bool offline = false, IReadOnlyList<ImageNetWeightFile>? catalog = null)
        => new() { KerasHome = home.Path, Offline = offline, Downloader = downloader ?? new RefusingDownloader(), Catalog = catalog ?? ImageNetWeightFiles.Published };

    /// <summary>Fails the test if a download is attempted.</summary>
    private sealed class RefusingDownloader : IWeightsDownloader
    {
        public Task DownloadAsync(Uri url, Stream destination, CancellationToken cancellationToken) => throw new InvalidOperationException($"no download expected, asked for {url}");
    }

    /// <summary>Serves fixed bytes, or writes part of them and fails as a dropped connection does.</summary>
    private sealed class FakeDownloader(byte[] bytes, bool failHalfway = false) : IWeightsDownloader
    {
        public List<Uri> Asked { get; } = new();

        public async Task DownloadAsync(Uri url, Stream destination, CancellationToken cancellationToken)
        {
            Asked.Add(url);
            await destination.WriteAsync(bytes.AsMemory(0, failHalfway ? bytes.Length / 2 : bytes.Length), cancellationToken);
            if (failHalfway) throw new HttpRequestException("connection reset by peer");
        }
    }

    [Fact]
    public void Every_model_with_published_weights_has_a_top_and_a_notop_file_under_Keras_names_in_one_folder_of_Keras_storage()
    {
        var files = ImageNetWeightFiles.Published;
        Assert.Equal(9, files.Select(f => f.Model).Distinct().Count());
        foreach (var f in files)
        {
            Assert.Equal(f.IncludeTop ? $"{f.Model}_weights_tf_dim_ordering_tf_kernels.h5" : $"{f.Model}_weights_tf_dim_ordering_tf_kernels_notop.h5", f.FileName);
            Assert.Equal("storage.googleapis.com", f.Url.Host);
            Assert.EndsWith("/" + f.FileName, f.Url.AbsolutePath);
            Assert.Matches("^[0-9a-f]{32}$", f.Md5);
            Assert.Same(f, ImageNetWeightFiles.For(f.Model, f.IncludeTop));
        }
        Assert.Equal(files.Count, files.Select(f => f.Md5).Distinct().Count());
        foreach (var name in new[] { "vgg16", "vgg19", "resnet50", "resnet101", "resnet152", "resnet50v2", "resnet101v2", "resnet152v2", "inceptionv3" })
            Assert.Equal(ZooCatalog.Get(name).Build(new ApplicationOptions { Fill = WeightFill.None }).Name, ImageNetWeightFiles.For(name, true).Model);
    }

    [Fact]
    public void A_model_without_published_weights_is_refused_listing_those_with()
    {
        var e = Assert.Throws<UnsupportedFeatureException>(() => ImageNetWeightFiles.For("alexnet", true));
        Assert.Contains("found 'alexnet'", e.Message);
        Assert.Contains("resnet152v2", e.Message);
    }

    [Fact]
    public void The_cache_is_the_models_folder_of_Keras_home()
        => Assert.Equal(Path.Combine("/somewhere", "keras", "models"), KerasWeightsCache.ModelsFolder(Path.Combine("/somewhere", "keras")));

    [Fact]
    public void A_cached_file_with_the_published_hash_is_used_as_it_is()
    {
        var file = Fake(Payload);
        Directory.CreateDirectory(Models);
        var cached = Path.Combine(Models, file.FileName);
        File.WriteAllBytes(cached, Payload);
        Assert.Equal(cached, KerasWeightsCache.Resolve(file, Options()));
    }

    [Fact]
    public void A_cached_file_with_another_hash_is_refused_naming_both_hashes_and_where_to_get_it_again()
    {
        var file = Fake(Payload);
        Directory.CreateDirectory(Models);
        var cached = Path.Combine(Models, file.FileName);
        File.WriteAllBytes(cached, Payload[..10]);
        var e = Assert.Throws<ModelFormatException>(() => KerasWeightsCache.Resolve(file, Options()));
        Assert.Equal(cached, e.File);
        Assert.Contains($"md5 {file.Md5}", e.Message);
        Assert.Contains($"md5 {Md5(Payload[..10])}", e.Message);
        Assert.Contains(file.Url.ToString(), e.Message);
        Assert.Equal(Payload[..10], File.ReadAllBytes(cached));
    }

    [Fact]
    public void A_missing_file_is_downloaded_into_the_cache_under_its_Keras_name_and_nothing_else_is_left()
    {
        var file = Fake(Payload);
        var downloader = new FakeDownloader(Payload);
        var path = KerasWeightsCache.Resolve(file, Options(downloader));
        Assert.Equal(Path.Combine(Models, file.FileName), path);
        Assert.Equal(Payload, File.ReadAllBytes(path));
        Assert.Equal([file.Url], downloader.Asked);
        Assert.Equal([file.FileName], Directory.GetFiles(Models).Select(Path.GetFileName));
        Assert.Equal(path, KerasWeightsCache.Resolve(file, Options()));
    }

    [Fact]
    public void A_download_that_is_not_the_published_file_is_refused_and_nothing_is_kept()
    {
        var file = Fake(Payload);
        var e = Assert.Throws<ModelFormatException>(() => KerasWeightsCache.Resolve(file, Options(new FakeDownloader("something else"u8.ToArray()))));
        Assert.Contains("downloaded a file with md5", e.Message);
        Assert.Empty(Directory.GetFiles(Models));
    }

    [Fact]
    public void Offline_a_missing_file_is_an_error_naming_the_address_and_the_cache_path()
    {
        var file = Fake(Payload);
        var e = Assert.Throws<WeightsUnavailableException>(() => KerasWeightsCache.Resolve(file, Options(offline: true)));
        var expected = Path.Combine(Models, file.FileName);
        Assert.Equal(expected, e.CachePath);
        Assert.Contains(file.Url.ToString(), e.Message);
        Assert.Contains($"put it at {expected}", e.Message);
        Assert.False(Directory.Exists(Models));
    }

    [Fact]
    public void A_download_that_breaks_off_is_the_same_error_and_leaves_no_partial_file()
    {
        var file = Fake(Payload);
        var e = Assert.Throws<WeightsUnavailableException>(() => KerasWeightsCache.Resolve(file, Options(new FakeDownloader(Payload, failHalfway: true))));
        Assert.Contains("the download failed: connection reset by peer", e.Message);
        Assert.Contains(file.Url.ToString(), e.Message);
        Assert.Empty(Directory.GetFiles(Models));
    }

    [Fact]
    public void A_zoo_model_asked_for_imagenet_weights_loads_the_file_Keras_cached_under_its_name()
    {
        // A small VGG16 notop file stands in for the published one; the table says what its md5 is.
        var trained = Vgg16.Build(new ApplicationOptions { IncludeTop = false, InputShape = [32, 32, 3], Seed = 4 });
        var scratch = home.File("trained.h5");
        KerasFile.Save(trained, scratch, new SaveOptions { Format = KerasFormat.H5Weights });
        var bytes = File.ReadAllBytes(scratch);
        var file = Fake(bytes);
        Directory.CreateDirectory(Models);
        File.WriteAllBytes(Path.Combine(Models, file.FileName), bytes);

        var loaded = Vgg16.Build(new ApplicationOptions
        {
            IncludeTop = false, InputShape = [32, 32, 3], Weights = ApplicationOptions.ImageNet, ImageNetWeights = Options(catalog: [file]),
        });
        Assert.All(trained.AllWeights().Zip(loaded.AllWeights()), p => Assert.True(p.First.BitEquals(p.Second), p.First.Name));
    }

    [Fact]
    public void A_zoo_model_asked_for_imagenet_weights_offline_names_Keras_file_address_and_cache_path()
    {
        var e = Assert.Throws<WeightsUnavailableException>(() => ResNet.ResNet50(new ApplicationOptions
        {
            IncludeTop = false, InputShape = [32, 32, 3], Weights = ApplicationOptions.ImageNet, ImageNetWeights = Options(offline: true),
        }));
        Assert.Equal(Path.Combine(Models, "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5"), e.CachePath);
        Assert.Equal("https://storage.googleapis.com/tensorflow/keras-applications/resnet/resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5", e.Url.ToString());
    }

    [Theory]
    [InlineData(10, null, "expects 1000 classes, found 10")]
    [InlineData(1000, 64, "expects the input shape (224, 224, 3), found (64, 64, 3)")]
    public void Imagenet_weights_with_the_classifier_need_Keras_head_and_input_size(int classes, int? size, string message)
    {
        var e = Assert.Throws<UnsupportedFeatureException>(() => Vgg16.Build(new ApplicationOptions
        {
            Classes = classes, InputShape = size is { } s ? [s, s, 3] : null, Weights = ApplicationOptions.ImageNet, ImageNetWeights = Options(offline: true),
        }));
        Assert.Contains(message, e.Message);
    }

    public void Dispose() => home.Dispose();
}
