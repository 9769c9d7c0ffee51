using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Zoo.Formats.Config;
using Zoo.Formats.Hdf5;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Tests.Fuzzing;

/// <summary>
/// Structural HDF5 mutations made through our own tree and writer, so the file is well formed and only
/// its content lies: a mutated model_config, layer_names/weight_names naming missing or duplicated
/// objects, a dtype attribute contradicting the stored type, weights of the wrong shape, groups nested
/// past the cap, thousands of siblings, multi-megabyte attributes, and a marker dataset whose dimension
/// and stored size fields are then patched to huge, negative or far-over-the-data values.
/// </summary>
public sealed class H5StructuralMutator : IStructuralMutator
{
    /// <summary>A dimension no real seed uses, so its 8 little-endian bytes can be found and patched after writing.</summary>
    private const long MarkerDim = 0x1F3D5;

    /// <inheritdoc/>
    public FuzzInput? Mutate(FuzzInput input, Random random)
    {
        H5TreeGroup root;
        try { root = H5TreeReader.Read(new MemoryStream(input.Bytes), "seed"); }
        catch (ZooException) { return null; }
        int kind = random.Next(9);
        string what;
        try
        {
            what = kind switch
            {
                0 => MutateModelConfig(root, random),
                1 => LieInNameList(root, random),
                2 => LieAboutDtype(root, random),
                3 => WrongShape(ref root, random),
                4 => Nest(root, random),
                5 => Siblings(root, random),
                6 => BigAttribute(root, random),
                _ => "marker",
            };
            if (kind >= 7) root.SetDataset($"zz_marker_{random.Next(1000)}", [MarkerDim], DType.UInt8, new byte[MarkerDim]);
            var bytes = H5TreeWriter.ToBytes(root);
            if (kind >= 7) bytes = PatchMarker(bytes, random, ref what);
            return input.With("h5:" + what, bytes);
        }
        catch (Exception e) when (e is ArgumentException or ZooException or InvalidOperationException)
        {
            return null; // our writer refused the tree: not a reader case
        }
    }

    private static string MutateModelConfig(H5TreeGroup root, Random r)
    {
        var text = root.Attributes.String("model_config") ?? root.Attributes.String("training_config");
        if (text is null) { root.Attributes["model_config"] = H5StringAttribute.Scalar("{\"class_name\": \"Sequential\", \"config\": 7}"); return "config-added"; }
        var mutated = JsonMutator.MutateText(text, r, out var what) ?? text[..(text.Length / 2)];
        root.Attributes["model_config"] = H5StringAttribute.Scalar(mutated);
        return "config:" + what;
    }

    private static string LieInNameList(H5TreeGroup root, Random r)
    {
        var holders = Groups(root).Where(g => g.Attributes.Contains("layer_names") || g.Attributes.Contains("weight_names")).ToList();
        if (holders.Count == 0) return "names-none";
        var g = holders[r.Next(holders.Count)];
        var key = g.Attributes.Contains("weight_names") && (r.Next(2) == 0 || !g.Attributes.Contains("layer_names")) ? "weight_names" : "layer_names";
        var names = g.Attributes.Strings(key)?.ToList() ?? [];
        switch (r.Next(4))
        {
            case 0: names.Add("no_such_object_" + r.Next(100)); break;
            case 1 when names.Count > 0: names.Add(names[r.Next(names.Count)]); break;
            case 2: names.Add("../../" + string.Join("/", Enumerable.Repeat("x", 100))); break;
            default: names.Clear(); break;
        }
        g.Attributes[key] = new H5StringAttribute(names, H5StringKind.Fixed, H5CharSet.Ascii);
        return "names:" + key;
    }

    private static string LieAboutDtype(H5TreeGroup root, Random r)
    {
        var ds = Datasets(root).ToList();
        if (ds.Count == 0) return "dtype-none";
        ds[r.Next(ds.Count)].Attributes["dtype"] = H5StringAttribute.Scalar(new[] { "bfloat16", "float64", "int4", "string", "" }[r.Next(5)]);
        return "dtype-attr";
    }

    private static string WrongShape(ref H5TreeGroup root, Random r)
    {
        var ds = Datasets(root).ToList();
        if (ds.Count == 0) return "shape-none";
        var victim = ds[r.Next(ds.Count)];
        long[] shape = r.Next(3) switch { 0 => [], 1 => [victim.Shape.Length == 0 ? 2 : victim.Shape[0] + 1], _ => [0, 7] };
        var dtype = r.Next(2) == 0 ? victim.DType : DType.Int8;
        var replacement = new H5TreeDataset(victim.Name, shape, dtype, new byte[WeightTensor.ElementCount(shape) * dtype.Size()]);
        root = Rebuild(root, o => ReferenceEquals(o, victim) ? replacement : o);
        return "wrongshape";
    }

    private static string Nest(H5TreeGroup root, Random r)
    {
        int depth = r.Next(2) == 0 ? 70 : 300;
        root.EnsureGroup(string.Join("/", Enumerable.Range(0, depth).Select(i => $"n{i}")));
        return $"nest{depth}";
    }

    private static string Siblings(H5TreeGroup root, Random r)
    {
        var g = root.GetOrAddGroup("many");
        int n = 500 + r.Next(3000);
        for (int i = 0; i < n; i++) g.Add(new H5TreeGroup($"g{i}"));
        return $"siblings{n}";
    }

    private static string BigAttribute(H5TreeGroup root, Random r)
    {
        var groups = Groups(root).ToList();
        var g = groups[r.Next(groups.Count)];
        int size = 1 << r.Next(10, 23);
        g.Attributes[r.Next(2) == 0 ? "model_config" : "big"] = r.Next(2) == 0
            ? H5StringAttribute.Scalar("{\"a\": \"" + new string('x', size) + "\"}")
            : new H5NumericAttribute(DType.Float64, [size / 8], new byte[size / 8 * 8]);
        return $"bigattr{size}";
    }

    /// <summary>Rewrites the marker dataset's dimension or stored size (wherever its bytes appear) to a lying value.</summary>
    private static byte[] PatchMarker(byte[] bytes, Random r, ref string what)
    {
        long[] needles = [MarkerDim];
        var hits = new List<int>();
        Span<byte> pattern = stackalloc byte[8];
        foreach (var n in needles)
        {
            BinaryPrimitives.WriteInt64LittleEndian(pattern, n);
            for (int i = bytes.AsSpan().IndexOf(pattern); i >= 0;)
            {
                hits.Add(i);
                int next = bytes.AsSpan(i + 1).IndexOf(pattern);
                i = next < 0 ? -1 : i + 1 + next;
            }
        }
        if (hits.Count == 0) return bytes;
        var b = (byte[])bytes.Clone();
        int at = r.Next(4) == 0 ? -1 : hits[r.Next(hits.Count)];
        ulong value = r.Next(5) switch
        {
            0 => ulong.MaxValue,
            1 => (ulong)long.MaxValue,
            2 => (ulong)b.Length * 1000,
            3 => 1UL << 40,
            _ => (ulong)MarkerDim * 2,
        };
        foreach (var h in at < 0 ? hits : [at]) BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(h), value);
        what += $"-patched{hits.Count}={value:x}";
        return b;
    }

    private static H5TreeGroup Rebuild(H5TreeGroup g, Func<H5TreeObject, H5TreeObject> map)
    {
        var copy = new H5TreeGroup(g.Name);
        foreach (var (k, v) in g.Attributes) copy.Attributes[k] = v;
        foreach (var child in g.Children)
        {
            var mapped = map(child);
            copy.Add(mapped is H5TreeGroup sub ? Rebuild(sub, map) : mapped);
        }
        return copy;
    }

    private static IEnumerable<H5TreeGroup> Groups(H5TreeGroup g)
    {
        yield return g;
        foreach (var c in g.Children.OfType<H5TreeGroup>())
            foreach (var d in Groups(c)) yield return d;
    }

    private static IEnumerable<H5TreeDataset> Datasets(H5TreeGroup g)
        => Groups(g).SelectMany(x => x.Children.OfType<H5TreeDataset>());
}
