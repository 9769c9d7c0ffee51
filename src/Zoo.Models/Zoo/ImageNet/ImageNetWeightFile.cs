using Zoo.Formats;

namespace Zoo.Models.ModelZoo.ImageNet;

/// <summary>
/// One weights file keras.applications publishes for <c>weights="imagenet"</c>: the file name Keras caches it
/// under (in <c>$KERAS_HOME/models</c>), the address it downloads it from and the md5 hash it checks it against
/// (<c>file_hash</c> in Keras's <c>vgg16.py</c>, <c>resnet.py</c>, <c>inception_v3.py</c>).
/// </summary>
/// <param name="Model">The Keras model name (<c>vgg16</c>, <c>resnet50v2</c>, <c>inception_v3</c>).</param>
/// <param name="IncludeTop">Whether the file holds the 1000-class classifier (<c>include_top=True</c>) or is the <c>notop</c> file.</param>
/// <param name="FileName">The name in Keras's cache.</param>
/// <param name="Url">Where Keras downloads it.</param>
/// <param name="Md5">The md5 of the published file, lower-case hex.</param>
public sealed record ImageNetWeightFile(string Model, bool IncludeTop, string FileName, Uri Url, string Md5);

/// <summary>The ImageNet weight files keras.applications publishes, for the zoo's models that have them.</summary>
public static class ImageNetWeightFiles
{
    private const string Storage = "https://storage.googleapis.com/tensorflow/keras-applications/";

    /// <summary>Every published file (tf.keras 2.x and Keras 3 download the same ones), with and without the top.</summary>
    public static IReadOnlyList<ImageNetWeightFile> Published { get; } =
    [
        .. Pair("vgg16", "vgg16/", "64373286793e3c8b2b4e3219cbf3544b", "6d6bbae143d832006294945121d1f1fc"),
        .. Pair("vgg19", "vgg19/", "cbe5617147190e668d6c5d5026f83318", "253f8cb515780f3b799900260a226db6"),
        .. Pair("resnet50", "resnet/", "2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626"),
        .. Pair("resnet101", "resnet/", "f1aeb4b969a6efcfb50fad2f0c20cfc5", "88cf7a10940856eca736dc7b7e228a21"),
        .. Pair("resnet152", "resnet/", "100835be76be38e30d865e96f2aaae62", "ee4c566cf9a93f14d82f913c2dc6dd0c"),
        .. Pair("resnet50v2", "resnet/", "3ef43a0b657b3be2300d5770ece849e0", "fac2f116257151a9d068a22e544a4917"),
        .. Pair("resnet101v2", "resnet/", "6343647c601c52e1368623803854d971", "c0ed64b8031c3730f411d2eb4eea35b5"),
        .. Pair("resnet152v2", "resnet/", "a49b44d1979771252814e80f8ec446f9", "ed17cf2e0169df9d443503ef94b23b33"),
        .. Pair("inception_v3", "inception_v3/", "9a0d58056eeedaa3f26cb7ebd46da564", "bcbd6486424b2319ff4ef7d526e38f63"),
    ];

    /// <summary>
    /// Files Keras once published under the same cache names, by md5: a cache filled by an older Keras holds them, and
    /// today's Keras re-downloads over them. Named so that refusing one says what it is.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Superseded { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // keras_applications <= 1.0.7 (Keras <= 2.2.4) downloaded these from fchollet/deep-learning-models v0.2.
        ["a7b3fe01876f51b976af0dea6bc144eb"] = "the ResNet50 file of Keras <= 2.2.4 (fchollet/deep-learning-models v0.2, layers conv1, bn_conv1, res2a_branch2a, …)",
        ["a268eb855778b3df3c7506639542a6af"] = "the ResNet50 notop file of Keras <= 2.2.4 (fchollet/deep-learning-models v0.2, layers conv1, bn_conv1, res2a_branch2a, …)",
    };

    /// <summary>
    /// The file for <paramref name="model"/> (a Keras or zoo model name: <c>inception_v3</c>, <c>InceptionV3</c>, <c>ResNet-50</c>)
    /// with or without the top, from <paramref name="catalog"/> (default <see cref="Published"/>).
    /// </summary>
    /// <exception cref="UnsupportedFeatureException">Keras publishes no ImageNet weights for the model; the message lists those it does.</exception>
    public static ImageNetWeightFile For(string model, bool includeTop, IReadOnlyList<ImageNetWeightFile>? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        catalog ??= Published;
        var key = Key(model);
        return catalog.FirstOrDefault(f => Key(f.Model) == key && f.IncludeTop == includeTop)
            ?? throw new UnsupportedFeatureException(
                $"weights=\"imagenet\": expected a model keras.applications publishes ImageNet weights for ({string.Join(", ", catalog.Select(f => f.Model).Distinct())}), found '{model}'{(includeTop ? " with its top" : " without its top")}");
    }

    private static string Key(string name) => name.Replace("_", "").Replace("-", "").ToLowerInvariant();

    private static IEnumerable<ImageNetWeightFile> Pair(string model, string folder, string topMd5, string noTopMd5)
    {
        // Keras names both files after the model, the notop one with a suffix, in one folder per family.
        string top = $"{model}_weights_tf_dim_ordering_tf_kernels.h5", noTop = $"{model}_weights_tf_dim_ordering_tf_kernels_notop.h5";
        yield return new(model, true, top, new Uri(Storage + folder + top), topMd5);
        yield return new(model, false, noTop, new Uri(Storage + folder + noTop), noTopMd5);
    }
}
