using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Models.Binding;
using Zoo.Models.Graph;
using Zoo.Models.Training;
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

    private GraphExecutor executor;
    private readonly string? file;
    private readonly KerasModelOptions? options;
    // Whether large weights share the graph's bytes (an inference model); training rebuilds the executor with copies.
    private bool aliasing;
    private TrainingSession? session;
    // Binding builds layers into shared tables; calls made before it completes take this gate (found by
    // ConcurrentPredictTests: racing first Predicts saw half-built layers). Bound models run without it.
    private readonly object bindGate = new();
    private volatile bool bound;

    private KerasModel(ModelGraph graph, string? file, KerasModelOptions? options, bool aliasing)
    {
        Graph = graph;
        this.file = file;
        this.options = options;
        this.aliasing = aliasing;
        // Until a training session starts, large Dense kernels may use the graph's bytes (inference never writes them).
        executor = new GraphExecutor(graph, graph.Metadata.Dialect, options, aliasStoredWeights: aliasing);
    }

    /// <summary>The executor (tests reach the lowered layers through it).</summary>
    internal GraphExecutor Executor => executor;

    /// <summary>
    /// The model's architecture and the weights as read (<see cref="ExportGraph"/> gives the current ones). Its layers'
    /// <c>trainable</c> flags are live: freezing sets them here, and training follows them.
    /// </summary>
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
        => FromGraph(graph, file, options, aliasing: true);

    private static KerasModel FromGraph(ModelGraph graph, string? file, KerasModelOptions? options, bool aliasing)
    {
        var model = new KerasModel(graph, file, options, aliasing);
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
    /// names and dtypes), ready for <see cref="KerasFile.Save(ModelGraph, string, SaveOptions?)"/>; unchanged weights keep their exact bytes.
    /// </summary>
    public ModelGraph ExportGraph()
    {
        if (!bound) throw new UnsupportedFeatureException($"model '{Graph.Name}': weights are bound on the first Predict when inputs declare no shape; run one first");
        var copy = Graph.DeepClone();
        session?.SyncWrappers();
        executor.ExportInto(copy);
        TrainingState?.WriteInto(copy);
        return copy;
    }

    /// <summary>What a trainer compiled into the model (optimizer and loss, their state), written by <see cref="ExportGraph"/> and <see cref="Save(string, SaveOptions?)"/>.</summary>
    public ITrainingState? TrainingState { get; set; }

    /// <summary>
    /// The model's training view (<see cref="TrainingSession"/>), started on first use with <paramref name="seed"/>
    /// (later calls return the same session). Starting it gives the model its own copy of any weight it shared with
    /// the file's bytes, so training never writes to <see cref="Graph"/>.
    /// </summary>
    /// <exception cref="UnsupportedFeatureException">An input declares no shape: training needs every input's.</exception>
    public TrainingSession Training(int seed = 0)
    {
        if (session is not null) return session;
        var shapes = InputShapes;
        if (shapes.Count == 0 || shapes.Any(s => s is null))
            throw new UnsupportedFeatureException($"model '{Graph.Name}': training needs every input to declare its shape");
        if (aliasing)
        {
            var copying = new GraphExecutor(Graph, Graph.Metadata.Dialect, options, aliasStoredWeights: false);
            var old = executor;
            executor = copying;
            aliasing = false;
            bound = false;
            old.Dispose();
        }
        if (!bound)
        {
            using var _ = no_grad();
            Probe(shapes, batch: 1);
        }
        session = new TrainingSession(this, executor, seed);
        return session;
    }

    /// <summary>The Keras-style summary of the model (layers, output shapes, parameter counts); <c>ToString()</c> prints the table.</summary>
    public Zoo.Formats.Summary.ModelSummary Summary() => Zoo.Formats.Summary.ModelSummary.Of(Graph);

    /// <summary>Saves the model with its current weights (and compiled training state) in the format its name says, or <paramref name="options"/>' format.</summary>
    public void Save(string path, SaveOptions? options = null) => KerasFile.Save(ExportGraph(), path, options);

    /// <summary>Saves the model to <paramref name="stream"/> in <paramref name="options"/>' format (see <see cref="KerasFile.Save(ModelGraph, Stream, SaveOptions, CancellationToken)"/>).</summary>
    public void Save(Stream stream, SaveOptions options, CancellationToken cancellationToken = default)
        => KerasFile.Save(ExportGraph(), stream, options, cancellationToken);

    /// <summary>Loads a Keras model (architecture and weights) from <paramref name="stream"/> and binds its weights.</summary>
    public static KerasModel Load(Stream stream, KerasModelOptions? options = null, CancellationToken cancellationToken = default)
        => FromGraph(KerasFile.Load(stream, options?.FileOptions, cancellationToken), null, options);

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
    public void Dispose()
    {
        session?.Dispose();
        executor.Dispose();
    }
}
