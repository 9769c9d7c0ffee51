using System.Text.Json;
using Zoo.Convert.Tests.Support;
using Zoo.Formats;
using Zoo.Formats.Tests.Support;

namespace Zoo.Convert.Tests.Commands;

/// <summary>
/// Drives every command on a real Keras file, the way a user chains them: inspect, convert through the
/// formats, predict, verify against Keras's recorded predictions (TorchSharp and ONNX Runtime), export to
/// Triton; and each command's failure paths with their exit codes and one-line errors.
/// </summary>
public sealed class EveryCommandEndToEndTests : IDisposable
{
    private const string Cnn = "dl4j-test-resources/cnn_batch_norm";
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private static void Ok(CliRunner.Result r) => Assert.True(r.Code == 0, $"exit {r.Code}\n{r.Out}\n{r.Err}");

    [SkippableFact]
    public void A_real_keras_file_goes_through_inspect_convert_predict_verify_and_export_triton()
    {
        var model = Fixtures.Path(Cnn + ".h5");
        var x = Fixtures.Path(Cnn + "_input.npy");
        var keras = Fixtures.Path(Cnn + "_predictions.npy");

        var inspect = CliRunner.Run("inspect", model, "--json");
        Ok(inspect);
        using (var doc = JsonDocument.Parse(inspect.Out))
            Assert.Equal(KerasFile.Load(model).ParameterCount(), doc.RootElement.GetProperty("totals").GetProperty("total").GetInt64());

        Ok(CliRunner.Run("convert", model, dir.File("m.keras")));
        Ok(CliRunner.Run("convert", dir.File("m.keras"), dir.File("m2.h5"), "--dialect", "keras2", "--no-optimizer"));
        Ok(CliRunner.Run("convert", dir.File("m2.h5"), dir.File("m.onnx")));

        var predict = CliRunner.Run("predict", dir.File("m.keras"), "--input", x, "--output", dir.File("y.npy"));
        Ok(predict);
        Assert.True(File.Exists(dir.File("y.npy")));

        // Keras's own predictions, checked on the twice-converted file, on ONNX Runtime, and against our own predict output.
        Ok(CliRunner.Run("verify", dir.File("m2.h5"), "--input", x, "--expected", keras));
        Ok(CliRunner.Run("verify", dir.File("m.onnx"), "--input", x, "--expected", keras, "--provider", "cpu"));
        Ok(CliRunner.Run("verify", model, "--input", x, "--expected", dir.File("y.npy"), "--atol", "0", "--rtol", "0"));

        var triton = CliRunner.Run("export-triton", dir.File("m2.h5"), dir.File("models"), "--name", "cnn", "--max-batch", "4");
        Ok(triton);
        Assert.Contains("max_batch_size: 4", File.ReadAllText(Path.Combine(dir.File("models"), "cnn", "config.pbtxt")));
        Assert.True(File.Exists(Path.Combine(dir.File("models"), "cnn", "1", "model.onnx")));
    }

    [Fact]
    public void A_zoo_model_goes_from_create_through_inspect_and_convert_to_predict()
    {
        Ok(CliRunner.Run("zoo", "create", "lenet5", "--output", dir.File("lenet.keras"), "--seed", "1"));
        var inspect = CliRunner.Run("inspect", dir.File("lenet.keras"));
        Ok(inspect);
        Assert.Contains("Total params: 61,706", inspect.Out);
        Ok(CliRunner.Run("convert", dir.File("lenet.keras"), dir.File("lenet.yaml")));
        Ok(CliRunner.Run("convert", dir.File("lenet.keras"), dir.File("lenet.weights.h5")));
        var x = dir.File("x.npy");
        Zoo.Formats.IO.Npy.Write(x, Zoo.Formats.IO.NpyArray.FromFloat32([2, 32, 32, 1], Enumerable.Range(0, 2 * 32 * 32).Select(i => (i % 17) / 17f).ToArray()));
        Ok(CliRunner.Run("predict", dir.File("lenet.yaml"), "--weights", dir.File("lenet.weights.h5"), "--input", x, "--output", dir.File("a.npy")));
        Ok(CliRunner.Run("predict", dir.File("lenet.keras"), "--input", x, "--output", dir.File("b.npy")));
        Ok(CliRunner.Run("verify", dir.File("lenet.keras"), "--input", x, "--expected", dir.File("a.npy"), "--atol", "0", "--rtol", "0"));
    }

    /// <summary>
    /// One rule for output folders: every command creates the folders above a file it writes (as export-triton creates
    /// DIR and finetune creates --history DIR), rather than some refusing and some creating.
    /// </summary>
    [Theory]
    [InlineData("convert {model} {out}")]
    [InlineData("zoo create lenet5 --output {out}")]
    [InlineData("export-triton {model} {folder}")]
    public void Every_command_creates_a_missing_output_folder(string commandLine)
    {
        var source = dir.File("lenet.h5");
        Ok(CliRunner.Run("zoo", "create", "lenet5", "--output", source));
        var output = Path.Combine(dir.Path, "no", "such", "folder", "out.h5");
        var folder = Path.Combine(dir.Path, "absent", "models");
        var r = CliRunner.Run(commandLine.Split(' ').Select(a => a.Replace("{model}", source).Replace("{out}", output).Replace("{folder}", folder)).ToArray());
        Ok(r);
        Assert.True(File.Exists(output) || Directory.Exists(folder), r.Out);
    }

    /// <summary>(what is wrong, exit code, arguments with {garbage}, {npy}, {dir}, {model} and {missing} placeholders, what the error line must name).</summary>
    public static IEnumerable<object[]> Failures() =>
    [
        ["inspect: not a Keras file", 3, "inspect {garbage}", "{garbage}"],
        ["inspect: weights file is not HDF5", 3, "inspect {model} --weights {npy}", "{npy}"],
        ["convert: input is not a Keras file", 3, "convert {garbage} {dir}/out.h5", "{garbage}"],
        ["convert: missing input", 3, "convert {missing} {dir}/out.h5", "{missing}"],
        ["convert: unknown --to", 2, "convert {model} {dir}/out.h5 --to tflite", ""],
        ["predict: no --input", 2, "predict {model} --output {dir}/y.npy", ""],
        ["predict: model is not a Keras file", 3, "predict {garbage} --input {npy} --output {dir}/y.npy", "{garbage}"],
        ["predict: input is not an npy file", 3, "predict {model} --input {garbage} --output {dir}/y.npy", "{garbage}"],
        ["predict: two inputs for a one-input model", 2, "predict {model} --input {npy} --input {npy} --output {dir}/y.npy", ""],
        ["predict: a layer the runtime does not support", 3, "predict {qkeras} --input {npy} --output {dir}/y.npy", "{qkeras}"],
        ["verify: neither --expected nor --activations", 2, "verify {model} --input {npy}", ""],
        ["verify: negative tolerance", 2, "verify {model} --input {npy} --expected {npy} --atol -1", ""],
        ["verify: expected is not an npy file", 3, "verify {model} --input {npy} --expected {garbage}", "{garbage}"],
        ["verify: activations file is not HDF5", 3, "verify {model} --input {npy} --activations {garbage}", "{garbage}"],
        ["export-triton: not a Keras file", 3, "export-triton {garbage} {dir}/models", "{garbage}"],
        ["export-triton: negative batch", 2, "export-triton {model} {dir}/models --max-batch -1", ""],
        ["zoo create: unknown model", 2, "zoo create nonet --output {dir}/x.h5", "nonet"],
        ["finetune: unknown zoo model", 2, "finetune --model nonet --x {npy} --y {npy} --classes 2 --output {dir}/t.h5", "nonet"],
        ["tune: unknown zoo model", 2, "tune --model nonet --x {npy} --y {npy} --classes 2 --output {dir}/t.h5", "nonet"],
        ["zoo create: no --output", 2, "zoo create lenet5", ""],
        ["compat: missing manifest", 3, "compat --manifest {missing}", "{missing}"],
        ["compat: manifest without the columns", 3, "compat --manifest {npy}", "{npy}"],
    ];

    [SkippableTheory]
    [MemberData(nameof(Failures))]
    public void Each_command_fails_with_its_exit_code_and_one_error_line(string what, int code, string commandLine, string named)
    {
        var garbage = dir.File("garbage.h5");
        File.WriteAllBytes(garbage, [0x13, 0x37, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8]);
        var npy = Fixtures.Path(Cnn + "_input.npy");
        string Fill(string text) => text.Replace("{garbage}", garbage).Replace("{npy}", npy).Replace("{dir}", dir.Path)
            .Replace("{model}", Fixtures.Path(Cnn + ".h5")).Replace("{missing}", dir.File("missing.h5"))
            .Replace("{qkeras}", Fixtures.Path("hls4ml-example-models/qkeras-v3_3layer.keras"));
        var r = CliRunner.Run(commandLine.Split(' ').Select(Fill).ToArray());
        Assert.True(r.Code == code, $"{what}: exit {r.Code}, expected {code}\n{r.Out}\n{r.Err}");
        Assert.StartsWith("zoo-convert: error: ", r.ErrLines[0]);
        // Usage errors may add the "Try --help" hint; a bad file is exactly one line.
        if (code == ExitCodes.BadInput) Assert.True(r.ErrLines.Length == 1, $"{what}: {r.Err}");
        if (named.Length > 0) Assert.Contains(Path.GetFileName(Fill(named)), r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }
}
