using System.Text;
using System.Text.RegularExpressions;
using Zoo.Convert.Tests.FirstRun;
using Zoo.Convert.Tests.Support;
using Zoo.Formats;
using Zoo.Formats.Tests.Support;

namespace Zoo.Convert.Tests.Docs;

/// <summary>
/// The C# a newcomer copies from the docs builds: the README's library example (marked <c>&lt;!-- test: run --&gt;</c>)
/// becomes the program of a new console project that references the libraries in src/ by path, every block marked
/// <c>&lt;!-- test: compile --&gt;</c> in the README and docs/ is compiled with it, and the program runs on the demo's
/// files. The project uses what this build already produced and restored: the libraries are not rebuilt, and the
/// packages stay in the NuGet cache.
/// </summary>
[Collection(NewcomerCollection.Name)]
public partial class ReadmeLibraryExampleTests(NewcomerClone clone)
{
    [SkippableFact]
    public void The_readme_example_and_every_compiled_snippet_build_against_src_and_the_example_runs_on_the_demo_files()
    {
        var program = Assert.Single(MarkdownPages.Marked("run"));
        var snippets = MarkdownPages.Marked("compile");
        Assert.Equal("README.md", program.Page);
        Assert.NotEmpty(snippets);
        using var project = new TempDir();
        File.WriteAllText(project.File("Example.csproj"), ProjectFile());
        File.WriteAllText(project.File("Program.cs"), Source(program, wrapIn: null));
        for (int i = 0; i < snippets.Count; i++) File.WriteAllText(project.File($"Snippet{i}.cs"), Source(snippets[i], wrapIn: $"Snippet{i}"));

        var restore = ChildProcess.Dotnet(["restore", project.Path, "-nodeReuse:false"], project.Path, null, timeoutSeconds: 300);
        Skip.If(restore.Code != 0 && OfflineRestore().IsMatch(restore.Out + restore.Err),
            $"the example's packages could not be restored offline: {OfflineRestore().Match(restore.Out + restore.Err).Value}");
        Assert.True(restore.Code == 0, "dotnet restore failed:\n" + restore.Out + restore.Err);
        var build = ChildProcess.Dotnet(["build", project.Path, "--no-restore", "-c", Configuration, "-nodeReuse:false", "-v", "q", "-nologo"],
            project.Path, null, timeoutSeconds: 300);
        Assert.True(build.Code == 0, "the docs' C# does not build (errors point at the Markdown lines):\n" + build.Out + build.Err);

        clone.RequireDemo();
        var dll = Path.Combine(project.Path, "bin", Configuration, "net10.0", "Example.dll");
        var run = ChildProcess.Dotnet([dll], clone.Root, null, timeoutSeconds: 180);

        Assert.True(run.Code == 0, $"the README's example exited {run.Code}:\n{run.Err}{run.Out}");
        Assert.Contains("Total params: 61,706", run.Out);
        Assert.Contains("small: the whole base", run.Out);
        Assert.Equal(61_706, KerasFile.Load(Path.Combine(clone.Root, "zoo-demo", "lenet5_tuned.keras")).ParameterCount());
    }

    // The configuration this test assembly was built in, so that the libraries' outputs of the same build are used.
    private static string Configuration => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";

    // A console project as `dotnet new console` makes it, referencing every library in src/.
    private static string ProjectFile()
    {
        var references = Directory.EnumerateFiles(Repository.File("src"), "*.csproj", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(p => $"    <ProjectReference Include=\"{p}\" />");
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <BuildProjectReferences>false</BuildProjectReferences>
                <CopyLocalLockFileAssemblies>false</CopyLocalLockFileAssemblies>
                <GenerateRuntimeConfigDevFile>true</GenerateRuntimeConfigDevFile>
              </PropertyGroup>
              <ItemGroup>
            {string.Join("\n", references)}
              </ItemGroup>
            </Project>
            """;
    }

    // The block as C#, every line tagged with its Markdown line so that compiler errors name the page and line. A
    // snippet other than the program becomes a method body, with its using directives moved above the class.
    private static string Source(CodeBlock block, string? wrapIn)
    {
        var page = Repository.File(block.Page);
        var usings = new StringBuilder();
        var body = new StringBuilder();
        for (int i = 0; i < block.Lines.Count; i++)
        {
            var line = block.Lines[i];
            var target = wrapIn is not null && UsingDirective().IsMatch(line) ? usings : body;
            target.Append($"#line {block.FirstLine + i} \"{page}\"\n").Append(line).Append('\n');
        }
        if (wrapIn is null) return body.ToString();
        return $"{usings}#line default\ninternal static class {wrapIn}\n{{\n    internal static void Run()\n    {{\n{body}#line default\n    }}\n}}\n";
    }

    [GeneratedRegex(@"^(using\s+[\w.]+\s*;\s*)+$")]
    private static partial Regex UsingDirective();

    // NuGet's codes for a feed it cannot reach (NU1301) and a package it cannot find (NU1101, NU1102).
    [GeneratedRegex(@"NU1301|NU1101|NU1102")]
    private static partial Regex OfflineRestore();
}
