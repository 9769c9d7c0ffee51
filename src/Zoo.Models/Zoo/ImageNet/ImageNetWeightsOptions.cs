namespace Zoo.Models.ModelZoo.ImageNet;

/// <summary>Where <c>weights="imagenet"</c> finds Keras's published files, and whether and how it may download them.</summary>
public sealed record ImageNetWeightsOptions
{
    /// <summary>Keras's home folder, whose <c>models</c> folder is the cache; null: Keras's own rule (see <see cref="KerasWeightsCache.KerasHome"/>).</summary>
    public string? KerasHome { get; init; }

    /// <summary>Never download; a missing file is an error naming where to put it. Default: the environment variable <c>ZOO_OFFLINE</c> is <c>1</c> or <c>true</c>.</summary>
    public bool Offline { get; init; } = KerasWeightsCache.OfflineByEnvironment();

    /// <summary>Fetches a missing file; null: <see cref="HttpWeightsDownloader.Shared"/>.</summary>
    public IWeightsDownloader? Downloader { get; init; }

    /// <summary>The files, addresses and hashes to use; default: Keras's (<see cref="ImageNetWeightFiles.Published"/>).</summary>
    public IReadOnlyList<ImageNetWeightFile> Catalog { get; init; } = ImageNetWeightFiles.Published;

    /// <summary>Told, one line each, what is downloaded where (a download can take minutes); null: silent.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Keras's cache, downloads allowed unless <c>ZOO_OFFLINE</c> is set (read now, not when the process started).</summary>
    public static ImageNetWeightsOptions Default => new();
}
