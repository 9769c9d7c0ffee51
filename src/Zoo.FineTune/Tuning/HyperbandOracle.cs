namespace Zoo.FineTune.Tuning;

/// <summary>
/// Keras Tuner's Hyperband oracle. Brackets run from the most aggressive (s_max) down to 0, repeated
/// <see cref="Iterations"/> times. In a bracket, round 0 trains <see cref="HyperbandSchedule.Size"/> random
/// configurations for <see cref="HyperbandSchedule.Epochs"/>(s, 0) epochs; each later round promotes the best
/// completed trials of the round before (one at a time, best first, while more candidates remain than the
/// round will drop), each continuing from its parent's weights from epoch <c>tuner/initial_epoch</c> to
/// <c>tuner/epochs</c>. A bracket ends when its last round is full. When no random configuration is left
/// (the space is exhausted) the search stops.
/// </summary>
public sealed class HyperbandOracle : Oracle
{
    private sealed record Slot(string? PastId, string Id);
    private sealed record Bracket(int Number, List<Slot>[] Rounds);

    private readonly List<Bracket> brackets = new();
    private int currentBracket;
    private int currentIteration;

    /// <summary>Hyperband over <paramref name="space"/>; <paramref name="maxTrials"/> optionally caps the number of trials.</summary>
    public HyperbandOracle(SearchSpace space, Objective objective, int seed, int maxEpochs, int factor = 3, int iterations = 1, int? maxTrials = null)
        : base(space, objective, seed, maxTrials)
    {
        if (iterations < 1) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "hyperband_iterations must be at least 1");
        Schedule = new HyperbandSchedule(maxEpochs, factor);
        Iterations = iterations;
        currentBracket = Schedule.Brackets - 1;
        StartBracket();
    }

    /// <summary>The bracket arithmetic.</summary>
    public HyperbandSchedule Schedule { get; }

    /// <summary>How many times the whole set of brackets runs (<c>hyperband_iterations</c>).</summary>
    public int Iterations { get; }

    /// <inheritdoc/>
    protected override Trial? Populate(string id, int index)
    {
        brackets.RemoveAll(b => b.Rounds[^1].Count == Schedule.Size(b.Number, b.Rounds.Length - 1));
        foreach (var bracket in brackets)
        {
            if (bracket.Rounds[0].Count < Schedule.Size(bracket.Number, 0)) return RandomTrial(id, index, bracket);
            for (int round = 1; round < bracket.Rounds.Length; round++)
            {
                var promoted = bracket.Rounds[round].Select(s => s.PastId).ToHashSet(StringComparer.Ordinal);
                var candidates = bracket.Rounds[round - 1].Where(s => !promoted.Contains(s.Id) && IsCompleted(s.Id)).Select(s => s.Id).ToList();
                if (candidates.Count <= Schedule.Size(bracket.Number, round - 1) - Schedule.Size(bracket.Number, round)) continue;
                var best = BestFirst(candidates).First();
                bracket.Rounds[round].Add(new Slot(best.Id, id));
                return new Trial(id, index, best.Values, Schedule.Epochs(bracket.Number, round - 1), Schedule.Epochs(bracket.Number, round),
                    best.Id, bracket.Number, round);
            }
        }
        if (currentBracket == 0 && currentIteration + 1 == Iterations) return null;
        currentBracket--;
        if (currentBracket < 0)
        {
            currentBracket = Schedule.Brackets - 1;
            currentIteration++;
        }
        StartBracket();
        return RandomTrial(id, index, brackets[^1]);
    }

    private void StartBracket()
        => brackets.Add(new Bracket(currentBracket, Enumerable.Range(0, Schedule.Rounds(currentBracket)).Select(_ => new List<Slot>()).ToArray()));

    private Trial? RandomTrial(string id, int index, Bracket bracket)
    {
        if (RandomValues() is not { } values) return null;
        bracket.Rounds[0].Add(new Slot(null, id));
        return new Trial(id, index, values, 0, Schedule.Epochs(bracket.Number, 0), null, bracket.Number, 0);
    }
}
