using Zoo.Formats;

namespace Zoo.Onnx.Inference;

/// <summary>Which ONNX Runtime execution provider to run on.</summary>
public enum OnnxProvider
{
    /// <summary>CUDA when its libraries load, CPU otherwise (the default).</summary>
    Auto,

    /// <summary>The CPU provider.</summary>
    Cpu,

    /// <summary>The CUDA provider (needs CUDA 13 and cuDNN 9); falls back to CPU unless <see cref="OnnxPredictorOptions.Strict"/>.</summary>
    Cuda,
}

/// <summary>Options for <see cref="OnnxPredictor"/>.</summary>
public sealed class OnnxPredictorOptions
{
    /// <summary>Auto, CPU only, or CUDA first.</summary>
    public OnnxProvider Provider { get; init; } = OnnxProvider.Auto;

    /// <summary>When CUDA was asked for explicitly and cannot run, throw instead of falling back to CPU.</summary>
    public bool Strict { get; init; }

    /// <summary>The GPU to use with CUDA.</summary>
    public int DeviceId { get; init; }

    /// <summary>Threads for one operator on CPU; 0 lets ONNX Runtime choose.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Parses a <c>--provider</c> value: cpu, cuda or auto.</summary>
    public static OnnxProvider ParseProvider(string text) => text.ToLowerInvariant() switch
    {
        "auto" => OnnxProvider.Auto,
        "cpu" => OnnxProvider.Cpu,
        "cuda" or "gpu" => OnnxProvider.Cuda,
        _ => throw new UnsupportedFeatureException($"provider '{text}' is not one of cpu, cuda, auto"),
    };
}
