namespace Zoo.Formats.Tests.Fuzzing;

/// <summary>
/// A reader under fuzz: how to call it, what its files are named, which seeds it starts from and which
/// structural mutations understand its format. Adding a reader to the harness is one <see cref="FuzzFormats"/> entry.
/// </summary>
/// <param name="Name">Short name printed in reports.</param>
/// <param name="FileName">Name the case file gets (readers may not look at it, but tfjs resolves shards beside it).</param>
/// <param name="Read">Reads the file at the given path; return value ignored.</param>
/// <param name="SeedKinds">MANIFEST kinds of the real fixtures used as seeds.</param>
/// <param name="Structural">Format-aware mutations; null uses byte mutations only.</param>
/// <param name="MemoryFactor">
/// Allowed allocation per input byte on top of <see cref="FuzzLimits.MemoryFloorBytes"/>: small for plain
/// parsers, the compression ratio cap (<see cref="LoadOptions.MaxCompressionRatio"/>, 200) plus slack for zip and HDF5.
/// </param>
public sealed record FuzzFormat(
    string Name,
    string FileName,
    Action<string> Read,
    string[] SeedKinds,
    IStructuralMutator? Structural,
    double MemoryFactor)
{
    /// <summary>Zoo-written seeds added to the fixtures (built once per process).</summary>
    public Func<IEnumerable<FuzzInput>>? ExtraSeeds { get; init; }

    /// <summary>
    /// Starts measuring a case's allocations and returns the bytes allocated since; null counts what the reading
    /// thread allocates, which misses readers that decode on pool threads or into unmanaged buffers (images).
    /// </summary>
    public Func<Func<long>>? AllocationMeter { get; init; }

    /// <summary>Allocation every case may make whatever its size; null uses <see cref="FuzzLimits.MemoryFloorBytes"/>.</summary>
    public long? MemoryFloorBytes { get; init; }
}

/// <summary>Format-aware mutation: rebuilds an input through the format's own structure (and our writers).</summary>
public interface IStructuralMutator
{
    /// <summary>A mutated copy of <paramref name="input"/>, or null when this seed cannot be mutated structurally.</summary>
    FuzzInput? Mutate(FuzzInput input, Random random);
}

/// <summary>The limits every case runs under.</summary>
public static class FuzzLimits
{
    /// <summary>Allocation every case may make whatever its size: parser tables, exception text, PureHDF caches.</summary>
    public const long MemoryFloorBytes = 64L << 20;

    /// <summary>Allocation budget for an input of <paramref name="inputBytes"/> bytes.</summary>
    public static long MemoryBudget(long inputBytes, double factor, long floor = MemoryFloorBytes) => floor + (long)(inputBytes * factor);
}
