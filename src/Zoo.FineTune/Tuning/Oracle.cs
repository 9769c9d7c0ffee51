using System.Globalization;

namespace Zoo.FineTune.Tuning;

/// <summary>
/// Decides which trial runs next, with Keras Tuner's oracle semantics: trial ids are the trial's number
/// zero-padded to the digits of <c>max_trials</c> (4 without one), each hyperparameter draw uses the running
/// seed state, a random configuration already tried is redrawn (the space counts as exhausted after 20
/// collisions in a row), and a search stops at <c>max_trials</c>. Deterministic: the same seed and the same
/// trial results give the same trials, which is what lets an interrupted search be replayed from its log.
/// </summary>
public abstract class Oracle
{
    private const int MaxCollisions = 20;
    private readonly HashSet<string> triedSoFar = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Trial Trial, TrialResult? Result)> trials = new(StringComparer.Ordinal);
    private int seedState;

    /// <summary>An oracle over <paramref name="space"/>, optimising <paramref name="objective"/>.</summary>
    protected Oracle(SearchSpace space, Objective objective, int seed, int? maxTrials)
    {
        if (maxTrials is < 1) throw new ArgumentOutOfRangeException(nameof(maxTrials), maxTrials, "max_trials must be at least 1");
        Space = space;
        Objective = objective;
        Seed = seed;
        seedState = seed;
        MaxTrials = maxTrials;
    }

    /// <summary>The search space.</summary>
    public SearchSpace Space { get; }

    /// <summary>The objective.</summary>
    public Objective Objective { get; }

    /// <summary>The seed the draws start from.</summary>
    public int Seed { get; }

    /// <summary>The most trials to create, or null for no limit.</summary>
    public int? MaxTrials { get; }

    /// <summary>Trials created so far, in order.</summary>
    public IReadOnlyList<Trial> Trials => trials.Values.Select(t => t.Trial).OrderBy(t => t.Index).ToArray();

    /// <summary>The result of trial <paramref name="id"/>, or null while it runs.</summary>
    public TrialResult? ResultOf(string id) => trials.TryGetValue(id, out var t) ? t.Result : null;

    /// <summary>The next trial, or null when the search is over.</summary>
    public Trial? CreateTrial()
    {
        if (MaxTrials is { } max && trials.Count >= max) return null;
        int width = (MaxTrials?.ToString(CultureInfo.InvariantCulture) ?? "None").Length;
        var id = trials.Count.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');
        var trial = Populate(id, trials.Count);
        if (trial is null) return null;
        triedSoFar.Add(SearchSpace.Hash(IdentityValues(trial)));
        trials[id] = (trial, null);
        return trial;
    }

    /// <summary>Records <paramref name="trial"/>'s result.</summary>
    public void EndTrial(Trial trial, TrialResult result)
    {
        if (!trials.ContainsKey(trial.Id)) throw new InvalidOperationException($"trial {trial.Id} was not created by this oracle");
        trials[trial.Id] = (trial, result);
        OnTrialEnded(trial, result);
    }

    /// <summary>The trial that should run as <paramref name="id"/> (number <paramref name="index"/>), or null to stop.</summary>
    protected abstract Trial? Populate(string id, int index);

    /// <summary>Called after a result is recorded.</summary>
    protected virtual void OnTrialEnded(Trial trial, TrialResult result) { }

    /// <summary>
    /// The values that identify a configuration for duplicate detection: the hyperparameters, plus the parent
    /// for a promoted trial (Keras Tuner hashes <c>tuner/trial_id</c> but not the epoch and bracket entries).
    /// </summary>
    protected static IReadOnlyDictionary<string, string> IdentityValues(Trial trial)
    {
        if (trial.ParentId is null) return trial.Values;
        return new SortedDictionary<string, string>(trial.Values, StringComparer.Ordinal) { ["tuner/trial_id"] = trial.ParentId };
    }

    /// <summary>A configuration not tried yet, or null once 20 draws in a row collided (the space is exhausted).</summary>
    protected SortedDictionary<string, string>? RandomValues()
    {
        for (int collisions = 0; ; collisions++)
        {
            var values = Space.Sample(ref seedState);
            if (!triedSoFar.Contains(SearchSpace.Hash(values))) return values;
            if (collisions >= MaxCollisions) return null;
        }
    }

    /// <summary>The completed trials among <paramref name="ids"/>, best first (ties keep their order).</summary>
    protected IEnumerable<Trial> BestFirst(IEnumerable<string> ids)
    {
        var done = ids.Select(id => trials[id]).Where(t => t.Result is { Status: TrialStatus.Completed, Score: not null }).ToList();
        return (Objective.Maximize ? done.OrderByDescending(t => t.Result!.Score!.Value) : done.OrderBy(t => t.Result!.Score!.Value)).Select(t => t.Trial);
    }

    /// <summary>Whether trial <paramref name="id"/> completed with a score.</summary>
    protected bool IsCompleted(string id) => trials.TryGetValue(id, out var t) && t.Result is { Status: TrialStatus.Completed };

    /// <summary>The best completed trial so far, or null.</summary>
    public Trial? BestTrial() => BestFirst(trials.Keys.OrderBy(k => trials[k].Trial.Index)).FirstOrDefault();
}
