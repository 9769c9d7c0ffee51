using Zoo.Formats;
using Zoo.Formats.Ir;

namespace Zoo.Models.Tests.Normalization;

/// <summary>The round trip every normalization test suite checks: the architecture alone through JSON or YAML.</summary>
internal static class ArchitectureTextRoundTrip
{
    /// <summary>
    /// Saves <paramref name="graph"/>'s architecture as <paramref name="format"/>, reads it back, asserts the configs
    /// equal the original's (weights aside) and returns what was read.
    /// </summary>
    public static ModelGraph Check(ModelGraph graph, KerasFormat format)
    {
        var dir = Directory.CreateTempSubdirectory("zoo-norm-arch-");
        try
        {
            var path = Path.Combine(dir.FullName, "arch.txt");
            KerasFile.Save(graph, path, new SaveOptions { Format = format });
            var back = KerasFile.Load(path);
            var bare = graph.DeepClone();
            foreach (var l in bare.Layers) l.Weights.Clear();
            Assert.Empty(GraphComparer.Differences(bare, back));
            return back;
        }
        finally { dir.Delete(true); }
    }
}
