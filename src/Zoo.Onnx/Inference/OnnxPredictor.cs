using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Zoo.Formats;
using Zoo.Onnx.Validation;

namespace Zoo.Onnx.Inference;

/// <summary>
/// Runs an ONNX model with ONNX Runtime, one session per predictor (create it once, call it many times).
/// CUDA is preferred when asked for (or on <see cref="OnnxProvider.Auto"/>) and its libraries load; otherwise
/// the CPU provider runs, and <see cref="ProviderLine"/> says which ran and why in one line.
/// </summary>
/// <remarks>
/// Thread safety: <see cref="Predict(float[], long[], out long[])"/> and <see cref="Run"/> may be called from
/// several threads at once on one predictor — ONNX Runtime's <c>InferenceSession.Run</c> is safe for
/// concurrent calls and each call owns its inputs and outputs. <see cref="Dispose"/> must not race a call.
/// </remarks>
public sealed class OnnxPredictor : IDisposable
{
    private readonly InferenceSession session;
    private readonly string path;

    /// <summary>Opens <paramref name="modelPath"/> and picks the provider.</summary>
    /// <exception cref="UnsupportedFeatureException">CUDA was required (strict) and cannot run here.</exception>
    /// <exception cref="ModelFormatException">The file is not a well-formed ONNX model, or ONNX Runtime rejected it.</exception>
    /// <exception cref="UnsafeModelException">The file declares more data than it stores or reaches outside its folder (see <see cref="OnnxModelFile"/>).</exception>
    public OnnxPredictor(string modelPath, OnnxPredictorOptions? options = null)
    {
        options ??= new OnnxPredictorOptions();
        path = modelPath;
        if (!File.Exists(modelPath)) throw new ModelFormatException("the ONNX model file does not exist", modelPath);
        // ONNX Runtime trusts declared sizes and external-data paths; a hostile file is refused here, typed, first.
        OnnxModelFile.Validate(modelPath);
        using var so = NewSessionOptions(options);
        (Provider, ProviderLine) = ChooseProvider(so, options, modelPath);
        if (Provider != OnnxProvider.Cuda) session = Open(modelPath, so);
        else
        {
            try
            {
                using (QuietRuntimeLog())
                    session = new InferenceSession(modelPath, so);
            }
            catch (OnnxRuntimeException e) when (!(options.Provider == OnnxProvider.Cuda && options.Strict))
            {
                // The libraries loaded but the provider could not start (no device, a driver too old): the CPU runs instead, said in one line.
                using var cpu = NewSessionOptions(options);
                session = Open(modelPath, cpu);
                var asked = options.Provider == OnnxProvider.Cuda ? "CUDA was requested but " : "";
                (Provider, ProviderLine) = (OnnxProvider.Cpu, $"onnxruntime: CPU provider ({asked}the CUDA provider failed to start: {FirstLine(e.Message)})");
            }
            catch (OnnxRuntimeException e)
            {
                throw new UnsupportedFeatureException($"CUDA was required but cannot run: the CUDA provider failed to start: {FirstLine(e.Message)}", modelPath, null, e);
            }
        }
        InputNames = session.InputMetadata.Keys.ToArray();
        OutputNames = session.OutputMetadata.Keys.ToArray();
    }

    /// <summary>The provider that runs this session.</summary>
    public OnnxProvider Provider { get; }

    /// <summary>One line saying which provider runs and why (e.g. why CUDA was not used).</summary>
    public string ProviderLine { get; }

    /// <summary>The model's input names, in order.</summary>
    public IReadOnlyList<string> InputNames { get; }

    /// <summary>The model's output names, in order.</summary>
    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>The declared shape of each input (-1 for a dynamic dimension such as the batch).</summary>
    public IReadOnlyList<int[]> InputShapes => session.InputMetadata.Values.Select(m => m.Dimensions).ToArray();

    /// <summary>Runs a single-input, single-output model on a batch laid out row-major with <paramref name="shape"/>.</summary>
    public float[] Predict(float[] input, long[] shape, out long[] outputShape)
    {
        var outs = Run(new[] { (input, shape) });
        if (outs.Count != 1) throw new UnsupportedFeatureException($"model has {outs.Count} outputs; call Run", path);
        outputShape = outs[0].Shape;
        return outs[0].Data;
    }

    /// <summary>Runs the model on one array per input (in <see cref="InputNames"/> order); returns every output in order.</summary>
    public IReadOnlyList<(float[] Data, long[] Shape)> Run(IReadOnlyList<(float[] Data, long[] Shape)> inputs)
    {
        if (inputs.Count != InputNames.Count)
            throw new UnsupportedFeatureException($"model expects {InputNames.Count} inputs ({string.Join(", ", InputNames)}), got {inputs.Count}", path);
        var values = new List<OrtValue>();
        try
        {
            for (int i = 0; i < inputs.Count; i++)
            {
                var (data, shape) = inputs[i];
                if (WeightCount(shape) != data.LongLength)
                    throw new ModelFormatException($"input '{InputNames[i]}': shape [{string.Join(",", shape)}] needs {WeightCount(shape)} values, got {data.LongLength}", path);
                values.Add(OrtValue.CreateTensorValueFromMemory(data, shape));
            }
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, InputNames, values, OutputNames);
            return results.Select(r => (r.GetTensorDataAsSpan<float>().ToArray(), r.GetTensorTypeAndShape().Shape)).ToArray();
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelFormatException($"ONNX Runtime failed to run the model: {e.Message}", path, null, e);
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    private static SessionOptions NewSessionOptions(OnnxPredictorOptions options)
    {
        // Errors reach the caller as exceptions; ONNX Runtime's own log on stderr would only repeat them, in colour.
        var so = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
        if (options.IntraOpThreads > 0) so.IntraOpNumThreads = options.IntraOpThreads;
        return so;
    }

    private static InferenceSession Open(string modelPath, SessionOptions so)
    {
        try
        {
            return new InferenceSession(modelPath, so);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelFormatException($"ONNX Runtime cannot load the model: {e.Message}", modelPath, null, e);
        }
    }

    private static string FirstLine(string message)
        => message.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "";

    private static long WeightCount(long[] shape) => shape.Aggregate(1L, (a, d) => a * d);

    private static (OnnxProvider, string) ChooseProvider(SessionOptions so, OnnxPredictorOptions options, string file)
    {
        if (options.Provider == OnnxProvider.Cpu) return (OnnxProvider.Cpu, "onnxruntime: CPU provider (requested with --provider cpu)");
        // Ask the system first: where a CUDA library is missing ONNX Runtime is never asked, so its red load error never prints.
        string? why = CudaProbe.MissingLibrary() is { } missing ? "the CUDA provider cannot load: " + CudaProbe.Why(missing) : null;
        if (why is null)
        {
            try
            {
                using (QuietRuntimeLog())
                    so.AppendExecutionProvider_CUDA(options.DeviceId);
                return (OnnxProvider.Cuda, $"onnxruntime: CUDA provider on GPU {options.DeviceId}");
            }
            catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
            {
                why = "the CUDA provider failed to load: " + string.Join(" ", e.Message.ReplaceLineEndings(" ").Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
        }
        if (options.Provider == OnnxProvider.Cuda && options.Strict)
            throw new UnsupportedFeatureException($"CUDA was required but cannot run: {why}", file);
        var asked = options.Provider == OnnxProvider.Cuda ? "CUDA was requested but " : "";
        return (OnnxProvider.Cpu, $"onnxruntime: CPU provider ({asked}{why})");
    }

    /// <summary>
    /// Raises ONNX Runtime's process-wide log threshold to fatal while the provider loads, and puts it back: its
    /// loader logs a failure in colour on stderr before returning it as the error that we report in one line.
    /// </summary>
    private static Restore QuietRuntimeLog()
    {
        var env = OrtEnv.Instance();
        var before = env.EnvLogLevel;
        env.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
        return new Restore(() => env.EnvLogLevel = before);
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    /// <inheritdoc/>
    public void Dispose() => session.Dispose();
}
