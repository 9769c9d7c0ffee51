using System.Text;
using Zoo.Formats.IO;
using Zoo.Formats.KerasV3;

namespace Zoo.Formats.Tests.Fuzzing;

/// <summary>
/// Every reader under fuzz, one line each: its name, case file name, the call, the fixture kinds and
/// Zoo-written files it starts from, and its structural mutator. The image loader's and the ONNX reader's targets live
/// beside their libraries' tests (tests/Zoo.FineTune.Tests/Fuzzing/Image, ImageFuzzFormat; tests/Zoo.Onnx.Tests/Fuzzing,
/// OnnxFuzzFormat); bench/Zoo.Fuzz runs them all.
/// </summary>
public static class FuzzFormats
{
    /// <summary>Plain parsers may allocate this many bytes per input byte (text → nodes → graph, exception text).</summary>
    public const double ParserFactor = 48;

    /// <summary>Compressed containers may inflate up to <see cref="LoadOptions.MaxCompressionRatio"/> (200) per byte, plus copies.</summary>
    public const double CompressedFactor = 4 * 200;

    /// <summary>The registry, built over a seed library.</summary>
    public static IReadOnlyList<FuzzFormat> All(SeedLibrary seeds)
    {
        var h5 = new H5StructuralMutator();
        var json = new JsonStructuralMutator();
        var npy = new NpyStructuralMutator();
        var archiveEntries = new ZipStructuralMutator((name, bytes, r) => MutateArchiveEntry(h5, name, bytes, r));
        var npzEntries = new ZipStructuralMutator((name, bytes, r) => r.Next(2) == 0
            ? npy.Mutate(new FuzzInput(name, bytes), r)?.Bytes : ByteMutator.Mutate(bytes, r).Bytes);
        return
        [
            new("h5-full", "model.h5", p => KerasFile.Load(p), ["h5-full"], h5, CompressedFactor)
                { ExtraSeeds = () => seeds.ZooWritten(".h5") },
            new("h5-weights", "weights.h5", p => KerasFile.Load(p), ["h5-weights"], h5, CompressedFactor)
                { ExtraSeeds = () => seeds.ZooWritten("w.h5").Concat(seeds.H5pyMade()) },
            new("keras3-weights", "model.weights.h5", p => KerasWeightsStore.Read(p), ["keras3-weights"], h5, CompressedFactor)
                { ExtraSeeds = () => seeds.ZooWritten(".weights.h5") },
            new("keras-archive", "model.keras", p => KerasFile.Load(p), ["keras3-archive"], archiveEntries, CompressedFactor)
                { ExtraSeeds = () => seeds.ZooWritten(".keras") },
            new("json", "model.json", p => KerasFile.Load(p), ["json-arch"], json, ParserFactor)
                { ExtraSeeds = () => seeds.ZooWritten(".json") },
            new("yaml", "model.yaml", p => KerasFile.Load(p), ["yaml-arch"], new YamlStructuralMutator(), ParserFactor)
                { ExtraSeeds = () => seeds.ZooWritten(".yaml") },
            new("tfjs", "model.json", p => KerasFile.Load(p), ["tfjs-model"], new TfjsStructuralMutator(), ParserFactor),
            new("npy", "array.npy", p => Npy.Read(p), [], npy, ParserFactor)
                { ExtraSeeds = () => seeds.Fixtures("companion-io").Where(s => s.Name.EndsWith(".npy", StringComparison.Ordinal)).Concat(seeds.ZooWritten(".npy")) },
            new("npz", "arrays.npz", p => Npz.Read(p), [], npzEntries, CompressedFactor)
                { ExtraSeeds = () => seeds.ZooWritten(".npz") },
        ];
    }

    private static byte[]? MutateArchiveEntry(H5StructuralMutator h5, string name, byte[] bytes, Random r)
    {
        if (name.EndsWith(".json", StringComparison.Ordinal) && r.Next(3) > 0)
            return JsonMutator.MutateText(Encoding.UTF8.GetString(bytes), r, out _) is { } t ? Encoding.UTF8.GetBytes(t) : null;
        if (name.EndsWith(".h5", StringComparison.Ordinal) && r.Next(2) == 0)
            return h5.Mutate(new FuzzInput(name, bytes), r)?.Bytes;
        return ByteMutator.Mutate(bytes, r).Bytes;
    }
}
