using System.Text.Json.Nodes;
using Zoo.Formats.Config;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Support;

namespace Zoo.Formats.Tests.RealFixtures;

/// <summary>
/// The acceptance sweep: every model file in ../shared/fixtures/keras-real reads through the
/// front door, and round-trips through every writer that can hold it.
/// </summary>
public class EveryFixtureTests
{
    private static readonly string[] ModelKinds = ["h5-full", "h5-weights", "json-arch", "yaml-arch", "keras3-archive", "keras3-weights", "tfjs-model"];

    /// <summary>Files expected to fail with UnsupportedFeatureException, and why. The target is none.</summary>
    public static readonly IReadOnlyDictionary<string, string> KnownUnsupported = new Dictionary<string, string>();

    /// <summary>
    /// Sources whose weights have no Keras 3 layout without a numeric conversion Zoo does not do yet:
    /// Keras 1 recurrent layers store 12 per-gate tensors where Keras 2/3 store 3 concatenated ones.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> KnownArchiveLimits = new Dictionary<string, string>
    {
    };

    public static IEnumerable<object[]> ModelFiles() => Fixtures.OfKinds(ModelKinds);

    [SkippableTheory]
    [MemberData(nameof(ModelFiles))]
    public void Every_real_model_file_reads_through_KerasFile_Load(string localPath)
    {
        var path = Fixtures.Path(localPath);
        try
        {
            var g = KerasFile.Load(path);
            Assert.True(g.HasArchitecture ? g.Layers.Count > 0 : g.Layers.Count > 0 || g.ParameterCount() == 0);
            Assert.False(KnownUnsupported.ContainsKey(localPath), $"{localPath} now reads: remove it from the unsupported table");
        }
        catch (UnsupportedFeatureException e) when (KnownUnsupported.ContainsKey(localPath))
        {
            Assert.Contains(KnownUnsupported[localPath], e.Message);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(ModelFiles))]
    public void Every_real_model_file_round_trips_through_every_writer_that_can_hold_it(string localPath)
    {
        var path = Fixtures.Path(localPath);
        var original = KerasFile.Load(path);
        using var dir = new TempDir();
        var failures = new List<string>();
        if (original.HasArchitecture)
        {
            foreach (var (format, file) in new[] { (KerasFormat.H5Full, "m.h5"), (KerasFormat.Json, "m.json"), (KerasFormat.Yaml, "m.yaml") })
            {
                var target = dir.File(file);
                KerasFile.Save(original, target, new SaveOptions { Format = format });
                var back = KerasFile.Load(target);
                var weightsCarried = format == KerasFormat.H5Full;
                var diffs = weightsCarried
                    ? GraphComparer.Differences(original, back)
                    : GraphComparer.Differences(WithoutState(original), back);
                failures.AddRange(diffs.Select(d => $"{format}: {d}"));
            }
            // Keras 3 archive: config translated to Keras 3, weights bit-identical by layer and position.
            var archive = dir.File("m.keras");
            if (!original.AllWeights().Any())
            {
                if (Zoo.Formats.Summary.ModelSummary.Of(original).Totals.Total > 0)
                    Assert.Throws<UnsupportedFeatureException>(() => KerasFile.Save(original, archive));
                Assert.True(failures.Count == 0, string.Join("\n", failures));
                return;
            }
            if (KnownArchiveLimits.TryGetValue(localPath, out var limit))
            {
                var e = Assert.Throws<UnsupportedFeatureException>(() => KerasFile.Save(original, archive));
                Assert.Contains(limit, e.Message);
                Assert.True(failures.Count == 0, string.Join("\n", failures));
                return;
            }
            KerasFile.Save(original, archive);
            var fromArchive = KerasFile.Load(archive);
            // Keras 1 weights are converted to Keras 2/3 layouts (LSTM gates concatenated) on the way.
            var expectedWeights = original.Metadata.Dialect == KerasDialectKind.Keras1
                ? Zoo.Formats.Dialects.DialectTranslator.Translate(original, KerasDialectKind.Keras2) : original;
            failures.AddRange(GraphComparer.Differences(expectedWeights, fromArchive, compareWeightNames: false, compareConfigs: false)
                .Where(d => !d.StartsWith("optimizer", StringComparison.Ordinal) && !d.StartsWith("training config", StringComparison.Ordinal))
                .Select(d => $"keras archive: {d}"));
            var expected3 = ModelConfigCodec.Write(original, KerasDialectKind.Keras3);
            var actual3 = ModelConfigCodec.Write(fromArchive, KerasDialectKind.Keras3);
            foreach (var o in new[] { expected3, actual3 }) { o.Remove("keras_version"); o.Remove("backend"); o.Remove("compile_config"); }
            if (!JsonNode.DeepEquals(expected3, actual3)) failures.Add("keras archive: Keras 3 configs differ");
        }
        else
        {
            var legacy = original.Metadata.SourceFormat == KerasFormat.H5Weights;
            var target = dir.File(legacy ? "w.h5" : "w.weights.h5");
            KerasFile.Save(original, target, new SaveOptions { Format = legacy ? KerasFormat.H5Weights : KerasFormat.KerasWeights });
            failures.AddRange(GraphComparer.Differences(original, KerasFile.Load(target)));
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static ModelGraph WithoutState(ModelGraph g)
    {
        var c = g.DeepClone();
        StripWeights(c);
        c.OptimizerWeights.Clear();
        c.TrainingConfig = null;
        return c;
    }

    private static void StripWeights(ModelGraph g)
    {
        foreach (var l in g.Layers)
        {
            l.Weights.Clear();
            if (l.Nested is not null) StripWeights(l.Nested);
        }
    }
}
