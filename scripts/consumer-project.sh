# Sourced by scripts/pack.sh and scripts/install-size.sh: writes the project file of a console app that uses Zoo's
# packages from a local folder, as an application outside this repository would.
# consumer_project DIR FEED VERSION RID PACKAGE...   (RID empty: no RuntimeIdentifier, every platform's natives)
consumer_project() {
  local dir=$1 feed=$2 version=$3 rid=$4 package
  shift 4
  mkdir -p "$dir"
  {
    echo '<Project Sdk="Microsoft.NET.Sdk">'
    echo '  <PropertyGroup>'
    echo '    <OutputType>Exe</OutputType>'
    echo '    <TargetFramework>net10.0</TargetFramework>'
    [ -n "$rid" ] && echo "    <RuntimeIdentifier>$rid</RuntimeIdentifier>"
    echo '    <Nullable>enable</Nullable>'
    echo '    <ImplicitUsings>enable</ImplicitUsings>'
    echo "    <RestoreAdditionalProjectSources>$feed</RestoreAdditionalProjectSources>"
    echo '  </PropertyGroup>'
    echo '  <ItemGroup>'
    for package in "$@"; do echo "    <PackageReference Include=\"$package\" Version=\"$version\" />"; done
    echo '  </ItemGroup>'
    echo '</Project>'
  } > "$dir/$(basename "$dir").csproj"
}
