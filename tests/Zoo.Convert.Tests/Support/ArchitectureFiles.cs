using Zoo.Formats.Config;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Support;
using Zoo.Formats.Yaml;

namespace Zoo.Convert.Tests.Support;

/// <summary>Reads real to_json/to_yaml fixtures through the config codec (no facade needed).</summary>
internal static class ArchitectureFiles
{
    public static ModelGraph Load(string localPath)
    {
        var path = Fixtures.Path(localPath);
        var text = File.ReadAllText(path);
        var node = path.EndsWith(".yaml", StringComparison.Ordinal) ? KerasYaml.Parse(text, path) : KerasJson.Parse(text, path);
        return ModelConfigCodec.Parse(node, path);
    }
}
