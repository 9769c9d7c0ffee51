using Zoo.Convert.Compatibility;
using Zoo.Convert.Tests.Support;
using Zoo.Formats.Tests.Support;

namespace Zoo.Convert.Tests.Commands;

/// <summary>docs/compatibility.md is kept true: regenerated from the fixtures and the layer registries on every run.</summary>
public class CompatibilityTableTests
{
    [SkippableFact]
    public void The_committed_compatibility_table_equals_the_one_the_fixtures_and_registries_give()
    {
        var manifest = Path.Combine(Fixtures.Require(), "MANIFEST.tsv");
        var generated = CompatibilityTable.Generate(manifest);
        var committed = File.ReadAllText(Repository.File("docs/compatibility.md"));
        if (generated == committed) return;
        // Rows are keyed by their first cell, so a set difference names exactly the rows that changed.
        var want = generated.Split('\n').ToHashSet(StringComparer.Ordinal);
        var have = committed.Split('\n').ToHashSet(StringComparer.Ordinal);
        var diff = have.Except(want).Select(l => $"- {l}").Concat(want.Except(have).Select(l => $"+ {l}")).Take(40);
        Assert.Fail("docs/compatibility.md has drifted from the fixtures and layer registries. Regenerate it with\n"
            + "  dotnet run --project tools/zoo-convert -- compat --output docs/compatibility.md\n(- committed, + generated)\n" + string.Join("\n", diff));
    }

    [SkippableFact]
    public void The_table_marks_a_class_without_an_onnx_lowering_and_a_layer_zoo_does_not_know()
    {
        var text = CompatibilityTable.Generate(Path.Combine(Fixtures.Require(), "MANIFEST.tsv"));
        // Masking runs on TorchSharp but ONNX has no mask to carry; QDense (QKeras, in a Keras 3.14 fixture) has no spec at all.
        Assert.Contains("| Masking | ✓ | ✓ | — |", text);
        Assert.Contains("| QDense | — | — | — | 3.14.1 |", text);
        Assert.Contains("| 1.2.2 | ✓ 2 |", text);
    }

    [SkippableFact]
    public void A_fixture_that_does_not_read_shows_as_a_failed_cell_and_is_listed()
    {
        var root = Fixtures.Require();
        using var dir = new TempDir();
        var lines = File.ReadAllLines(Path.Combine(root, "MANIFEST.tsv"));
        // Copy two real rows, the second pointing at a broken file, into a manifest of our own.
        var good = lines.First(l => l.StartsWith("saurabh-churn/model.h5\t", StringComparison.Ordinal));
        File.Copy(Path.Combine(root, "saurabh-churn/model.h5"), dir.File("good.h5"));
        File.WriteAllBytes(dir.File("bad.h5"), [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
        File.WriteAllLines(dir.File("MANIFEST.tsv"), [lines[0], "good.h5" + good[good.IndexOf('\t')..], "bad.h5" + good[good.IndexOf('\t')..]]);
        var text = CompatibilityTable.Generate(dir.File("MANIFEST.tsv"));
        Assert.Contains("| 3.7.0 | ✗ 1/2 |", text);
        Assert.Contains("| bad.h5 | ModelFormatException |", text);
    }

    [SkippableFact]
    public void The_compat_command_writes_the_same_table()
    {
        using var dir = new TempDir();
        var manifest = Path.Combine(Fixtures.Require(), "MANIFEST.tsv");
        var r = CliRunner.Run("compat", "--manifest", manifest, "--output", dir.File("c.md"));
        Assert.True(r.Code == 0, r.Err);
        Assert.Equal(CompatibilityTable.Generate(manifest), File.ReadAllText(dir.File("c.md")));
    }
}
