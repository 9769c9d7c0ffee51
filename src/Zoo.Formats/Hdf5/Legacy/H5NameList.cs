using System.Text;

namespace Zoo.Formats.Hdf5.Legacy;

/// <summary>
/// Keras's name-list attributes (<c>layer_names</c>, <c>weight_names</c>): a string array, an empty float64
/// array for "none", or — when the list is over 64,512 bytes as a NumPy <c>S</c> array — chunks named
/// <c>name0</c>, <c>name1</c>, … split the way <c>np.array_split</c> splits.
/// </summary>
public static class H5NameList
{
    /// <summary>Keras's HDF5_OBJECT_HEADER_LIMIT: the most bytes one chunk may take.</summary>
    public const int ChunkLimit = 64512;

    /// <summary>Reads a name list; null when neither the attribute nor its chunks exist.</summary>
    public static List<string>? Read(H5TreeObject obj, string name, string? file, string path)
    {
        if (obj.Attributes[name] is { } whole) return Values(whole, file, $"{path}@{name}");
        if (obj.Attributes[name + "0"] is null) return null;
        var all = new List<string>();
        for (int i = 0; obj.Attributes[name + i] is { } chunk; i++) all.AddRange(Values(chunk, file, $"{path}@{name}{i}"));
        return all;
    }

    /// <summary>The style of the list as stored (the first chunk for a chunked list); null when absent or empty.</summary>
    public static H5StringStyle? StyleOf(H5TreeObject obj, string name)
        => (obj.Attributes[name] ?? obj.Attributes[name + "0"]) is H5StringAttribute s ? H5StringStyle.Of(s) : null;

    private static List<string> Values(H5AttributeValue value, string? file, string path) => value switch
    {
        H5StringAttribute s => s.Values.ToList(),
        H5NumericAttribute { Data.Length: 0 } => new List<string>(),
        _ => throw new ModelFormatException("expected a list of names (strings, or an empty array), found numbers", file, path),
    };

    /// <summary>
    /// Writes a name list as Keras does: an empty list as an empty float64 array; a list that fits in one
    /// piece in <paramref name="style"/>; a longer one as fixed-length chunks <c>name0</c>, <c>name1</c>, ….
    /// </summary>
    public static void Write(H5TreeObject obj, string name, IReadOnlyList<string> names, H5StringStyle style, string? file = null)
    {
        obj.Attributes.Remove(name);
        for (int i = 0; obj.Attributes.Remove(name + i); i++) { }
        if (names.Count == 0)
        {
            obj.Attributes[name] = H5NumericAttribute.EmptyFloat64();
            return;
        }
        int itemSize = Math.Max(1, names.Max(n => Encoding.UTF8.GetByteCount(n)));
        if (itemSize > ChunkLimit)
            throw new UnsupportedFeatureException(
                $"a name of {itemSize} bytes exceeds Keras's {ChunkLimit}-byte attribute limit", file, $"{obj.Name}@{name}");
        var charSet = names.All(n => n.All(char.IsAscii)) ? style.CharSet : H5CharSet.Utf8;
        int chunks = 1;
        while (LargestChunk(names.Count, chunks) * (long)itemSize > ChunkLimit) chunks++;
        if (chunks == 1)
        {
            obj.Attributes[name] = new H5StringAttribute(names, style.Kind, charSet);
            return;
        }
        int at = 0;
        for (int i = 0; i < chunks; i++)
        {
            int size = names.Count / chunks + (i < names.Count % chunks ? 1 : 0);
            var part = names.Skip(at).Take(size).ToArray();
            at += size;
            // NumPy chunks keep the whole array's item size.
            obj.Attributes[name + i] = new H5StringAttribute(part, H5StringKind.Fixed, charSet, fixedSize: itemSize);
        }
    }

    private static int LargestChunk(int count, int chunks) => count / chunks + (count % chunks == 0 ? 0 : 1);
}
