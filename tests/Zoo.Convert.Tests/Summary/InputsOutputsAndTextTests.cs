using System.Text.Json;
using Zoo.Convert.Tests.Support;
using Zoo.Formats;
using Zoo.Formats.Summary;
using Zoo.Formats.Tests.Support;
using static Zoo.Convert.Tests.Support.Graphs;

namespace Zoo.Convert.Tests.Summary;

/// <summary>A summary names the model's inputs and outputs, and prints itself as Keras's table from the library alone.</summary>
public class InputsOutputsAndTextTests
{
    private static Zoo.Formats.Ir.ModelGraph TwoInputs() => Functional([T("image"), T("ids")], [T("out")],
        Layer("InputLayer", "image", """{"batch_input_shape": [null, 3], "dtype": "float32"}"""),
        Layer("InputLayer", "ids", """{"batch_shape": [null, 5], "dtype": "int32"}"""),
        Layer("Concatenate", "cat", """{"axis": -1}""").Call(T("image"), T("ids")),
        Layer("Dense", "out", """{"units": 2}""").Call(T("cat")));

    [Fact]
    public void A_functional_model_lists_each_input_with_its_shape_and_dtype_and_each_output()
    {
        var s = ModelSummary.Of(TwoInputs());
        Assert.Equal([("image", "(None, 3)", "float32"), ("ids", "(None, 5)", "int32")], s.Inputs.Select(i => (i.Name, i.ShapeText, i.DType)).ToArray());
        Assert.Equal([("out", "(None, 2)", "float32")], s.Outputs.Select(o => (o.Name, o.ShapeText, o.DType)).ToArray());
    }

    [Fact]
    public void A_sequential_model_names_its_input_and_output_by_its_first_and_last_layer_as_predict_does()
    {
        var g = Sequential("[null, 28, 28, 1]", Layer("Flatten", "flatten"), Layer("Dense", "logits", """{"units": 10}"""));
        var s = ModelSummary.Of(g);
        Assert.Equal("input (None, 28, 28, 1) float32", $"{s.Inputs.Single().Name} {s.Inputs.Single().ShapeText} {s.Inputs.Single().DType}");
        Assert.Equal("logits (None, 10)", $"{s.Outputs.Single().Name} {s.Outputs.Single().ShapeText}");
    }

    [Fact]
    public void ToString_prints_the_keras_summary_table_not_the_type_name()
    {
        var text = ModelSummary.Of(TwoInputs()).ToString();
        Assert.DoesNotContain(typeof(ModelSummary).FullName!, text);
        var lines = text.Split(Environment.NewLine);
        Assert.Equal("Model: \"model\" (Functional)", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("Layer (type)", StringComparison.Ordinal) && l.Contains("Connected to"));
        Assert.Contains(lines, l => l.StartsWith("cat (Concatenate)", StringComparison.Ordinal) && l.Contains("(None, 8)") && l.EndsWith("image[0][0]", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.TrimEnd() == "Total params: 18");
        Assert.Contains("(counted from the layer configs; the file holds no weights)", text);
    }

    [Fact]
    public void Inspect_prints_the_library_table_verbatim()
    {
        using var dir = new TempDir();
        var file = dir.File("lenet.h5");
        Assert.Equal(0, CliRunner.Run("zoo", "create", "lenet5", "--output", file).Code);
        var r = CliRunner.Run("inspect", file);
        Assert.Contains(ModelSummary.Of(KerasFile.Load(file)).ToString(), r.Out);
        Assert.Contains("Input:          input_1 (None, 32, 32, 1) float32", r.Out);
        Assert.Contains("Output:         dense_2 (None, 10) float32", r.Out);
    }

    private static long?[] Dims(JsonElement shape)
        => shape.EnumerateArray().Select(d => d.ValueKind == JsonValueKind.Null ? (long?)null : d.GetInt64()).ToArray();

    [Fact]
    public void Inspect_json_gives_inputs_and_outputs_with_names_shapes_and_dtypes()
    {
        using var dir = new TempDir();
        var file = dir.File("lenet.h5");
        Assert.Equal(0, CliRunner.Run("zoo", "create", "lenet5", "--output", file).Code);
        using var doc = JsonDocument.Parse(CliRunner.Run("inspect", file, "--json").Out);
        var input = doc.RootElement.GetProperty("model").GetProperty("inputs")[0];
        Assert.Equal("input_1", input.GetProperty("name").GetString());
        Assert.Equal([null, 32L, 32L, 1L], Dims(input.GetProperty("shape")));
        Assert.Equal("float32", input.GetProperty("dtype").GetString());
        var output = doc.RootElement.GetProperty("model").GetProperty("outputs")[0];
        Assert.Equal([null, 10L], Dims(output.GetProperty("shape")));
    }
}
