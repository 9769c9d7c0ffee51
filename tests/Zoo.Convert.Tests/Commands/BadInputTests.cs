using Zoo.Convert.Tests.Support;

namespace Zoo.Convert.Tests.Commands;

/// <summary>Files that are not Keras models: one clear line, exit code 3, stack trace only on request.</summary>
public class BadInputTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("zoo-cli-bad-");

    public void Dispose() => dir.Delete(recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var p = Path.Combine(dir.FullName, name);
        File.WriteAllBytes(p, bytes);
        return p;
    }

    public static IEnumerable<object[]> Garbage()
    {
        yield return ["garbage.h5", new byte[] { 0x13, 0x37, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8 }];
        yield return ["truncated.h5", new byte[] { 0x89, (byte)'H', (byte)'D', (byte)'F', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0 }];
        yield return ["not-a-model.json", "{\"hello\": [1, 2"u8.ToArray()];
        yield return ["empty.keras", Array.Empty<byte>()];
        yield return ["zip-without-config.keras", new byte[] { 0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }];
    }

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Inspecting_a_file_that_is_no_keras_model_exits_with_3_and_one_line(string name, byte[] bytes)
    {
        var r = CliRunner.Run("inspect", Write(name, bytes));
        Assert.Equal(ExitCodes.BadInput, r.Code);
        var line = Assert.Single(r.ErrLines);
        Assert.StartsWith("zoo-convert: error: ", line);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void Verbose_adds_the_stack_trace_after_the_error_line()
    {
        var r = CliRunner.Run("inspect", Write("garbage.h5", [1, 2, 3, 4, 5, 6, 7, 8, 9]), "--verbose");
        Assert.Equal(ExitCodes.BadInput, r.Code);
        Assert.StartsWith("zoo-convert: error: ", r.ErrLines[0]);
        Assert.True(r.ErrLines.Length > 1);
        Assert.Contains("   at ", r.Err);
    }

    [Fact]
    public void Converting_to_a_name_with_no_known_extension_without_to_is_a_usage_error()
    {
        var input = Write("in.json", "{}"u8.ToArray());
        var r = CliRunner.Run("convert", input, Path.Combine(dir.FullName, "out.bin"));
        Assert.Equal(ExitCodes.Usage, r.Code);
        Assert.Contains("--to", r.Err);
    }
}
