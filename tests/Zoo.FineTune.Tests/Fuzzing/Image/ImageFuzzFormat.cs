using System.Buffers;
using System.Reflection;
using System.Runtime.CompilerServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Memory;
using Zoo.FineTune.Data;
using Zoo.Formats.Tests.Fuzzing;

namespace Zoo.FineTune.Tests.Fuzzing.Image;

/// <summary>
/// The <c>image</c> fuzz target: each case is one file in a one-class folder read with <see cref="ImageFolder.Load"/>,
/// which must end with the image loaded, or with it skipped and the folder refused (<see cref="Formats.ModelFormatException"/>),
/// within the time limit and the memory budget. ImageSharp decodes on pool threads and into unmanaged buffers that a
/// thread's GC count never sees, so a case is charged the process's managed allocations plus every buffer ImageSharp
/// asks the decoder's allocator for (a counting wrapper installed once); a request that would pass
/// <see cref="HardCapBytes"/> is refused there, so a blow-up is reported instead of taking the machine down.
/// </summary>
public static class ImageFuzzFormat
{
    /// <summary>The pixel limit the cases run under: low enough that a legal decompression bomb costs little.</summary>
    public const long MaxPixels = 4_000_000;

    /// <summary>Budget floor: the usual 64 MiB plus 64 bytes per allowed pixel (decoded frame, JPEG coefficients, RGB copy).</summary>
    public const long MemoryFloorBytes = FuzzLimits.MemoryFloorBytes + 64 * MaxPixels;

    /// <summary>Requests past this many bytes in one case are refused by the counting allocator (and the case fails).</summary>
    public const long HardCapBytes = 1L << 30;

    /// <summary>Loader options of every case.</summary>
    public static readonly ImageLoadOptions Options = new() { Height = 24, Width = 24, MaxPixels = MaxPixels, Shuffle = false };

    /// <summary>The target.</summary>
    public static FuzzFormat Create() => new("image", "set/class/image.png", Read, [], new ImageStructuralMutator(), FuzzFormats.ParserFactor)
    {
        ExtraSeeds = () => ImageSeeds.All,
        AllocationMeter = StartMeter,
        MemoryFloorBytes = MemoryFloorBytes,
    };

    private static void Read(string path)
    {
        var data = ImageFolder.Load(Path.GetDirectoryName(Path.GetDirectoryName(path))!, Options);
        // A load that "succeeds" must hold exactly this image, with pixels a model can take.
        if (data.Count != 1) throw new InvalidOperationException($"one file loaded as {data.Count} samples");
        foreach (var v in data.Samples.X)
            if (!(v is >= 0 and <= 255)) throw new InvalidOperationException($"decoded pixel value {v} outside [0, 255]");
    }

    private static readonly Lazy<CountingAllocator> Counter = new(Install);

    private static Func<long> StartMeter()
    {
        var counter = Counter.Value;
        counter.StartCase();
        long managed = GC.GetTotalAllocatedBytes(precise: false);
        return () => GC.GetTotalAllocatedBytes(precise: false) - managed + counter.CaseBytes;
    }

    /// <summary>Wraps the allocator of <see cref="ImageDecoder"/>'s private configuration (the only way in without a test hook in the library).</summary>
    private static CountingAllocator Install()
    {
        var field = typeof(ImageDecoder).GetField("Decoders", BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException("ImageDecoder no longer keeps its ImageSharp configuration in 'Decoders'; update the image fuzz target");
        var config = (Configuration)field.GetValue(null)!;
        var counting = new CountingAllocator(config.MemoryAllocator, HardCapBytes);
        config.MemoryAllocator = counting;
        return counting;
    }

    /// <summary>Counts the bytes of every buffer requested (one case at a time) and refuses requests past the cap.</summary>
    private sealed class CountingAllocator(MemoryAllocator inner, long cap) : MemoryAllocator
    {
        private long total, caseStart;
        private volatile bool tripped;

        public void StartCase()
        {
            caseStart = Interlocked.Read(ref total);
            tripped = false;
        }

        /// <summary>Bytes requested since <see cref="StartCase"/>; past the cap when a request was refused.</summary>
        public long CaseBytes => tripped ? Math.Max(cap + 1, Interlocked.Read(ref total) - caseStart) : Interlocked.Read(ref total) - caseStart;

        protected override int GetBufferCapacityInBytes() => 4 << 20;

        public override IMemoryOwner<T> Allocate<T>(int length, AllocationOptions options = AllocationOptions.None)
        {
            long bytes = (long)length * Unsafe.SizeOf<T>();
            if (Interlocked.Add(ref total, bytes) - caseStart > cap)
            {
                tripped = true;
                throw new InvalidMemoryOperationException($"fuzz cap: {bytes:N0} more bytes would pass {cap:N0} in this case");
            }
            return inner.Allocate<T>(length, options);
        }

        public override void ReleaseRetainedResources() => inner.ReleaseRetainedResources();
    }
}
