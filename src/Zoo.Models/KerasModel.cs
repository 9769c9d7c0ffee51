using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Models.Binding;
using Zoo.Models.Graph;
using static TorchSharp.torch;

namespace Zoo.Models;

/// <summary>
/// A Keras model made runnable on TorchSharp with Keras's numerics. Inputs and outputs are in Keras's
/// own layout (channels last for images), whatever torch uses inside.
/// <code>
/// using var model = KerasModel.Load("m.h5");
/// var y = model.Predict(x, new long[] { 1, 28, 28, 1 });
/// </code>
/// Weights are bound strictly by name when the model is loaded; any missing, unexpected or mis-shaped
/// weight raises a <see cref="WeightMismatchException"/> (see <see cref="Binding"/>).
/// Thread safety: <see cref="Predict(Tensor[])"/> and its overloads may be called from many threads at once on one
/// model (inference changes no state once weights are bound; a first call that binds them is serialized).
/// <see cref="Dispose"/> must not race a call, and training a model while another thread predicts is not supported.
/// </summary>
public sealed class KerasModel : IDisposable
{
    /// <summary>Size used for unknown non-batch dimensions when probing a model at load time.</summary>
    private const long ProbeSize = 32;

    private readonly GraphExecutor executor;
    private readonly string? file;
    // Binding builds layers into shared tables; calls made before it completes take this gate (found by
    // ConcurrentPredictTests: racing first Predicts saw half-built layers). Bound models run without it.
    private readonly object bindGate = new();
    private volatile bool bound;

    private KerasModel(ModelGraph graph, string? file, KerasModelOptions? options)
    {
        Graph = graph;
        this.file = file;
        // Inference only: large Dense kernels may use the graph's bytes (KerasModel never writes to its weights).
        executor = new GraphExecutor(graph, graph.Metadata.Dialect, options, aliasStoredWeights: true);
    }

    /// <summary>The executor (tests reach the lowered layers through it).</summary>
    internal GraphExecutor Executor => executor;

    /// <summary>The model as read.</summary>
    public ModelGraph Graph { get; }

    /// <summary>What weight binding found; complete once the model is bound (at load when input shapes are declared).</summary>
    public BindingReport Binding => executor.Report;

    /// <summary>Names of the inputs, in the model's order.</summary>
    public IReadOnlyList<string> InputNames => executor.InputNames;

    /// <summary>Names of the outputs, in the model's order.</summary>
    public IReadOnlyList<string> OutputNames => executor.OutputNames;

    /// <summary>Declared input shapes, batch first, null where Keras left them open.</summary>
    public IReadOnlyList<long?[]?> InputShapes => executor.InputShapes();

    /// <summary>Loads a Keras model file that holds architecture and weights (full H5, <c>.keras</c>) and binds its weights.</summary>
    public static KerasModel Load(string path, KerasModelOptions? options = null)
        => FromGraph(KerasFile.Load(path, options?.FileOptions), path, options);

    /// <summary>Loads an architecture file (JSON, YAML, H5, <c>.keras</c>) and a separate weights file.</summary>
    public static KerasModel Load(string architecturePath, string weightsPath, KerasModelOptions? options = null)
        => FromGraph(KerasFile.Load(architecturePath, weightsPath, options?.FileOptions), weightsPath, options);

    /// <summary>
    /// Makes <paramref name="graph"/> runnable. When every input declares its shape, one probe pass builds
    /// every layer and binds every weight now, so a bad file fails here rather than at the first Predict.
    /// </summary>
    public static KerasModel FromGraph(ModelGraph graph, string? file = null, KerasModelOptions? options = null)
    {
        var model = new KerasModel(graph, file, options);
        try
        {
            var shapes = model.InputShapes;
            if (shapes.Count > 0 && shapes.All(s => s is not null))
            {
                using var _ = no_grad();
                // An empty batch builds and binds every layer without computing anything; a layer whose ops
                // refuse empty tensors gets the classic one-sample probe (layers built so far stay built).
                try { model.Probe(shapes, batch: 0); }
                catch (Exception e) when (e is not ZooException) { model.Probe(shapes, batch: 1); }
            }
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Runs the model on Keras-layout inputs, one per model input; returns one tensor per output.</summary>
    public Tensor[] Predict(params Tensor[] inputs)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = inputs.Select(t => t.dtype == ScalarType.Float32 || !t.is_floating_point() ? t : t.to_type(ScalarType.Float32)).ToArray();
        Tensor[] y;
        if (bound) y = executor.Run(x);
        else lock (bindGate) y = bound ? executor.Run(x) : Bind(x);
        return y.Select(t => t.contiguous().MoveToOuterDisposeScope()).ToArray();
    }

    /// <summary>
    /// Runs the model and returns every layer call's first output (Keras layout), keyed by layer name
    /// (<c>layer#k</c> for a shared layer's call k, <c>model/layer</c> inside nested models), to find the
    /// first layer where a model diverges from Keras.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> PredictActivations(params Tensor[] inputs)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var x = inputs.Select(t => t.dtype == ScalarType.Float32 || !t.is_floating_point() ? t : t.to_type(ScalarType.Float32)).ToArray();
            void Observe(string name, Tensor[] outs) => result[name] = outs[0].contiguous().MoveToOuterDisposeScope();
            if (bound) executor.Run(x, Observe);
            else lock (bindGate) { executor.Run(x, Observe); if (!bound) FinishBinding(); }
        }
        return result;
    }

    /// <summary>
    /// A copy of <see cref="Graph"/> whose weights are the ones the torch layers hold now (Keras layout, stored
    /// names and dtypes), ready for <see cref="KerasFile.Save"/>; unchanged weights keep their exact bytes.
    /// </summary>
    public ModelGraph ExportGraph()
    {
        if (!bound) throw new UnsupportedFeatureException($"model '{Graph.Name}': weights are bound on the first Predict when inputs declare no shape; run one first");
        var copy = Graph.DeepClone();
        executor.ExportInto(copy);
        return copy;
    }

    /// <summary>Runs a single-input single-output model on a Keras-layout tensor.</summary>
    public Tensor Predict(Tensor input)
    {
        var y = Predict(new[] { input });
        if (y.Length != 1)
        {
            foreach (var t in y) t.Dispose();
            throw new UnsupportedFeatureException($"model '{Graph.Name}' has {y.Length} outputs; call Predict(params Tensor[])");
        }
        return y[0];
    }

    /// <summary>Runs a single-input single-output model on row-major data of <paramref name="shape"/> (batch first, Keras layout).</summary>
    public float[] Predict(float[] input, long[] shape) => Predict(input, shape, out _);

    /// <summary>As <see cref="Predict(float[], long[])"/>, also giving the output's shape.</summary>
    public float[] Predict(float[] input, long[] shape, out long[] outputShape)
    {
        using var x = tensor(input, shape);
        using var y = Predict(x);
        outputShape = y.shape;
        return y.data<float>().ToArray();
    }

    private void Probe(IReadOnlyList<long?[]?> shapes, long batch)
    {
        using var scope = NewDisposeScope();
        Bind(shapes.Select(s => ones(s!.Select((d, i) => i == 0 ? batch : d ?? ProbeSize).ToArray())).ToArray());
    }

    private Tensor[] Bind(Tensor[] inputs)
    {
        var y = executor.Run(inputs);
        FinishBinding();
        return y;
    }

    private void FinishBinding()
    {
        executor.ReportUncalled();
        executor.Report.ThrowIfIncomplete(file);
        bound = true;
    }

    /// <inheritdoc/>
    public void Dispose() => executor.Dispose();
}
