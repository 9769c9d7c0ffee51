using System.Buffers.Binary;
using System.Text;

namespace Zoo.Formats.Tests.Fuzzing;

/// <summary>
/// Structural <c>.npy</c> mutations: the header dict rewritten with huge, negative, overflowing or
/// hundreds of dimensions, unknown or absurd dtypes, Fortran order, versions 2/3 with lying header
/// lengths, and data shorter or longer than the shape needs.
/// </summary>
public sealed class NpyStructuralMutator : IStructuralMutator
{
    private static readonly string[] Shapes =
    [
        "(1099511627776,)", "(-1,)", "(99999999999999999999,)", "(3, -4)", "()", "(0,)", "(4294967296, 4294967296)",
        "(" + string.Join(", ", Enumerable.Repeat("2", 200)) + ")", "(2, 3, 5)", "(1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1)",
        "(3L, 2L)", "(1e3,)", "(0x10,)",
    ];

    private static readonly string[] Descrs = ["<f4", ">f8", "|b1", "<f99999999999", "<c8", "|O", "<U10", "=f8", "<i16", "<f0", "<V8", "|u1"];

    /// <inheritdoc/>
    public FuzzInput? Mutate(FuzzInput input, Random random)
    {
        var header = Header(random);
        var data = new byte[random.Next(5) switch { 0 => 0, 1 => 3, 2 => 4096, _ => random.Next(256) }];
        random.NextBytes(data);
        int version = random.Next(6) switch { 0 => 2, 1 => 3, 2 => random.Next(4, 256), _ => 1 };
        var bytes = Build(header, data, version, random.Next(8) == 0 ? (uint?)ByteMutator.InterestingValue(header.Length, random) : null);
        return input.With($"npy:v{version}:{header.Length}", bytes);
    }

    private static string Header(Random r)
    {
        var fortran = r.Next(3) == 0 ? "True" : r.Next(8) == 0 ? "Maybe" : "False";
        var shape = Shapes[r.Next(Shapes.Length)];
        var descr = Descrs[r.Next(Descrs.Length)];
        return r.Next(10) switch
        {
            0 => "{'shape': " + shape + ", 'descr': '" + descr + "'}",
            1 => "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", 'shape': (1,), }",
            2 => new string('{', 10_000),
            _ => "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }",
        };
    }

    /// <summary>An .npy image with the given header text and data; <paramref name="lyingLength"/> overrides the header length field.</summary>
    public static byte[] Build(string header, byte[] data, int version, uint? lyingLength)
    {
        var text = Encoding.Latin1.GetBytes(header + "\n");
        using var ms = new MemoryStream();
        ms.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)version, 0]);
        Span<byte> len = stackalloc byte[4];
        if (version == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)(lyingLength ?? (uint)Math.Min(text.Length, ushort.MaxValue)));
            ms.Write(len[..2]);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(len, lyingLength ?? (uint)text.Length);
            ms.Write(len);
        }
        ms.Write(text);
        ms.Write(data);
        return ms.ToArray();
    }
}
