using Zoo.Convert.Tests.Support;
using Zoo.Formats.IO;
using Zoo.Formats.Tests.Support;

namespace Zoo.Convert.Tests.FirstRun;

/// <summary>
/// On a machine without CUDA, predict with --provider auto says which provider runs in one line of ours: ONNX Runtime's
/// own (coloured) load error never reaches stderr, even when it is a pipe.
/// </summary>
public sealed class OnnxProviderLineTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [SkippableFact]
    public void Auto_provider_on_a_machine_without_CUDA_prints_exactly_one_stderr_line()
    {
        bool driver = System.Runtime.InteropServices.NativeLibrary.TryLoad("libcuda.so.1", out var handle);
        if (driver) System.Runtime.InteropServices.NativeLibrary.Free(handle);
        Skip.If(driver || !OperatingSystem.IsLinux(), "an NVIDIA driver is installed here (or this is not Linux): the CUDA provider may run");
        Assert.Equal(0, CliRunner.Run("zoo", "create", "lenet5", "--output", dir.File("l.h5")).Code);
        Assert.Equal(0, CliRunner.Run("convert", dir.File("l.h5"), dir.File("l.onnx")).Code);
        Npy.Write(dir.File("x.npy"), NpyArray.FromFloat32([1, 32, 32, 1], new float[32 * 32]));
        var r = ChildProcess.Run(null, "predict", dir.File("l.onnx"), "--input", dir.File("x.npy"), "--output", dir.File("y.npy"), "--provider", "auto");
        Assert.True(r.Code == 0, r.Err);
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("onnxruntime: CPU provider (the CUDA provider cannot load: no NVIDIA driver (libcuda.so.1 is not installed))", lines[0]);
        Assert.DoesNotContain('\u001b', r.Err);
    }
}
