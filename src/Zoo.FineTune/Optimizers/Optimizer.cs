using System.Text.Json.Nodes;
using Zoo.FineTune.Optimizers.Schedules;
using static TorchSharp.torch;

namespace Zoo.FineTune.Optimizers;

/// <summary>
/// A Keras optimizer: <see cref="LearningRate"/> is the variable Keras's callbacks read and set, and
/// <see cref="Iterations"/> counts applied steps as Keras's <c>optimizer.iterations</c> does.
/// Updates run in place on the weights, outside autograd.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly Dictionary<Tensor, Tensor?[]> slots = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates an optimizer with learning rate <paramref name="learningRate"/>.</summary>
    protected Optimizer(double learningRate)
    {
        if (!(learningRate >= 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "the learning rate must be zero or more");
        LearningRate = learningRate;
    }

    private double learningRate;

    /// <summary>
    /// The learning rate of the next update. Epoch callbacks (LearningRateScheduler, ReduceLROnPlateau) set it;
    /// with a <see cref="Schedule"/> it is the schedule's value at <see cref="Iterations"/> and, as in Keras,
    /// cannot be set.
    /// </summary>
    /// <exception cref="InvalidOperationException">Set while a <see cref="Schedule"/> drives the rate.</exception>
    public double LearningRate
    {
        get => Schedule?.At(Iterations) ?? learningRate;
        set => learningRate = Schedule is null ? value
            : throw new InvalidOperationException($"the {KerasName} optimizer's learning rate follows {Schedule.KerasClassName}, so it cannot be set (Keras refuses too); remove the epoch callback or the schedule");
    }

    /// <summary>
    /// A per-step schedule (Keras's <c>learning_rate=keras.optimizers.schedules.…</c>): evaluated before every
    /// update at the number of updates applied so far, and saved as the optimizer's <c>learning_rate</c>.
    /// <code>var sgd = new Sgd(momentum: 0.9) { Schedule = new ExponentialDecay(0.1, decaySteps: 100, decayRate: 0.96, staircase: true) };</code>
    /// </summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>Number of steps applied so far.</summary>
    public long Iterations { get; private set; }

    /// <summary>Keras's name of the optimizer (<c>SGD</c>, <c>Adam</c>, <c>RMSprop</c>).</summary>
    public abstract string KerasName { get; }

    /// <summary>
    /// The optimizer as tf.keras 2.15 writes it in <c>training_config.optimizer_config</c>
    /// (<c>{"class_name": "Custom>Adam", "config": {...}}</c>).
    /// </summary>
    public JsonObject KerasConfig()
    {
        var config = new JsonObject
        {
            ["name"] = KerasName, ["weight_decay"] = null, ["clipnorm"] = null, ["global_clipnorm"] = null, ["clipvalue"] = null,
            ["use_ema"] = false, ["ema_momentum"] = 0.99, ["ema_overwrite_frequency"] = null, ["jit_compile"] = false,
            ["is_legacy_optimizer"] = false, ["learning_rate"] = Schedule is { } schedule ? schedule.KerasConfig() : LearningRate,
        };
        foreach (var (k, v) in Hyperparameters()) config[k] = v;
        return new JsonObject { ["class_name"] = "Custom>" + KerasName, ["config"] = config };
    }

    /// <summary>The optimizer's own hyperparameters, by Keras name.</summary>
    protected abstract IEnumerable<(string Key, JsonNode? Value)> Hyperparameters();

    /// <summary>Number of state tensors the optimizer keeps per weight.</summary>
    protected abstract int SlotCount { get; }

    /// <summary>Applies one step to <paramref name="weights"/> from their <c>grad</c> (weights without one are skipped).</summary>
    public void Step(IReadOnlyList<Tensor> weights)
    {
        using var _ = no_grad();
        // Keras evaluates the rate (and a schedule) at the count of updates already applied, then counts this one.
        long step = Iterations + 1;
        foreach (var w in weights)
        {
            // One scope per weight: its temporaries are freed before the next weight's are made, so the
            // allocator hands the same warm memory back instead of growing by a model's worth every step.
            using var scope = NewDisposeScope();
            var g = w.grad;
            if (g is null) continue;
            if (!slots.TryGetValue(w, out var state))
            {
                // Slots the update never reads (SGD's without momentum) stay unallocated; export writes their zeros.
                state = Enumerable.Range(0, SlotCount).Select(s => Allocates(s) ? zeros_like(w).DetachFromDisposeScope() : null).ToArray();
                slots[w] = state;
            }
            Update(w, g, state, step);
        }
        Iterations = step;
    }

    /// <summary>Keras's names of the state variables, by slot (<c>m</c>, <c>v</c>, <c>velocity</c>, …).</summary>
    protected abstract IReadOnlyList<string> SlotNames { get; }

    /// <summary>Whether Keras creates the state of slot <paramref name="slot"/> (e.g. RMSprop's momentum only when momentum &gt; 0).</summary>
    protected virtual bool Creates(int slot) => true;

    /// <summary>Whether <see cref="Update"/> reads slot <paramref name="slot"/>; slots it never reads are not allocated.</summary>
    protected virtual bool Allocates(int slot) => Creates(slot);

    /// <summary>True when Keras lists the state weight by weight (Adam: m, v of each); false when slot by slot (RMSprop).</summary>
    protected virtual bool Interleaved => false;

    /// <summary>The state Keras saves, in its order: (slot name, weight index, state or null when never stepped).</summary>
    internal IEnumerable<(string Slot, int Weight, Tensor? State)> SavedState(IReadOnlyList<Tensor> weights)
    {
        var slotsKept = Enumerable.Range(0, SlotCount).Where(Creates).ToArray();
        var pairs = Interleaved
            ? Enumerable.Range(0, weights.Count).SelectMany(w => slotsKept.Select(s => (s, w)))
            : slotsKept.SelectMany(s => Enumerable.Range(0, weights.Count).Select(w => (s, w)));
        foreach (var (s, w) in pairs)
            yield return (SlotNames[s], w, slots.TryGetValue(weights[w], out var state) ? state[s] : null);
    }

    /// <summary>Whether Keras 3 creates the state of slot <paramref name="slot"/> (its SGD makes momentum only when momentum ≠ 0).</summary>
    protected virtual bool CreatesInKeras3(int slot) => Creates(slot);

    /// <summary>
    /// The optimizer's variables as Keras 3 saves them (<c>optimizer/vars/N</c>): <c>iteration</c>, the
    /// <c>learning_rate</c> variable (absent when a schedule drives the rate), then each slot as Keras 3's
    /// <c>build</c> creates them over the trainable variables (Adam interleaves momentum and velocity per variable).
    /// </summary>
    internal IEnumerable<(string Slot, int Weight, Tensor? State)> Keras3State(IReadOnlyList<Tensor> weights)
        => SavedState(weights).Where(s => CreatesInKeras3(Array.IndexOf(SlotNames.ToArray(), s.Slot)));

    /// <summary>
    /// Updates <paramref name="weight"/> in place from <paramref name="gradient"/> at step <paramref name="step"/> (1-based);
    /// <paramref name="state"/> holds a tensor for every slot that <see cref="Allocates"/>, null for the others.
    /// </summary>
    protected abstract void Update(Tensor weight, Tensor gradient, Tensor?[] state, long step);

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var s in slots.Values) foreach (var t in s) t?.Dispose();
        slots.Clear();
        GC.SuppressFinalize(this);
    }
}
