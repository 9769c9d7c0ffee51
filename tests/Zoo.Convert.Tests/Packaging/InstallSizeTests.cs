using System.Xml.Linq;
using Zoo.Convert.Tests.Support;

namespace Zoo.Convert.Tests.Packaging;

/// <summary>
/// What an install carries (docs/install.md): one platform's natives per tool package, ONNX Runtime's CPU build unless
/// CUDA is asked for, none of the native files that nothing in .NET loads. Packing takes minutes, so
/// scripts/pack.sh --verify checks the packages themselves; these check the settings that decide their contents and the
/// files that a build of this repository copies.
/// </summary>
public class InstallSizeTests
{
    private static readonly string[] UnloadedTorchNatives =
        ["libtorch_python", "libnnapi_backend", "libjitbackend_test", "libtorchbind_test", "libbackend_with_compiler", "libaoti_custom_ops"];

    [Fact]
    public void A_build_copies_libtorch_and_the_CPU_onnx_runtime_but_no_CUDA_provider_python_bindings_or_mobile_archives()
    {
        var files = Directory.EnumerateFiles(AppContext.BaseDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetFileName(f)).ToList();
        // Without a RuntimeIdentifier every platform's natives are copied, so Linux's are here on any machine.
        Assert.Contains("libtorch_cpu.so", files);
        Assert.Contains("libonnxruntime.so", files);
        Assert.DoesNotContain(files, f => f.Contains("providers_cuda") || f.Contains("providers_tensorrt"));
        Assert.DoesNotContain(files, f => UnloadedTorchNatives.Contains(f.Split('.')[0]));
        Assert.DoesNotContain(files, f => f.EndsWith(".aar") || f.Contains(".xcframework"));
    }

    [Fact]
    public void The_tool_packs_one_framework_dependent_ReadyToRun_package_for_each_platform_libtorch_supports()
    {
        var tool = Properties("tools/zoo-convert/zoo-convert.csproj");
        Assert.Equal("true", tool["PackAsTool"]);
        Assert.Equal(["linux-x64", "osx-arm64", "win-x64"], tool["RuntimeIdentifiers"].Split(';').Order());
        Assert.Equal("false", tool["SelfContained"]);
        Assert.Equal("true", tool["PublishReadyToRun"]);
    }

    [Fact]
    public void Every_project_takes_onnx_runtime_through_the_property_that_makes_CUDA_opt_in()
    {
        var onnxRuntime = Directory.EnumerateFiles(Repository.File("src"), "*.csproj", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Repository.File("tools"), "*.csproj", SearchOption.AllDirectories))
            .SelectMany(p => XDocument.Load(p).Descendants("PackageReference").Select(r => (Project: Path.GetFileName(p), Include: (string?)r.Attribute("Include") ?? "")))
            .Where(r => r.Include.Contains("OnnxRuntime"))
            .ToList();
        Assert.NotEmpty(onnxRuntime);
        Assert.All(onnxRuntime, r => Assert.True(r.Include == "$(ZooOnnxRuntimePackage)",
            $"{r.Project} references {r.Include}; reference $(ZooOnnxRuntimePackage) so that the CUDA build stays opt-in (ZooOnnxRuntimeGpu=true)"));
        var defaults = XDocument.Load(Repository.File("Directory.Build.props")).Descendants("ZooOnnxRuntimePackage")
            .Single(e => ((string?)e.Attribute("Condition") ?? "").Contains("!= 'true'"));
        Assert.Equal("Microsoft.ML.OnnxRuntime", defaults.Value);
    }

    [Theory]
    [InlineData("Zoo.Models")]
    [InlineData("Zoo.Onnx")]
    public void Applications_that_reference_a_package_with_natives_get_the_native_trimming_the_repository_builds_with(string package)
    {
        var imports = XDocument.Load(Repository.File("Directory.Build.targets")).Descendants("Import").Select(i => (string)i.Attribute("Project")!);
        Assert.Contains("$(MSBuildThisFileDirectory)build/Zoo.NativeAssets.targets", imports);
        var packed = XDocument.Load(Repository.File($"src/{package}/{package}.csproj")).Descendants("None")
            .Single(n => ((string?)n.Attribute("Include") ?? "").EndsWith("Zoo.NativeAssets.targets"));
        Assert.Equal("true", (string?)packed.Attribute("Pack"));
        Assert.Equal($"buildTransitive/{package}.targets", (string?)packed.Attribute("PackagePath"));
    }

    /// <summary>The unconditional properties of a project file (the last value wins, as in MSBuild).</summary>
    private static Dictionary<string, string> Properties(string project)
    {
        var result = new Dictionary<string, string>();
        foreach (var group in XDocument.Load(Repository.File(project)).Root!.Elements("PropertyGroup").Where(g => g.Attribute("Condition") is null))
            foreach (var p in group.Elements())
                if (p.Attribute("Condition") is null) result[p.Name.LocalName] = p.Value;
        return result;
    }
}
