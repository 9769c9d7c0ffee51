using System.Runtime.InteropServices;

namespace Zoo.Onnx.Inference;

/// <summary>
/// Says whether the libraries ONNX Runtime's CUDA provider links against can be loaded here (the NVIDIA driver,
/// the CUDA 13 runtime, cuBLAS and cuBLASLt, cuRAND, cuDNN 9), and if not which one is missing. Asked before
/// ONNX Runtime is, so a machine without CUDA never reaches ONNX Runtime's own (coloured, multi-line) load error.
/// </summary>
internal static class CudaProbe
{
    // The provider library's DT_NEEDED entries (readelf -d libonnxruntime_providers_cuda.so), driver first, and cuDNN, which it opens later.
    private static readonly string[] Linux = { "libcuda.so.1", "libcudart.so.13", "libcublasLt.so.13", "libcublas.so.13", "libcurand.so.10", "libcudnn.so.9" };
    private static readonly string[] Windows = { "nvcuda.dll", "cudart64_13.dll", "cublasLt64_13.dll", "cublas64_13.dll", "curand64_10.dll", "cudnn64_9.dll" };

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

    /// <summary>Why the CUDA provider cannot run, in words, for a missing <paramref name="library"/>.</summary>
    public static string Why(string library) => library is "libcuda.so.1" or "nvcuda.dll"
        ? $"no NVIDIA driver ({library} is not installed)"
        : $"{library} is not installed (the CUDA provider needs CUDA 13 and cuDNN 9)";
}
