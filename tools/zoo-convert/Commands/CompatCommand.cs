using System.CommandLine;
using Zoo.Convert.Compatibility;

namespace Zoo.Convert.Commands;

/// <summary>
/// <c>zoo-convert compat [--manifest M] [--output FILE]</c> (a maintainer's command): regenerates
/// docs/compatibility.md from the real fixtures and the layer registries.
/// </summary>
internal static class CompatCommand
{
    public const string Name = "compat";

    public static readonly string[] Examples =
    [
        "zoo-convert compat --output docs/compatibility.md",
        "zoo-convert compat --manifest ../shared/fixtures/keras-real/MANIFEST.tsv",
    ];

    public static Command Build()
    {
        var manifest = new Option<string>("--manifest")
        {
            Description = "The fixtures' MANIFEST.tsv, relative to the current folder.",
            DefaultValueFactory = _ => Path.Combine("..", "shared", "fixtures", "keras-real", "MANIFEST.tsv"),
            HelpName = "MANIFEST.tsv",
        };
        var output = new Option<string?>("--output", "-o") { Description = "Write the markdown here (default: stdout).", HelpName = "FILE" };
        var cmd = new Command(Name, "Regenerate the compatibility table (Keras versions × formats × layer classes) from the real fixtures and the layer registries.")
        {
            manifest, output,
        };
        cmd.SetAction(r => Cli.Guard(r, stdout =>
        {
            var markdown = CompatibilityTable.Generate(CommonOptions.Existing(r.GetValue(manifest)!));
            if (r.GetValue(output) is { } path)
            {
                var target = OutputFiles.Resolve(path, "--output", [r.GetValue(manifest)]);
                target.Write(s => s.Write(System.Text.Encoding.UTF8.GetBytes(markdown)));
                OutputFiles.Status(stdout, r.InvocationConfiguration.Error, [target]).WriteLine($"wrote {path}");
            }
            else stdout.Write(markdown);
            return ExitCodes.Success;
        }));
        return cmd;
    }
}
