using TorchSharp;
using Zoo.Formats;
using Zoo.Formats.Layers;
using Zoo.Models.Binding;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>
/// One Keras layer made runnable on TorchSharp. <see cref="Forward(IReadOnlyList{Tensor})"/> takes and gives
/// Keras layout (channels last unless the layer's config says otherwise), so every answer is Keras's; a
/// lowering whose <see cref="Affinity"/> allows it also runs channels-first, so the graph executor can keep
/// torch's layout from one convolution to the next instead of converting around each.
/// Weights are kept in torch layout; <see cref="ToTorch"/> and <see cref="ToKeras"/> convert, and
/// <see cref="ExportWeights"/> gives them back in Keras layout.
/// </summary>
public abstract class LoweredLayer : IDisposable
{
    private Tensor[] parameters = Array.Empty<Tensor>();

    /// <summary>Lowers <paramref name="spec"/>.</summary>
    protected LoweredLayer(LayerSpec spec) => Spec = spec;

    /// <summary>The layer's typed config.</summary>
    public LayerSpec Spec { get; }

    /// <summary>The layer's name.</summary>
    public string Name => Spec.Name;

    /// <summary>The weights Keras creates for this layer, known once <see cref="Build"/> ran.</summary>
    public IReadOnlyList<WeightSpec> Expected { get; private set; } = Array.Empty<WeightSpec>();

    /// <summary>True once <see cref="Build"/> ran (a shared layer is built by its first call only).</summary>
    public bool IsBuilt { get; private set; }

    /// <summary>True once weights were loaded (or the layer has none).</summary>
    public bool IsLoaded { get; private set; }

    /// <summary>Fixes the weights this layer needs, from the shapes of its first call (batch first).</summary>
    public IReadOnlyList<WeightSpec> Build(IReadOnlyList<long[]> inputShapes)
    {
        if (!IsBuilt)
        {
            Expected = ExpectedWeights(inputShapes);
            IsBuilt = true;
            IsLoaded = Expected.Count == 0;
            OnBuilt(inputShapes);
        }
        return Expected;
    }

    /// <summary>Loads Keras-layout weights in <see cref="Expected"/> order; shapes must match exactly.</summary>
    public void Load(IReadOnlyList<Tensor> kerasWeights)
    {
        if (!IsBuilt) throw new InvalidOperationException($"layer '{Name}' must be built before loading weights");
        if (kerasWeights.Count != Expected.Count)
            throw new WeightMismatchException(Name, "(all)", $"{Expected.Count} weights", $"{kerasWeights.Count}");
        for (int i = 0; i < Expected.Count; i++)
            if (!kerasWeights[i].shape.SequenceEqual(Expected[i].Shape))
                throw new WeightMismatchException(Name, Expected[i].Name, Expected[i].ShapeText, "[" + string.Join(",", kerasWeights[i].shape) + "]");
        foreach (var p in parameters) p.Dispose();
        parameters = kerasWeights.Select((w, i) => Keep(OwnedCopy(ToTorch(i, w)))).ToArray();
        IsLoaded = true;
        OnLoaded();
    }

    /// <summary>
    /// As <see cref="Load"/> for tensors the caller hands over (fresh copies nobody else holds), each in Keras
    /// layout or, where <paramref name="torchLayout"/> says so, already in this layer's torch layout: a weight
    /// that needs no conversion is kept as given, so binding a file copies each weight once. The layer
    /// disposes what it does not keep.
    /// </summary>
    internal void LoadOwned(Tensor[] weights, bool[] torchLayout)
    {
        if (!IsBuilt || weights.Length != Expected.Count)
        {
            // The binder checked every shape; anything else still gets Load's error.
            try { Load(weights); }
            finally { foreach (var w in weights) w.Dispose(); }
            return;
        }
        foreach (var p in parameters) p.Dispose();
        parameters = new Tensor[weights.Length];
        for (int i = 0; i < weights.Length; i++)
        {
            var w = weights[i];
            var t = torchLayout[i] ? w : ToTorch(i, w);
            if (ReferenceEquals(t, w) && w.is_contiguous()) { parameters[i] = Keep(w); continue; }
            parameters[i] = Keep(OwnedCopy(t));
            if (!ReferenceEquals(t, w)) t.Dispose();
            w.Dispose();
        }
        IsLoaded = true;
        OnLoaded();
    }

    /// <summary>
    /// How weight <paramref name="index"/> is kept when <see cref="WeightCopy"/> can put it straight into torch
    /// layout (it must match <see cref="ToTorch"/>); <see cref="TorchWeightLayout.Other"/> (the default) uses <see cref="ToTorch"/>.
    /// </summary>
    internal virtual TorchWeightLayout TorchLayoutOf(int index) => TorchWeightLayout.Other;

    /// <summary>
    /// True for lowerings that never write to their weights outside training (no statistics updated at
    /// inference, no data-dependent initialization): an inference model may then let their Keras-layout
    /// weights use the file's bytes without a copy.
    /// </summary>
    internal virtual bool KeepsStoredWeights => false;

    /// <summary>
    /// One copy of <paramref name="t"/> into new contiguous torch memory: the caller's tensor may be a view
    /// of the model file's bytes, which a trainer's in-place updates must never reach.
    /// </summary>
    private static Tensor OwnedCopy(Tensor t)
    {
        using var _ = no_grad();
        var owned = empty(t.shape, dtype: t.dtype, device: t.device);
        owned.copy_(t);
        return owned;
    }

    /// <summary>The weights in Keras layout and order (new tensors the caller disposes).</summary>
    public IReadOnlyList<Tensor> ExportWeights() => parameters.Select((p, i) => ToKeras(i, p).contiguous().clone()).ToArray();

    /// <summary>Runs the layer on one call's inputs (Keras layout); returns the call's outputs.</summary>
    public abstract Tensor[] Forward(IReadOnlyList<Tensor> inputs);

    /// <summary>
    /// The layouts this layer runs in when the executor carries tensors channels-first between layers;
    /// <see cref="LayoutAffinity.Keras"/> (the default) has the executor hand it Keras-layout inputs.
    /// </summary>
    public virtual LayoutAffinity Affinity => LayoutAffinity.Keras;

    /// <summary>
    /// Runs one call on channels-first inputs ((N, C, s₁…s_r) for a Keras (N, s₁…s_r, C) tensor; tensors of rank
    /// ≤ 2 as they are) and returns its outputs in the same convention, with exactly the values
    /// <see cref="Forward(IReadOnlyList{Tensor})"/> gives in Keras layout. The executor calls it only when
    /// <see cref="Affinity"/> is not <see cref="LayoutAffinity.Keras"/> and no input carries a mask.
    /// </summary>
    public virtual Tensor[] ForwardChannelsFirst(IReadOnlyList<Tensor> inputs)
        => throw new InvalidOperationException($"layer '{Name}' ({Spec.ClassName}) runs in Keras layout only");

    /// <summary>What the layer does with a mask on its input; <see cref="MaskBehavior.Drops"/> unless it says otherwise.</summary>
    public virtual MaskBehavior Masking => MaskBehavior.Drops;

    /// <summary>
    /// Runs one call whose inputs carry Keras masks (null where none), returning the outputs and a mask per
    /// output. Without masks this is <see cref="Forward(IReadOnlyList{Tensor})"/>; layers that make or use
    /// masks (Embedding, Masking, recurrent layers) override it.
    /// </summary>
    public virtual (Tensor[] Outputs, Tensor?[] Masks) Forward(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks)
    {
        var mask = Masks.And(masks);
        if (mask is not null && Masking == MaskBehavior.Refuses)
            throw Masks.Refused(this, "Zoo does not reproduce how Keras uses it in this layer");
        var outputs = Forward(inputs);
        var carried = mask is not null && Masking == MaskBehavior.PassesThrough ? mask : null;
        return (outputs, outputs.Select((_, i) => i == 0 ? carried : null).ToArray());
    }

    /// <summary>
    /// True for layers that compute something else in a training call (Dropout drops, BatchNormalization uses the
    /// batch's statistics): the executor then sends training calls to <see cref="ForwardTraining(IReadOnlyList{Tensor}, CallContext)"/>.
    /// </summary>
    public virtual bool TrainingDiffers => false;

    /// <summary>
    /// True when <see cref="OnLoaded"/> derives tensors from the weights that forward uses instead of them (fused
    /// recurrent cells, BatchNormalization's folded scale): a trainer re-derives them before each run
    /// (<see cref="ParametersChanged"/>), so what it computes always follows the weights as they are now. A lowering
    /// whose forward reads its weights directly keeps the default, false.
    /// </summary>
    public virtual bool CachesDerivedWeights => false;

    /// <summary>
    /// Runs one call in <paramref name="context"/>: the executor's entry point. Inference calls, and layers whose
    /// training does not differ, run <see cref="Forward(IReadOnlyList{Tensor}, IReadOnlyList{Tensor?})"/>.
    /// </summary>
    public (Tensor[] Outputs, Tensor?[] Masks) Forward(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks, CallContext context)
    {
        if (!context.Training || !TrainingDiffers) return Forward(inputs, masks);
        var mask = Masks.And(masks);
        if (mask is not null && Masking == MaskBehavior.Refuses)
            throw Masks.Refused(this, "Zoo does not reproduce how Keras uses it in this layer");
        var outputs = ForwardTraining(inputs, context);
        var carried = mask is not null && Masking == MaskBehavior.PassesThrough ? mask : null;
        return (outputs, outputs.Select((_, i) => i == 0 ? carried : null).ToArray());
    }

    /// <summary>
    /// One training call (Keras layout) of a layer whose <see cref="TrainingDiffers"/>; <paramref name="context"/> says
    /// whether the layer is trainable and holds the random generator. Runs <see cref="Forward(IReadOnlyList{Tensor})"/> by default.
    /// </summary>
    protected virtual Tensor[] ForwardTraining(IReadOnlyList<Tensor> inputs, CallContext context) => Forward(inputs);

    /// <summary>Converts weight <paramref name="index"/> from Keras to torch layout (identity by default).</summary>
    protected virtual Tensor ToTorch(int index, Tensor keras) => keras;

    /// <summary>Converts weight <paramref name="index"/> from torch back to Keras layout (identity by default).</summary>
    protected virtual Tensor ToKeras(int index, Tensor torchLayout) => torchLayout;

    /// <summary>The weights this layer expects for input shapes <paramref name="inputShapes"/>; the spec's by default (custom layers override).</summary>
    protected virtual IReadOnlyList<WeightSpec> ExpectedWeights(IReadOnlyList<long[]> inputShapes) => Spec.Weights(inputShapes);

    /// <summary>Called once when the layer is built, with its first call's input shapes (wrappers build their inner layers here).</summary>
    protected virtual void OnBuilt(IReadOnlyList<long[]> inputShapes) { }

    /// <summary>The loaded weights, torch layout, in <see cref="Expected"/> order.</summary>
    protected IReadOnlyList<Tensor> Parameters => parameters;

    /// <summary>
    /// The loaded weights themselves (torch layout, <see cref="Expected"/> order) for a trainer: it marks them
    /// as requiring gradients and updates them in place, then calls <see cref="ParametersChanged"/>.
    /// </summary>
    internal IReadOnlyList<Tensor> TrainableTensors => parameters;

    /// <summary>A tensor shaped like weight <paramref name="index"/> (torch layout), such as optimizer state, in Keras layout (a new tensor).</summary>
    internal Tensor KerasLayoutOf(int index, Tensor torchLayout) => ToKeras(index, torchLayout).contiguous().clone();

    /// <summary>
    /// The layers a wrapper runs, whose weights are its own in Keras layout and order (Bidirectional: forward
    /// then backward; TimeDistributed: the inner layer); empty for every other layer. A trainer trains these.
    /// </summary>
    internal virtual IReadOnlyList<LoweredLayer> InnerLayers => Array.Empty<LoweredLayer>();

    /// <summary>Re-derives what forward caches from the weights after a trainer changed them in place.</summary>
    internal void ParametersChanged() => OnLoaded();

    /// <summary>Called after weights were loaded, to derive what forward needs.</summary>
    protected virtual void OnLoaded() { }

    /// <summary>The loaded weight named <paramref name="name"/> (torch layout); null when the layer has none such (e.g. no bias).</summary>
    protected Tensor? Param(string name)
    {
        for (int i = 0; i < Expected.Count; i++)
            if (Expected[i].Name == name) return parameters[i];
        return null;
    }

    /// <summary>
    /// Takes a tensor the layer keeps across calls out of any enclosing dispose scope, so Predict's
    /// per-call scope never frees weights.
    /// </summary>
    protected static Tensor Keep(Tensor t) => t.DetachFromDisposeScope();

    /// <summary>The single input of a one-input layer.</summary>
    protected Tensor Single(IReadOnlyList<Tensor> inputs)
        => inputs.Count == 1 ? inputs[0]
            : throw new ModelFormatException($"layer '{Name}' ({Spec.ClassName}): expected one input, found {inputs.Count}");

    /// <summary>Disposes the weights.</summary>
    public virtual void Dispose()
    {
        foreach (var p in parameters) p.Dispose();
        parameters = Array.Empty<Tensor>();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A layer with one input and one output.</summary>
public abstract class UnaryLayer : LoweredLayer
{
    /// <summary>Lowers <paramref name="spec"/>.</summary>
    protected UnaryLayer(LayerSpec spec) : base(spec) { }

    /// <inheritdoc/>
    public sealed override Tensor[] Forward(IReadOnlyList<Tensor> inputs) => new[] { Forward(Single(inputs)) };

    /// <summary>Runs the layer on <paramref name="x"/>.</summary>
    public abstract Tensor Forward(Tensor x);

    /// <inheritdoc/>
    public sealed override Tensor[] ForwardChannelsFirst(IReadOnlyList<Tensor> inputs) => new[] { ForwardChannelsFirst(Single(inputs)) };

    /// <summary>Runs the layer on channels-first <paramref name="x"/> (see <see cref="LoweredLayer.ForwardChannelsFirst(IReadOnlyList{Tensor})"/>).</summary>
    public virtual Tensor ForwardChannelsFirst(Tensor x)
        => throw new InvalidOperationException($"layer '{Name}' ({Spec.ClassName}) runs in Keras layout only");

    /// <inheritdoc/>
    protected sealed override Tensor[] ForwardTraining(IReadOnlyList<Tensor> inputs, CallContext context) => new[] { ForwardTraining(Single(inputs), context) };

    /// <summary>One training call on <paramref name="x"/> (Keras layout) of a layer whose <see cref="LoweredLayer.TrainingDiffers"/>.</summary>
    protected virtual Tensor ForwardTraining(Tensor x, CallContext context) => Forward(x);
}
