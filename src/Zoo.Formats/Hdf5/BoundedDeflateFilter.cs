using System.IO.Compression;
using System.Runtime.InteropServices;
using PureHDF.Filters;

namespace Zoo.Formats.Hdf5;

/// <summary>
/// The gzip (deflate) filter PureHDF runs on each chunk, replaced by one that inflates into a buffer of
/// exactly the chunk's size: PureHDF 2.2.0's own inflates into a growing stream with no end, so one chunk of a
/// few kilobytes could decode to gigabytes whatever the dataset declares. A valid chunk inflates to exactly
/// its chunk size; more is refused as soon as the first extra byte appears.
/// </summary>
internal sealed class BoundedDeflateFilter : IH5Filter
{
    private static readonly DeflateFilter Writer = new();
    private static int registered;

    /// <summary>Registers this filter with PureHDF in place of its own deflate filter (once per process).</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 0) H5Filter.Register(new BoundedDeflateFilter());
    }

    /// <inheritdoc/>
    public ushort FilterId => DeflateFilter.Id;

    /// <inheritdoc/>
    public string Name => "deflate";

    /// <inheritdoc/>
    public Memory<byte> Filter(FilterInfo info)
    {
        if (!info.Flags.HasFlag(H5FilterFlags.Decompress)) return Writer.Filter(info);
        ReadBudget.Current?.CheckTime("a gzip-compressed HDF5 chunk", null, null);
        var output = GC.AllocateUninitializedArray<byte>(Math.Max(0, info.ChunkSize));
        using var source = MemoryMarshal.TryGetArray((ReadOnlyMemory<byte>)info.Buffer, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(info.Buffer.ToArray(), writable: false);
        using var inflater = new ZLibStream(source, CompressionMode.Decompress);
        int filled = 0;
        while (filled < output.Length)
        {
            int n = inflater.Read(output, filled, output.Length - filled);
            if (n == 0) break;
            filled += n;
        }
        Span<byte> probe = stackalloc byte[1];
        if (inflater.Read(probe) > 0)
            throw new UnsafeModelException($"a gzip-compressed chunk inflates past its declared size of {info.ChunkSize:N0} bytes (a compression bomb); refused without inflating the rest");
        return output.AsMemory(0, filled);
    }

    /// <inheritdoc/>
    public uint[] GetParameters(uint[] chunkDimensions, uint typeSize, Dictionary<string, object>? options)
        => Writer.GetParameters(chunkDimensions, typeSize, options);
}
