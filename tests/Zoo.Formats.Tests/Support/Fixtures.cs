namespace Zoo.Formats.Tests.Support;

/// <summary>
/// Locates the real Keras files in ../shared/fixtures/keras-real (beside the repository). They are
/// never copied into the repository; tests that need them skip with a reason when the folder is absent.
/// </summary>
public static class Fixtures
{
    private static readonly Lazy<string?> root = new(FindRoot);

    /// <summary>The keras-real folder, or null when absent.</summary>
    public static string? KerasRealRoot => root.Value;

    /// <summary>Reason used when skipping.</summary>
    public const string AbsentReason = "../shared/fixtures/keras-real is absent (clone the project beside its shared/ folder to run real-file tests)";

    /// <summary>Skips the current test when the fixtures are absent; returns the folder otherwise.</summary>
    public static string Require()
    {
        Skip.If(KerasRealRoot is null, AbsentReason);
        return KerasRealRoot!;
    }

    /// <summary>Full path of a fixture given its MANIFEST local_path; skips when the folder is absent.</summary>
    public static string Path(string localPath) => System.IO.Path.Combine(Require(), localPath);

    /// <summary>Rows of MANIFEST.tsv (empty when absent).</summary>
    public static IReadOnlyList<ManifestRow> Manifest()
    {
        if (KerasRealRoot is null) return Array.Empty<ManifestRow>();
        var lines = File.ReadAllLines(System.IO.Path.Combine(KerasRealRoot, "MANIFEST.tsv"));
        var header = lines[0].Split('\t');
        int col(string n) => Array.IndexOf(header, n);
        return lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')).Select(c => new ManifestRow(
            c[col("local_path")], c[col("kind")], c[col("keras_version")], c[col("backend")],
            c[col("layer_classes")], c[col("has_expected_io")], c[col("notes")])).ToList();
    }

    /// <summary>xunit MemberData: the local paths of every manifest row of the given kinds, or one "absent" row.</summary>
    public static IEnumerable<object[]> OfKinds(params string[] kinds)
    {
        var rows = Manifest().Where(r => kinds.Contains(r.Kind)).Select(r => new object[] { r.LocalPath }).ToList();
        if (rows.Count == 0) rows.Add(new object[] { "(fixtures absent)" });
        return rows;
    }

    private static string? FindRoot()
    {
        var env = Environment.GetEnvironmentVariable("ZOO_FIXTURES");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "fixtures", "keras-real");
            if (File.Exists(System.IO.Path.Combine(candidate, "MANIFEST.tsv"))) return candidate;
        }
        return null;
    }
}

/// <summary>One row of the fixtures' MANIFEST.tsv.</summary>
public sealed record ManifestRow(string LocalPath, string Kind, string KerasVersion, string Backend,
    string LayerClasses, string HasExpectedIo, string Notes);
