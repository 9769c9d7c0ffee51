using System.Text;
using Zoo.Formats;
using Zoo.Formats.IO;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Support;

namespace Zoo.Models.Tests.IO;

public class NpyTests
{
    private static byte[] File(string header, byte[] data)
    {
        var h = header + "\n";
        var ms = new MemoryStream();
        ms.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 });
        ms.Write(BitConverter.GetBytes((ushort)h.Length));
        ms.Write(Encoding.ASCII.GetBytes(h));
        ms.Write(data);
        return ms.ToArray();
    }

    [Fact]
    public void Big_endian_int32_is_read_as_little_endian_values()
    {
        var data = new byte[] { 0, 0, 0, 1, 0, 0, 1, 0, 0xFF, 0xFF, 0xFF, 0xFE };
        var a = Npy.Read(new MemoryStream(File("{'descr': '>i4', 'fortran_order': False, 'shape': (3,), }", data)));
        Assert.Equal(DType.Int32, a.DType);
        Assert.Equal(new double[] { 1, 256, -2 }, a.ToFloat64());
    }

    [Fact]
    public void Fortran_order_array_comes_back_in_C_order()
    {
        // A 2×3 array [[1,2,3],[4,5,6]] stored column-major is 1,4,2,5,3,6.
        var data = new double[] { 1, 4, 2, 5, 3, 6 }.SelectMany(BitConverter.GetBytes).ToArray();
        var a = Npy.Read(new MemoryStream(File("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", data)));
        Assert.Equal(new long[] { 2, 3 }, a.Shape);
        Assert.Equal(new double[] { 1, 2, 3, 4, 5, 6 }, a.ToFloat64());
    }

    [Fact]
    public void Bool_and_uint8_and_scalar_shapes_are_understood()
    {
        var b = Npy.Read(new MemoryStream(File("{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", new byte[] { 1, 0 })));
        Assert.Equal(DType.Bool, b.DType);
        var s = Npy.Read(new MemoryStream(File("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", BitConverter.GetBytes(2.5f))));
        Assert.Empty(s.Shape);
        Assert.Equal(new float[] { 2.5f }, s.ToFloat32());
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    [InlineData(DType.Int64)]
    [InlineData(DType.UInt8)]
    [InlineData(DType.Bool)]
    public void Write_then_read_is_the_identity(DType t)
    {
        var shape = new long[] { 2, 3, 1 };
        var data = Enumerable.Range(0, 6 * t.Size()).Select(i => (byte)(t == DType.Bool ? i % 2 : i * 7)).ToArray();
        var ms = new MemoryStream();
        Npy.Write(ms, new NpyArray(shape, t, data));
        Assert.Equal(0, (ms.Length - data.Length) % 64);
        ms.Position = 0;
        var back = Npy.Read(ms);
        Assert.Equal(shape, back.Shape);
        Assert.Equal(t, back.DType);
        Assert.Equal(data, back.Data);
    }

    [Fact]
    public void Npz_write_then_read_keeps_names_and_order()
    {
        var path = Path.Combine(Path.GetTempPath(), $"zoo-npz-{Guid.NewGuid():N}.npz");
        try
        {
            Npz.Write(path, new[] { new KeyValuePair<string, NpyArray>("b", NpyArray.FromFloat32(new long[] { 1 }, new float[] { 1 })),
                new KeyValuePair<string, NpyArray>("a", NpyArray.FromFloat32(new long[] { 2 }, new float[] { 2, 3 })) });
            var back = Npz.Read(path);
            Assert.Equal(new[] { "b", "a" }, back.Select(p => p.Key));
            Assert.Equal(new float[] { 2, 3 }, back[1].Value.ToFloat32());
        }
        finally { System.IO.File.Delete(path); }
    }

    [Theory]
    [InlineData("not numpy at all")]
    [InlineData("\u0093NUMPY\u0001\u0000\u0010\u0000{'descr': '<c8'")]
    public void Garbage_and_truncated_files_raise_a_zoo_exception(string text)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        Assert.ThrowsAny<ZooException>(() => Npy.Read(new MemoryStream(bytes)));
    }

    [Fact]
    public void Unsupported_complex_dtype_is_named_in_the_error()
    {
        var ex = Assert.Throws<UnsupportedFeatureException>(() => Npy.Read(new MemoryStream(File("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new byte[8]))));
        Assert.Contains("<c8", ex.Message);
    }

    [Fact]
    public void Data_shorter_than_the_shape_says_is_a_format_error()
    {
        Assert.Throws<ModelFormatException>(() => Npy.Read(new MemoryStream(File("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", new byte[8]))));
    }

    [SkippableFact]
    public void The_real_float64_input_fixture_reads_with_its_shape()
    {
        var a = Npy.Read(Fixtures.Path("dl4j-test-resources/cnn_batch_norm_input.npy"));
        Assert.Equal(new long[] { 5, 10, 10, 3 }, a.Shape);
        Assert.Equal(DType.Float64, a.DType);
        Assert.All(a.ToFloat64(), v => Assert.True(double.IsFinite(v)));
    }
}
