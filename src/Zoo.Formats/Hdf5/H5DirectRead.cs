using PureHDF;

namespace Zoo.Formats.Hdf5;

/// <summary>
/// Reads a contiguous dataset's bytes straight from the file into the array that will hold them. Going
/// through PureHDF means a typed array first and a byte copy after, twice the memory and time for the
/// multi-hundred-megabyte kernels of large models; Keras weights are almost always contiguous and
/// little-endian, so this path serves nearly every read, and everything else falls back to PureHDF.
/// </summary>
internal static class H5DirectRead
{
    /// <summary>
    /// The <paramref name="bytes"/> bytes of <paramref name="dataset"/>, or null when it is not a contiguous,
    /// little-endian dataset whose storage lies wholly inside the file (PureHDF then reads it, or reports why not).
    /// </summary>
    public static byte[]? TryRead(IH5Dataset dataset, Stream stream, long fileLength, long bytes)
    {
        if (PureHdfInternals.ContiguousExtent(dataset) is not { } extent) return null;
        if (extent.Size < (ulong)bytes || extent.Offset > (ulong)fileLength || (ulong)bytes > (ulong)fileLength - extent.Offset)
            return null;
        // Every byte is overwritten below, so skip the zeroing a plain allocation pays for.
        var data = GC.AllocateUninitializedArray<byte>(checked((int)bytes));
        if (stream is FileStream file && data.Length >= ParallelThreshold && Environment.ProcessorCount > 1)
            ReadParallel(file, (long)extent.Offset, data);
        else
            ReadAt(stream, (long)extent.Offset, data);
        return data;
    }

    private const int ParallelThreshold = 16 << 20, SliceSize = 8 << 20;

    /// <summary>
    /// Most of a large read is the kernel copying pages and faulting in the fresh array's memory, work
    /// that is CPU-bound and spreads across cores when the array is read in independent slices.
    /// </summary>
    private static void ReadParallel(FileStream file, long offset, byte[] data)
    {
        int slices = (data.Length + SliceSize - 1) / SliceSize;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Min(Environment.ProcessorCount, 4) };
        Parallel.For(0, slices, options, i =>
        {
            int start = i * SliceSize;
            int length = Math.Min(SliceSize, data.Length - start);
            ReadAt(file, offset + start, data.AsSpan(start, length));
        });
    }

    private static void ReadAt(Stream stream, long offset, Span<byte> into)
    {
        if (stream is FileStream file)
        {
            // Positional reads leave the stream (and PureHDF's own view of it) untouched.
            while (into.Length > 0)
            {
                int n = RandomAccess.Read(file.SafeFileHandle, into, offset);
                if (n == 0) throw new EndOfStreamException($"the file ended at offset {offset} inside a dataset");
                into = into[n..];
                offset += n;
            }
            return;
        }
        long saved = stream.Position;
        stream.Position = offset;
        stream.ReadExactly(into);
        stream.Position = saved;
    }
}
