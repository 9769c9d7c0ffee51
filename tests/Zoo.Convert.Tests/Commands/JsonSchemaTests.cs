using System.Text.Json;
using System.Text.RegularExpressions;
using Zoo.Convert.Tests.Support;
using Zoo.Formats.Tests.Support;

namespace Zoo.Convert.Tests.Commands;

/// <summary>
/// The --json documents are an interface: their field sets are pinned here (adding a field means adding it
/// here and to docs/cli.md; removing or renaming one means a new schema number).
/// </summary>
public class JsonSchemaTests
{
    private static readonly string[] InspectFields =
    [
        "schema", "file", "weights_file", "format", "keras_version", "backend", "dialect",
        "model.name", "model.class_name", "model.has_architecture", "model.output_shapes",
        "model.inputs[].name", "model.inputs[].shape", "model.inputs[].dtype", "model.outputs[].name", "model.outputs[].shape", "model.outputs[].dtype",
        "layers[].name", "layers[].class_name", "layers[].output_shape", "layers[].output_shapes", "layers[].params",
        "layers[].trainable_params", "layers[].non_trainable_params", "layers[].trainable", "layers[].connected_to",
        "totals.total", "totals.trainable", "totals.non_trainable", "totals.complete", "totals.source",
        "training_config", "optimizer.class_name", "optimizer.weights", "optimizer.bytes",
    ];

    private static readonly string[] VerifyFields =
    [
        "schema", "model", "weights_file", "runtime", "atol", "rtol", "passed", "first_divergent_layer",
        "outputs[].name", "outputs[].shape", "outputs[].expected_shape", "outputs[].max_abs", "outputs[].max_rel", "outputs[].passed", "outputs[].problem",
        "layers[].name", "layers[].shape", "layers[].expected_shape", "layers[].max_abs", "layers[].max_rel", "layers[].passed", "layers[].problem",
    ];

    private static readonly string[] ZooListFields =
    [
        "schema", "models[].name", "models[].title", "models[].parameters", "models[].input_shape", "models[].classes",
        "models[].preprocess", "models[].weights_bind",
    ];

    /// <summary>Field paths of a document: objects by dot, array elements as [] (arrays of scalars are leaves).</summary>
    private static SortedSet<string> Fields(JsonElement e, string prefix = "")
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        if (e.ValueKind == JsonValueKind.Object)
            foreach (var p in e.EnumerateObject())
            {
                var path = prefix.Length == 0 ? p.Name : $"{prefix}.{p.Name}";
                var children = Fields(p.Value, path);
                if (children.Count == 0) set.Add(path); else set.UnionWith(children);
            }
        else if (e.ValueKind == JsonValueKind.Array)
            foreach (var item in e.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object))
                set.UnionWith(Fields(item, prefix + "[]"));
        return set;
    }

    private static string Manual() => File.ReadAllText(Repository.File("docs/cli.md"));

    internal static void AssertPinnedAndDocumented(string json, string[] pinned, string section)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(new SortedSet<string>(pinned, StringComparer.Ordinal), Fields(doc.RootElement));
        var readme = Manual();
        var table = readme[readme.IndexOf(section, StringComparison.Ordinal)..];
        table = table[..(table.IndexOf("\n### ", 1, StringComparison.Ordinal) is > 0 and var end ? end : table.Length)];
        // Each field's last name appears in backticks in its section's table (…max_abs covers outputs[] and layers[]).
        foreach (var f in pinned)
        {
            var leaf = f.Split('.', '[').Last().TrimStart(']', '.');
            Assert.True(Regex.IsMatch(table, $"`[^`]*\\b{Regex.Escape(leaf)}`"), $"{f} is not documented under '{section}' in docs/cli.md");
        }
    }

    [SkippableFact]
    public void Inspect_json_has_exactly_the_pinned_and_documented_fields()
    {
        var r = CliRunner.Run("inspect", Fixtures.Path("saurabh-churn/model.h5"), "--json");
        Assert.True(r.Code == 0, r.Err);
        AssertPinnedAndDocumented(r.Out, InspectFields, "### `inspect --json`");
    }

    [SkippableFact]
    public void Verify_json_has_exactly_the_pinned_and_documented_fields()
    {
        const string mlp = "dl4j-test-resources/simple_sparse_xent_mlp_keras_2";
        using var files = new PredictVerifyFiles();
        var x = files.FromDl4j(mlp + "_inputs_and_outputs.h5", "inputs", "x.npy");
        var y = files.FromDl4j(mlp + "_inputs_and_outputs.h5", "predictions", "y.npy");
        var r = CliRunner.Run("verify", Fixtures.Path(mlp + "_model.h5"), "--input", x, "--expected", y,
            "--activations", Fixtures.Path(mlp + "_inputs_and_outputs.h5"), "--json");
        Assert.True(r.Code == 0, r.Err);
        AssertPinnedAndDocumented(r.Out, VerifyFields, "### `verify --json`");
    }

    [Fact]
    public void Zoo_list_json_has_exactly_the_pinned_and_documented_fields()
    {
        var r = CliRunner.Run("zoo", "list", "--json");
        Assert.True(r.Code == 0, r.Err);
        AssertPinnedAndDocumented(r.Out, ZooListFields, "### `zoo list --json`");
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Contains(doc.RootElement.GetProperty("models").EnumerateArray(), m => m.GetProperty("parameters").GetInt64() == 138_357_544);
    }
}
