using Zoo.Formats.Hdf5.Legacy;
using Zoo.Formats.Tests.Support;

namespace Zoo.Formats.Tests.Hdf5;

public class LegacyH5CorruptionTests
{
    public static IEnumerable<object[]> Cases()
    {
        // 2 fixtures (old fixed-string layout, new variable-length layout) × 100 seeded damages each.
        foreach (var fixture in new[] { "dl4j-test-resources/cnn_batch_norm.h5", "aakash-churn/model.h5" })
            for (int seed = 0; seed < 100; seed++)
                yield return new object[] { fixture, seed };
    }

    /// <summary>Seed &lt; 70: flip 1–8 random bits; otherwise truncate at a random length.</summary>
    private static byte[] Damage(byte[] original, int seed)
    {
        var rng = new Random(seed * 7919 + original.Length);
        var bytes = (byte[])original.Clone();
        if (seed < 70)
        {
            int flips = rng.Next(1, 9);
            for (int i = 0; i < flips; i++) bytes[rng.Next(bytes.Length)] ^= (byte)(1 << rng.Next(8));
            return bytes;
        }
        return bytes[..rng.Next(bytes.Length)];
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void A_damaged_legacy_file_reads_or_fails_only_with_a_zoo_exception(string fixture, int seed)
    {
        var damaged = Damage(File.ReadAllBytes(Fixtures.Path(fixture)), seed);
        try
        {
            LegacyH5.Read(new MemoryStream(damaged), $"{fixture}#damage{seed}");
        }
        catch (ZooException e)
        {
            Assert.Equal($"{fixture}#damage{seed}", e.File);
        }
    }
}
