using System.Runtime.InteropServices;

namespace Zoo.FineTune.Inference;

/// <summary>
/// Says whether the libraries ONNX Runtime's CUDA provider links against (CUDA 13 runtime and cuBLAS,
/// cuDNN 9) can be loaded here, and if not which one is missing, so the fallback line can name it.
/// </summary>
internal static class CudaProbe
{
    private static readonly string[] Linux = { "libcudart.so.13", "libcublas.so.13", "libcudnn.so.9" };
    private static readonly string[] Windows = { "cudart64_13.dll", "cublas64_13.dll", "cudnn64_9.dll" };

    /// <summary>Null when every library loads; otherwise the first missing one.</summary>
    public static string? MissingLibrary()
    {
        foreach (var lib in OperatingSystem.IsWindows() ? Windows : Linux)
        {
            if (!NativeLibrary.TryLoad(lib, out var handle)) return lib;
            NativeLibrary.Free(handle);
        }
        return null;
    }
}
