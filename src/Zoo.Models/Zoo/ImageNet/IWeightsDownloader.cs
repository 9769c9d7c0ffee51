namespace Zoo.Models.ModelZoo.ImageNet;

/// <summary>Fetches a published weights file; replaced in tests, which never touch the network.</summary>
public interface IWeightsDownloader
{
    /// <summary>Writes the bytes at <paramref name="url"/> to <paramref name="destination"/>.</summary>
    /// <exception cref="HttpRequestException">The address could not be reached or answered with an error.</exception>
    /// <exception cref="IOException">The transfer or the write broke off.</exception>
    Task DownloadAsync(Uri url, Stream destination, CancellationToken cancellationToken);
}

/// <summary>Downloads over HTTPS with <see cref="HttpClient"/>: a short connect timeout, none on the transfer of a large file.</summary>
public sealed class HttpWeightsDownloader : IWeightsDownloader
{
    /// <summary>One client for the process, as <see cref="HttpClient"/> is meant to be used.</summary>
    public static HttpWeightsDownloader Shared { get; } = new();

    private readonly HttpClient client = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(20) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <inheritdoc/>
    public async Task DownloadAsync(Uri url, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(destination);
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await body.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
    }
}
