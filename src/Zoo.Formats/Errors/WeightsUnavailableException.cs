namespace Zoo.Formats;

/// <summary>
/// Published weights (keras.applications' ImageNet files) are neither in the local cache nor obtainable now: the
/// machine is offline, downloads are turned off, or the download failed. The message names the address to fetch
/// the file from and the path to put it at.
/// </summary>
public class WeightsUnavailableException : ZooException
{
    /// <summary>Creates the error for the file that belongs at <paramref name="cachePath"/> and is published at <paramref name="url"/>.</summary>
    public WeightsUnavailableException(string message, string cachePath, Uri url, Exception? inner = null)
        : base(message, cachePath, null, inner)
    {
        CachePath = cachePath;
        Url = url;
    }

    /// <summary>Where the file is looked for (Keras's cache).</summary>
    public string CachePath { get; }

    /// <summary>Where the file is published.</summary>
    public Uri Url { get; }
}
