#!/usr/bin/env bash
# Measures what Zoo costs on disk: the size of each package in a folder, the size of zoo-convert once installed
# from it, and the bin/ folder of a minimal console app that references one library package, built without and
# with a RuntimeIdentifier. Prints one markdown table (the numbers in docs/install.md come from it).
#
# Usage: scripts/install-size.sh [PACKAGE_FOLDER]   (default artifacts/packages, as written by scripts/pack.sh)
# Environment: ZOO_VERSION (default 0.1.0); ZOO_LIBRARIES (default: every Zoo.*.nupkg in the folder);
#              ZOO_RID (default: this machine's, e.g. linux-x64).
# With zoo-convert-gpu packages in the folder (scripts/pack.sh --gpu) it installs that tool too.
# Needs NuGet for the packages' own dependencies. Takes a few minutes (one restore and build per library and RID).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/consumer-project.sh
out=$(realpath "${1:-artifacts/packages}")
version=${ZOO_VERSION:-0.1.0}
rid=${ZOO_RID:-$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)}
mb() { awk -v b="$1" 'BEGIN { if (b < 1e6) printf "%.0f KB", b / 1e3; else printf "%.0f MB", b / 1e6 }'; }
size() { du -sb "$1" | cut -f1; }

libraries=${ZOO_LIBRARIES:-$(cd "$out" && ls Zoo.*."$version".nupkg | sed "s/\.$version\.nupkg$//" | tr '\n' ' ')}

# NuGet caches a package by id and version: ours (only ours) are dropped so that this folder's copies are measured.
cache=$(dotnet nuget locals global-packages --list | sed 's/^[^:]*: *//')
for f in "$out"/*."$version".nupkg; do
  id=$(basename "$f" ".$version.nupkg"); rm -rf "${cache:?}/${id,,}/$version"
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "| what | size |"
echo "|---|---|"
for f in "$out"/*."$version".nupkg; do
  echo "| package \`$(basename "$f")\` | $(mb "$(size "$f")") |"
done

for tool in zoo-convert zoo-convert-gpu; do
  [ -f "$out/$tool.$version.nupkg" ] || continue
  dotnet tool install --tool-path "$work/$tool" --add-source "$out" --version "$version" "$tool" > "$work/install.log"
  echo "| \`dotnet tool install $tool\` (tool path, all files) | $(mb "$(size "$work/$tool")") |"
done

for lib in $libraries; do
  dir="$work/app-${lib,,}"
  consumer_project "$dir" "$out" "$version" "" "$lib"
  echo 'System.Console.WriteLine(typeof(Zoo.Formats.KerasFile).Assembly.GetName().Name);' > "$dir/Program.cs"
  dotnet build "$dir" -c Release -v q -nologo -p:CreateHardLinksForCopyLocalIfPossible=false > "$work/build.log" \
    || { cat "$work/build.log"; exit 1; }
  echo "| console app referencing $lib: \`bin/\` after \`dotnet build -c Release\` | $(mb "$(size "$dir/bin")") |"
  rm -rf "$dir/bin" "$dir/obj"
  dotnet build "$dir" -c Release -r "$rid" -v q -nologo -p:CreateHardLinksForCopyLocalIfPossible=false > "$work/build.log" \
    || { cat "$work/build.log"; exit 1; }
  echo "| console app referencing $lib: \`bin/\` after \`dotnet build -c Release -r $rid\` | $(mb "$(size "$dir/bin")") |"
  rm -rf "$dir"
done
