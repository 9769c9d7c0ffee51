using Zoo.Formats.KerasV3;
using Zoo.Formats.Tests.Support;

namespace Zoo.Formats.Tests.KerasV3;

public class KerasArchiveCorruptionTests
{
    [SkippableFact]
    public void Archives_with_random_bytes_overwritten_read_or_raise_only_zoo_exceptions()
    {
        var original = File.ReadAllBytes(Fixtures.Path("subhadip-mnist-tfjs/Subhadip_Hensh_MNIST_CNN.keras"));
        using var temp = new TempFolder();
        var random = new Random(20261126);
        int failures = 0;

        for (int round = 0; round < 150; round++)
        {
            var bytes = (byte[])original.Clone();
            // Corrupt a run inside the JSON entries or the HDF5 superblock/object headers, where a reader must decide.
            int start = random.Next(2) == 0 ? random.Next(0, 8000) : random.Next(0, bytes.Length - 64);
            for (int i = 0; i < 1 + random.Next(16); i++) bytes[start + random.Next(64)] = (byte)random.Next(256);
            var path = temp.File($"c{round}.keras");
            File.WriteAllBytes(path, bytes);

            var error = Record.Exception(() => KerasArchive.Read(path));

            if (error is not null)
            {
                Assert.IsAssignableFrom<ZooException>(error);
                failures++;
            }
        }
        Assert.True(failures > 0, "no corruption was ever detected");
    }
}
