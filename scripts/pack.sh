#!/usr/bin/env bash
# Packs Zoo.Formats, Zoo.Models, Zoo.FineTune, Zoo.Onnx (libraries) and zoo-convert (a .NET tool) into ./artifacts/packages.
#
# Usage: scripts/pack.sh [--verify]
#   --verify  then installs the tool from that folder into a temporary tool path and runs `zoo-convert --help`
#             and `zoo-convert zoo list`, and builds and runs a small console project that uses the library
#             packages from that folder. Needs NuGet for the packages' own dependencies.
# Environment: PACK_OUTPUT (default artifacts/packages); REPOSITORY_URL (default: the git remote 'origin'
# when it is an https URL; credentials in it are dropped).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${PACK_OUTPUT:-artifacts/packages}")
version=0.1.0

repo_url=${REPOSITORY_URL:-$(git remote get-url origin 2>/dev/null || true)}
case "$repo_url" in
  https://*) repo_url="https://${repo_url#https://*@}" ;;   # drop user:token@ if present
  *) repo_url="" ;;
esac

# Deterministic packages: the same commit packs to the same bytes (entry times are the commit's time, paths are
# normalised by ContinuousIntegrationBuild; Deterministic is on for every project in Directory.Build.props).
stamp=$(git log -1 --format=%ct 2>/dev/null || echo 315532800)
# Hard links instead of copies for the native libraries (libtorch, ONNX Runtime: ~1.5 GB per output folder).
links=(-p:CreateHardLinksForCopyLocalIfPossible=true -p:CreateHardLinksForPublishFilesIfPossible=true)
args=(-c Release -o "$out" -p:ContinuousIntegrationBuild=true "-p:DeterministicTimestamp=$stamp" "${links[@]}" -v q)
[ -n "$repo_url" ] && args+=("-p:RepositoryUrl=$repo_url")
mkdir -p "$out"
rm -f "$out"/Zoo.Formats.*.nupkg "$out"/Zoo.Models.*.nupkg "$out"/Zoo.FineTune.*.nupkg "$out"/Zoo.Onnx.*.nupkg "$out"/zoo-convert.*.nupkg
# The tool first: it builds every library in Release, so the library packs after it only pack.
for project in tools/zoo-convert/zoo-convert.csproj src/Zoo.Formats/Zoo.Formats.csproj \
               src/Zoo.Models/Zoo.Models.csproj src/Zoo.FineTune/Zoo.FineTune.csproj src/Zoo.Onnx/Zoo.Onnx.csproj; do
  dotnet pack "$project" "${args[@]}"
done
ls -l "$out"/*.nupkg

[ "${1:-}" = "--verify" ] || exit 0

# NuGet caches a package by id and version, so a repack of the same version would be shadowed by the cached
# copy: drop ours (only ours) from the global packages folder first.
cache=$(dotnet nuget locals global-packages --list | sed 's/^[^:]*: *//')
rm -rf "$cache/zoo-convert/$version" "$cache/zoo.formats/$version" "$cache/zoo.models/$version" "$cache/zoo.finetune/$version" "$cache/zoo.onnx/$version"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "== dotnet tool install --tool-path $work/tool --add-source $out zoo-convert"
dotnet tool install --tool-path "$work/tool" --add-source "$out" --version "$version" zoo-convert
"$work/tool/zoo-convert" --help | head -5
"$work/tool/zoo-convert" zoo list

echo "== a console project using the library packages from $out"
mkdir -p "$work/consumer"
cat > "$work/consumer/consumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <RestoreAdditionalProjectSources>$out</RestoreAdditionalProjectSources>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Zoo.Formats" Version="$version" />
    <PackageReference Include="Zoo.Models" Version="$version" />
    <PackageReference Include="Zoo.FineTune" Version="$version" />
    <PackageReference Include="Zoo.Onnx" Version="$version" />
  </ItemGroup>
</Project>
XML
cat > "$work/consumer/Program.cs" <<'CS'
using Zoo.Formats;
using Zoo.Models;
using Zoo.Models.ModelZoo.Applications;
using Zoo.Onnx.Export;
using Zoo.Onnx.Inference;

// Build LeNet-5 from the zoo, save it as a Keras 3 archive, read it back and run it; export it to ONNX and run that.
var graph = LeNet5.Build(new ApplicationOptions { Classes = 10, Seed = 1 });
var path = Path.Combine(Path.GetTempPath(), $"lenet-{Environment.ProcessId}.keras");
KerasFile.Save(graph, path);
var back = KerasFile.Load(path);
Console.WriteLine($"{back.Name}: {back.Layers.Count} layers, {back.ParameterCount():N0} parameters, Keras {back.Metadata.KerasVersion}");
using var model = KerasModel.Load(path);
var y = model.Predict(new float[32 * 32], new long[] { 1, 32, 32, 1 }, out var shape);
Console.WriteLine($"prediction [{string.Join(",", shape)}], sum {y.Sum():F4}");
var onnxPath = Path.ChangeExtension(path, ".onnx");
OnnxExporter.Save(back, onnxPath);
using (var onnx = new OnnxPredictor(onnxPath, new OnnxPredictorOptions { Provider = OnnxProvider.Cpu }))
    Console.WriteLine($"ONNX Runtime: sum {onnx.Predict(new float[32 * 32], new long[] { 1, 32, 32, 1 }, out _).Sum():F4}");
File.Delete(path);
File.Delete(onnxPath);
CS
(cd "$work/consumer" && dotnet run -c Release "${links[@]}")
echo "pack verified: tool installs and runs; libraries build and run from $out"
