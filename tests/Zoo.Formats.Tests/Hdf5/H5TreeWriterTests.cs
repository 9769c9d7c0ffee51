using System.Text;
using System.Text.Json.Nodes;
using Zoo.Formats.Hdf5;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Tests.Hdf5;

public class H5TreeWriterTests
{
    private static H5TreeGroup SampleTree()
    {
        var root = new H5TreeGroup();
        root.Attributes["json"] = H5StringAttribute.Scalar("{\"a\": \"é\"}");
        root.Attributes["ascii_vlen"] = new H5StringAttribute(new[] { "x", "yz" }, H5StringKind.Variable, H5CharSet.Ascii);
        root.Attributes["fixed"] = new H5StringAttribute(new[] { "ab", "cde", "" }, H5StringKind.Fixed, H5CharSet.Ascii);
        root.Attributes["fixed_scalar"] = new H5StringAttribute(new[] { "hello" }, H5StringKind.Fixed, H5CharSet.Ascii, isScalar: true, fixedSize: 8);
        root.Attributes["empty"] = H5NumericAttribute.EmptyFloat64();
        root.Attributes["int_scalar"] = new H5NumericAttribute(DType.Int64, Array.Empty<long>(), BitConverter.GetBytes(42L));
        var g = root.EnsureGroup("layer/with unicode ünïcødé");
        byte b = 1;
        foreach (var t in Enum.GetValues<DType>())
        {
            var shape = new long[] { 2, 3 };
            var data = Enumerable.Range(0, 6 * t.Size()).Select(_ => (byte)(b++ * 37)).ToArray();
            if (t == DType.Bool) data = new byte[] { 0, 1, 1, 0, 1, 0 };
            g.SetDataset($"{t.KerasName()}/values:0", shape, t, data);
        }
        g.SetDataset("scalar", Array.Empty<long>(), DType.Float32, BitConverter.GetBytes(3.5f));
        g.SetDataset("empty", new long[] { 0, 4 }, DType.Float32, Array.Empty<byte>());
        return root;
    }

    private static void AssertSame(H5TreeGroup expected, H5TreeGroup actual)
    {
        Assert.Equal(Describe(expected), Describe(actual));
    }

    private static string Describe(H5TreeObject o)
    {
        var sb = new StringBuilder();
        sb.Append(o.Name).Append('{');
        foreach (var (name, value) in o.Attributes)
        {
            sb.Append('@').Append(name).Append('=');
            sb.Append(value switch
            {
                H5StringAttribute s => $"{s.Kind}/{s.CharSet}/{s.FixedSize}/{s.IsScalar}:[{string.Join("|", s.Values)}]",
                H5NumericAttribute n => $"{n.DType}/[{string.Join(",", n.Shape)}]:{Convert.ToHexString(n.Data)}",
                _ => "?",
            });
        }
        if (o is H5TreeDataset d) sb.Append($"{d.DType}[{string.Join(",", d.Shape)}]:{Convert.ToHexString(d.Data)}");
        if (o is H5TreeGroup g) foreach (var c in g.Children) sb.Append(Describe(c));
        return sb.Append('}').ToString();
    }

    [Fact]
    public void Every_dtype_string_kind_and_scalar_survives_a_write_and_read()
    {
        var tree = SampleTree();
        var back = H5TreeReader.Read(new MemoryStream(H5TreeWriter.ToBytes(tree)), "sample");
        var bf = (H5TreeDataset)((H5TreeGroup)back.Find("layer/with unicode ünïcødé/bfloat16")!)["values:0"]!;
        Assert.Equal("bfloat16", bf.Attributes.String("dtype"));
        bf.Attributes.Remove("dtype"); // the writer adds Keras 3's bfloat16 marker; everything else must be as given
        AssertSame(tree, back);
    }

    [Fact]
    public void The_same_tree_always_gives_the_same_bytes()
    {
        Assert.Equal(H5TreeWriter.ToBytes(SampleTree()), H5TreeWriter.ToBytes(SampleTree()));
    }

    [SkippableFact]
    public void H5py_reads_what_Zoo_wrote_with_the_same_values_and_string_kinds()
    {
        H5Py.Require();
        using var dir = new TempDir();
        var path = dir.File("sample.h5");
        H5TreeWriter.Write(SampleTree(), path);
        var dump = H5Py.Dump(path);
        var rootAttrs = dump["/"]!["attrs"]!;
        Assert.Equal("vlen", (string?)rootAttrs["json"]!["kind"]);
        Assert.Equal("utf8", (string?)rootAttrs["json"]!["cset"]);
        Assert.True((bool)rootAttrs["json"]!["scalar"]!);
        Assert.Equal("{\"a\": \"é\"}", (string?)rootAttrs["json"]!["values"]![0]);
        Assert.Equal("ascii", (string?)rootAttrs["ascii_vlen"]!["cset"]);
        Assert.Equal("fixed3", (string?)rootAttrs["fixed"]!["kind"]);
        Assert.Equal("fixed8", (string?)rootAttrs["fixed_scalar"]!["kind"]);
        Assert.Equal("float64", (string?)rootAttrs["empty"]!["dtype"]);
        Assert.Equal(0, (int)rootAttrs["empty"]!["shape"]![0]!);
        var group = "/layer/with unicode ünïcødé";
        foreach (var t in Enum.GetValues<DType>())
        {
            var ds = dump[$"{group}/{t.KerasName()}/values:0"]!;
            var data = ((H5TreeDataset)SampleTree().Find($"layer/with unicode ünïcødé/{t.KerasName()}/values:0")!).Data;
            Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(data)).ToLowerInvariant(), (string?)ds["sha256"]);
            var expectedDtype = t switch { DType.BFloat16 => "|V2", DType.Bool => "bool", _ => t.KerasName() };
            Assert.Equal(expectedDtype, (string?)ds["dtype"]);
        }
        Assert.Empty(dump[$"{group}/scalar"]!["shape"]!.AsArray());
    }

    [SkippableFact]
    public void H5dump_reads_what_Zoo_wrote()
    {
        Skip.IfNot(File.Exists("/usr/bin/h5dump"), "h5dump is not installed");
        using var dir = new TempDir();
        var path = dir.File("sample.h5");
        H5TreeWriter.Write(SampleTree(), path);
        var psi = new System.Diagnostics.ProcessStartInfo("/usr/bin/h5dump", new[] { "-A", path }) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        Assert.Contains("H5T_STR_NULLPAD", output);
        Assert.Contains("\"hello\\000\\000\\000\"", output); // fixed size 8, NUL-padded
    }

    [Fact]
    public void Writing_to_a_path_replaces_the_target_and_leaves_no_temporary_file()
    {
        using var dir = new TempDir();
        var path = dir.File("m.h5");
        File.WriteAllText(path, "old");
        H5TreeWriter.Write(SampleTree(), path);
        Assert.Single(Directory.GetFiles(dir.Path));
        Assert.Equal(H5TreeWriter.ToBytes(SampleTree()), File.ReadAllBytes(path));
    }
}
