using System.Security.Cryptography;
using Zoo.Formats;

namespace Zoo.Models.ModelZoo.ImageNet;

/// <summary>
/// Keras's own download cache, as <c>keras.utils.get_file(..., cache_subdir="models", file_hash=...)</c> keeps it: a
/// file found there is used when its md5 is the published one, a missing file is downloaded into it (to a temporary
/// file in the same folder, checked, then renamed), and nothing unverified is ever left under the published name.
/// Files Keras downloaded are found without downloading again, and the other way round.
/// </summary>
public static class KerasWeightsCache
{
    /// <summary>
    /// Keras's home folder: <c>$KERAS_HOME</c> when set, else <c>~/.keras</c> (Keras 3 falls back to <c>/tmp/.keras</c>
    /// when the home folder is not writable; here, when there is no home folder).
    /// </summary>
    public static string KerasHome()
    {
        var env = Environment.GetEnvironmentVariable("KERAS_HOME");
        if (!string.IsNullOrEmpty(env)) return env;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home) ? Path.Combine(Path.GetTempPath(), ".keras") : Path.Combine(home, ".keras");
    }

    /// <summary>The folder keras.applications caches its weight files in: <c>models</c> under <paramref name="kerasHome"/> (default <see cref="KerasHome"/>).</summary>
    public static string ModelsFolder(string? kerasHome = null) => Path.Combine(kerasHome ?? KerasHome(), "models");

    /// <summary>Whether <c>ZOO_OFFLINE</c> asks that nothing be downloaded (<c>1</c> or <c>true</c>).</summary>
    public static bool OfflineByEnvironment()
        => Environment.GetEnvironmentVariable("ZOO_OFFLINE") is { } v && (v == "1" || v.Equals("true", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The local path of <paramref name="file"/>: from the cache when there and intact, else downloaded into it.
    /// </summary>
    /// <exception cref="ModelFormatException">The cached file, or the download, is not the published file (its md5 differs).</exception>
    /// <exception cref="WeightsUnavailableException">The file is not cached and could not be downloaded (offline, or the download failed).</exception>
    public static string Resolve(ImageNetWeightFile file, ImageNetWeightsOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        options ??= ImageNetWeightsOptions.Default;
        var folder = ModelsFolder(options.KerasHome);
        var path = Path.Combine(folder, file.FileName);
        if (File.Exists(path))
        {
            var md5 = Md5(path);
            if (md5 != file.Md5)
            {
                var what = ImageNetWeightFiles.Superseded.TryGetValue(md5, out var older) ? older : "an incomplete or another file";
                throw new ModelFormatException(
                    $"expected keras.applications' {file.FileName} (md5 {file.Md5}), found a file with md5 {md5}, {what}; delete it to download the published one again from {file.Url}", path);
            }
            return path;
        }
        if (options.Offline)
            throw Unavailable(file, path, "downloads are turned off (ZOO_OFFLINE)");
        Download(file, folder, path, options, cancellationToken);
        return path;
    }

    private static void Download(ImageNetWeightFile file, string folder, string path, ImageNetWeightsOptions options, CancellationToken cancellationToken)
    {
        string? temp = null;
        try
        {
            Directory.CreateDirectory(folder);
            temp = Path.Combine(folder, $".{file.FileName}.{Guid.NewGuid():N}.part");
            options.Log?.Invoke($"downloading {file.Url} to {path}");
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                (options.Downloader ?? HttpWeightsDownloader.Shared).DownloadAsync(file.Url, stream, cancellationToken).GetAwaiter().GetResult();
            var md5 = Md5(temp);
            if (md5 != file.Md5)
                throw new ModelFormatException($"expected keras.applications' {file.FileName} (md5 {file.Md5}), downloaded a file with md5 {md5}; nothing was kept", file.Url.ToString());
            // Another process may have finished the same download meanwhile; its checked file is as good as ours.
            if (!File.Exists(path)) File.Move(temp, path);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or IOException or UnauthorizedAccessException or TaskCanceledException)
        {
            throw Unavailable(file, path, $"the download failed: {e.Message}", e);
        }
        finally
        {
            if (temp is not null && File.Exists(temp)) File.Delete(temp);
        }
    }

    private static WeightsUnavailableException Unavailable(ImageNetWeightFile file, string path, string why, Exception? inner = null)
        => new($"keras.applications' ImageNet weights for {file.Model} ({(file.IncludeTop ? "with" : "without")} top) are not in Keras's cache and {why}; " +
               $"download {file.Url} (md5 {file.Md5}) and put it at {path}, or point KERAS_HOME at a folder whose models/ holds it", path, file.Url, inner);

    private static string Md5(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(MD5.HashData(stream));
    }
}
