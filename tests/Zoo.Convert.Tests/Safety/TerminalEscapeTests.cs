using System.Text.Json;
using Zoo.Convert.Output;
using Zoo.Convert.Tests.Support;
using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Support;

namespace Zoo.Convert.Tests.Safety;

/// <summary>
/// A crafted file cannot drive the terminal: control characters in anything read from it (layer names, backend,
/// model name) are printed as escapes, by every printer, in text and in JSON.
/// </summary>
public sealed class TerminalEscapeTests : IDisposable
{
    private const string Retitle = "\u001b]0;owned\u0007";   // OSC 0: set the window title, ended by BEL
    private const string Clear = "\u001b[2J";                 // CSI 2J: clear the screen
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private string CraftedModel()
    {
        var g = Graphs.Sequential("[null, 3]", Graphs.Layer("Dense", $"dense{Retitle}", """{"units": 2}"""), Graphs.Layer("Dense", $"out{Clear}", """{"units": 1}"""));
        g.Name = $"model{Clear}";
        g.Layers[1].Weights.Add(Graphs.Zeros($"dense{Retitle}/kernel:0", 3, 2));
        g.Layers[1].Weights.Add(Graphs.Zeros($"dense{Retitle}/bias:0", 2));
        g.Layers[2].Weights.Add(Graphs.Zeros($"out{Clear}/kernel:0", 2, 1));
        g.Layers[2].Weights.Add(Graphs.Zeros($"out{Clear}/bias:0", 1));
        g.Metadata.KerasVersion = "2.15.0";
        g.Metadata.Backend = $"tensorflow{Retitle}";
        var path = dir.File("crafted.h5");
        KerasFile.Save(g, path, new SaveOptions { Format = KerasFormat.H5Full });
        return path;
    }

    [Fact]
    public void Inspect_prints_escape_sequences_from_layer_names_and_the_backend_as_visible_text()
    {
        var r = CliRunner.Run("inspect", CraftedModel());
        Assert.True(r.Code == 0, r.Err);
        Assert.DoesNotContain('\u001b', r.Out);
        Assert.DoesNotContain('\u0007', r.Out);
        Assert.Contains(@"dense\x1b]0;owned\x07 (Dense)", r.Out);
        Assert.Contains(@"out\x1b[2J", r.Out);
        Assert.Contains(@"tensorflow\x1b]0;owned\x07", r.Out);
        Assert.Contains(@"Model: ""model\x1b[2J""", r.Out);
    }

    [Fact]
    public void Inspect_json_keeps_the_names_exact_as_JSON_escapes()
    {
        var r = CliRunner.Run("inspect", CraftedModel(), "--json");
        Assert.True(r.Code == 0, r.Err);
        Assert.DoesNotContain('\u001b', r.Out);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal($"dense{Retitle}", doc.RootElement.GetProperty("layers")[0].GetProperty("name").GetString());
    }

    [Fact]
    public void Every_command_s_output_and_errors_pass_through_the_same_escaping()
    {
        var model = CraftedModel();
        var runs = new[]
        {
            CliRunner.Run("convert", model, dir.File("crafted.json")),
            CliRunner.Run("convert", model, dir.File("crafted.keras")),
            CliRunner.Run("inspect", dir.File("crafted.keras")),
            CliRunner.Run("inspect", dir.File($"missing{Clear}.h5")),
            CliRunner.Run("inspect", model, $"--bad{Clear}"),
        };
        foreach (var r in runs) Assert.DoesNotContain('\u001b', r.Out + r.Err);
        Assert.Contains(@"missing\x1b[2J.h5", runs[3].Err);
    }

    [Theory]
    [InlineData("a\u001bb", @"a\x1bb")]
    [InlineData("bell\u0007", @"bell\x07")]
    [InlineData("csi\u009b2J", @"csi\x9b2J")]
    [InlineData("line\nbreak\r", @"line\x0abreak\x0d")]
    [InlineData("rtl\u202eevil", @"rtl\u202eevil")]
    [InlineData("tab\tand ünïcödé", "tab\tand ünïcödé")]
    public void A_value_from_a_file_is_printed_with_its_control_characters_escaped(string raw, string printed)
    {
        Assert.Equal(printed, Printable.Text(raw));
        Assert.Equal(printed.Replace("[", "[["), Printable.Markup(raw));
    }

    [Fact]
    public void The_safe_writer_keeps_newlines_and_escapes_everything_else()
    {
        var inner = new StringWriter();
        var w = new SafeWriter(inner);
        w.WriteLine($"one{Clear}");
        w.Write('\u001b');
        w.Write("two\n");
        Assert.Equal($"one\\x1b[2J{Environment.NewLine}\\x1btwo\n", inner.ToString());
    }
}
