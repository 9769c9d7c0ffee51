#!/usr/bin/env bash
# Packs Zoo.Formats, Zoo.Models, Zoo.FineTune, Zoo.Onnx (libraries) and zoo-convert (a .NET tool) into ./artifacts/packages.
# The tool is packed per platform (.NET 10 RID-specific tools): zoo-convert.<version>.nupkg only points to
# zoo-convert.<rid>.<version>.nupkg, one for each RID in tools/zoo-convert's RuntimeIdentifiers, and
# `dotnet tool install zoo-convert` fetches the one for its platform.
#
# Usage: scripts/pack.sh [--gpu] [--verify]
#   --gpu     also packs zoo-convert-gpu (pointer and zoo-convert-gpu.<rid> for linux-x64 and win-x64): the tool with
#             ONNX Runtime's CUDA build (-p:ZooOnnxRuntimeGpu=true), ~300 MB more per platform once installed.
#   --verify  then checks this machine's platform package (its natives are this platform's only: no other platform's
#             libtorch, ONNX Runtime, SkiaSharp or HarfBuzz, no libtorch_python or PyTorch test library, no CUDA
#             provider), installs the tool from that folder into a temporary tool path and runs the five-minute tour
#             with it (demo, inspect, convert, predict, verify, ONNX export and ONNX Runtime predict with the CUDA
#             fallback, finetune with its plot, export-triton), and builds with `-r <rid>` and runs a small console
#             project that uses the library packages from that folder. Needs NuGet for the packages' own dependencies
#             and the TorchSharp prerequisites (scripts/prereq.sh). With --gpu it also installs zoo-convert-gpu and
#             checks that it carries the CUDA provider and, where CUDA cannot load, runs ONNX models on the CPU.
# Environment: PACK_OUTPUT (default artifacts/packages); PACK_RIDS (default: the tool's RuntimeIdentifiers;
#   e.g. PACK_RIDS=linux-x64 packs this platform's tool package only, a third of the time); REPOSITORY_URL (default:
#   the git remote 'origin' when it is an https URL; credentials in it are dropped).
# Takes ~10 minutes on 2 cores for the three platforms (ReadyToRun compilation and compressing libtorch).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/consumer-project.sh
gpu=false; verify=false
for arg in "$@"; do
  case "$arg" in
    --gpu) gpu=true ;;
    --verify) verify=true ;;
    *) echo "usage: scripts/pack.sh [--gpu] [--verify]" >&2; exit 2 ;;
  esac
done
out=$(realpath -m "${PACK_OUTPUT:-artifacts/packages}")
version=0.1.0
rid=$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)

repo_url=${REPOSITORY_URL:-$(git remote get-url origin 2>/dev/null || true)}
case "$repo_url" in
  https://*) repo_url="https://${repo_url#https://*@}" ;;   # drop user:token@ if present
  *) repo_url="" ;;
esac

# Deterministic packages: the same commit packs to the same bytes (entry times are the commit's time, paths are
# normalised by ContinuousIntegrationBuild; Deterministic is on for every project in Directory.Build.props).
stamp=$(git log -1 --format=%ct 2>/dev/null || echo 315532800)
# Hard links instead of copies for the native libraries (libtorch, ONNX Runtime: ~500 MB per output folder).
links=(-p:CreateHardLinksForCopyLocalIfPossible=true -p:CreateHardLinksForPublishFilesIfPossible=true)
args=(-c Release -o "$out" -p:ContinuousIntegrationBuild=true "-p:DeterministicTimestamp=$stamp" "${links[@]}" -v q)
[ -n "$repo_url" ] && args+=("-p:RepositoryUrl=$repo_url")
tool_args=()
# Quoted for MSBuild: a ';' in a -p value on the command line would otherwise start a second property.
[ -n "${PACK_RIDS:-}" ] && tool_args+=("-p:ToolPackageRuntimeIdentifiers=\"${PACK_RIDS}\"")
mkdir -p "$out"
rm -f "$out"/Zoo.Formats.*.nupkg "$out"/Zoo.Models.*.nupkg "$out"/Zoo.FineTune.*.nupkg "$out"/Zoo.Onnx.*.nupkg "$out"/zoo-convert.*.nupkg \
      "$out"/zoo-convert-gpu.*.nupkg
# A tool package takes its publish folder whole, and publishing leaves files that are newer than their sources in
# place: start from empty ones so that nothing an earlier build left there is packed.
rm -rf tools/zoo-convert/bin/Release/net10.0/publish tools/zoo-convert/bin/Release/net10.0/*/publish
# The tool first: it builds every library in Release, so the library packs after it only pack.
dotnet pack tools/zoo-convert/zoo-convert.csproj "${args[@]}" "${tool_args[@]}"
for project in src/Zoo.Formats/Zoo.Formats.csproj src/Zoo.Models/Zoo.Models.csproj src/Zoo.FineTune/Zoo.FineTune.csproj \
               src/Zoo.Onnx/Zoo.Onnx.csproj; do
  dotnet pack "$project" "${args[@]}"
done
# Last, so that the libraries above are packed against the CPU build (the property changes what they restore).
if $gpu; then
  rm -rf tools/zoo-convert/bin/Release/net10.0/*/publish
  dotnet pack tools/zoo-convert/zoo-convert.csproj "${args[@]}" -p:ZooOnnxRuntimeGpu=true
fi
ls -l "$out"/*.nupkg

$verify || exit 0

fail() { echo "pack verification failed: $*" >&2; exit 1; }
# Natives that must not reach a platform's install: other platforms' (by file type), PyTorch's Python bindings and
# test libraries, ONNX Runtime's CUDA provider and mobile archives. Prints the offending paths.
foreign_natives() {  # $1: a folder of one platform's files
  local own
  case "$rid" in
    linux-*) own='\.so(\.[0-9]+)*$' ;;
    osx-*) own='\.dylib$' ;;
    win-*) own='\.dll$' ;;
  esac
  find "$1" -type f \( -name '*.so' -o -name '*.so.*' -o -name '*.dylib' -o -name '*.aar' -o -name '*.xcframework*' \
                       -o -iname 'lib*.dll' -o -name 'onnxruntime*.dll' -o -name 'torch*.dll' -o -name 'c10.dll' \
                       -o -name '*SkiaSharp.dll' -o -name '*HarfBuzzSharp.dll' \) \
    | grep -Ev "/(SkiaSharp|HarfBuzzSharp)\.dll$" \
    | { grep -Ev "$own" || true; }
  find "$1" -type f \( -name 'libtorch_python*' -o -name '*_test.*' -o -name 'libbackend_with_compiler*' \
                       -o -name 'libaoti_custom_ops*' -o -name 'libnnapi_backend*' -o -name '*providers_cuda*' \
                       -o -name '*providers_tensorrt*' \)
  find "$1" -type d -name runtimes -exec sh -c 'ls "$1" | grep -vx "$2" | sed "s|^|$1/|"' _ {} "$rid" \;
}

echo "== zoo-convert.$rid.$version.nupkg holds $rid's natives only"
[ -f "$out/zoo-convert.$rid.$version.nupkg" ] || fail "no zoo-convert.$rid.$version.nupkg in $out (PACK_RIDS=${PACK_RIDS:-})"
unzip -l "$out/zoo-convert.$version.nupkg" | grep -q 'tools/any/any/DotnetToolSettings.xml' \
  || fail "zoo-convert.$version.nupkg is not a pointer package"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unzip -q "$out/zoo-convert.$rid.$version.nupkg" -d "$work/package"
bad=$(foreign_natives "$work/package")
[ -z "$bad" ] || fail "zoo-convert.$rid.$version.nupkg carries files another platform (or nothing) needs:
$bad"
grep -q 'Runner="dotnet"' "$work/package/tools/net10.0/$rid/DotnetToolSettings.xml" || fail "the $rid tool does not start through dotnet"

# NuGet caches a package by id and version, so a repack of the same version would be shadowed by the cached
# copy: drop ours (only ours) from the global packages folder first.
cache=$(dotnet nuget locals global-packages --list | sed 's/^[^:]*: *//')
rm -rf "$cache/zoo-convert/$version" "$cache/zoo-convert.$rid/$version" "$cache/zoo-convert-gpu/$version" \
       "$cache/zoo-convert-gpu.$rid/$version" \
       "$cache/zoo.formats/$version" "$cache/zoo.models/$version" "$cache/zoo.finetune/$version" "$cache/zoo.onnx/$version"

echo "== dotnet tool install --tool-path $work/tool --add-source $out zoo-convert"
dotnet tool install --tool-path "$work/tool" --add-source "$out" --version "$version" zoo-convert
installed="$work/tool/.store/zoo-convert/$version/zoo-convert.$rid"
[ -d "$installed" ] || fail "the install did not take zoo-convert.$rid"
bad=$(foreign_natives "$installed")
[ -z "$bad" ] || fail "the installed tool carries files another platform (or nothing) needs:
$bad"
echo "installed: $(du -sh "$work/tool" | cut -f1) in $work/tool"

echo "== the five-minute tour with the installed tool"
zoo="$work/tool/zoo-convert"
tour="$work/tour"
mkdir -p "$tour" && cd "$tour"
"$zoo" --help | head -3
"$zoo" zoo list > /dev/null
"$zoo" demo --quick --output tour | tail -2
"$zoo" inspect tour/lenet5_digits.h5 > /dev/null
"$zoo" convert tour/lenet5_digits.h5 tour/lenet5.keras
"$zoo" predict tour/lenet5.keras --input tour/digits_x.npy --output out/y.npy
"$zoo" verify tour/lenet5.keras --input tour/digits_x.npy --expected tour/digits_predictions.npy
"$zoo" convert tour/lenet5.keras out/lenet5.onnx
"$zoo" verify out/lenet5.onnx --input tour/digits_x.npy --expected tour/digits_predictions.npy --atol 1e-4
# No CUDA provider in the package: asking for it runs the CPU provider, said in exactly one stderr line.
"$zoo" predict out/lenet5.onnx --input tour/digits_x.npy --output out/y_onnx.npy --provider cuda 2> cuda.err
[ "$(wc -l < cuda.err)" = 1 ] && grep -q '^onnxruntime: CPU provider (CUDA was requested but' cuda.err \
  || fail "--provider cuda did not fall back in one line: $(cat cuda.err)"
cat cuda.err
"$zoo" finetune -m tour/lenet5_digits.h5 --x tour/digits_x.npy --y tour/digits_y.npy --classes 10 --epochs 2 \
  --validation-split 0.25 --output out/tuned.keras --history out/history > /dev/null
[ -s out/history/history.png ] || fail "finetune drew no history.png"
"$zoo" export-triton out/tuned.keras out/models --name digits --max-batch 16
cd - > /dev/null

echo "== a console project using the library packages from $out, built for $rid"
consumer_project "$work/consumer" "$out" "$version" "$rid" Zoo.Formats Zoo.Models Zoo.FineTune Zoo.Onnx
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
bad=$(foreign_natives "$work/consumer/bin")
[ -z "$bad" ] || fail "the console project's bin/ carries files another platform (or nothing) needs:
$bad"
echo "consumer bin/: $(du -sh "$work/consumer/bin" | cut -f1)"

if $gpu; then
  echo "== dotnet tool install --tool-path $work/gpu --add-source $out zoo-convert-gpu"
  dotnet tool install --tool-path "$work/gpu" --add-source "$out" --version "$version" zoo-convert-gpu
  find "$work/gpu/.store" -name 'libonnxruntime_providers_cuda.so' | grep -q . || fail "zoo-convert-gpu has no CUDA provider"
  bad=$(foreign_natives "$work/gpu/.store" | grep -Ev '/libonnxruntime_providers_(cuda|tensorrt)\.so$' || true)
  [ -z "$bad" ] || fail "zoo-convert-gpu carries files another platform (or nothing) needs:
$bad"
  echo "installed: $(du -sh "$work/gpu" | cut -f1) in $work/gpu"
  (cd "$work/tour" && "$work/gpu/zoo-convert" verify out/lenet5.onnx --input tour/digits_x.npy \
      --expected tour/digits_predictions.npy --atol 1e-4 --provider auto)
fi
echo "pack verified: the $rid tool$($gpu && echo ' (and zoo-convert-gpu)') installs from $out with $rid's natives only and runs the tour; libraries build and run for $rid"
