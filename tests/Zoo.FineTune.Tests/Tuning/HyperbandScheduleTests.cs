using Zoo.FineTune.Tuning;

namespace Zoo.FineTune.Tests.Tuning;

/// <summary>
/// Hyperband's brackets and budgets against tables worked out by hand from Keras Tuner's formulas:
/// brackets = how often max_epochs divides by factor staying ≥ 1 (s_max + 1);
/// size(s, r) = ⌈ ⌈1 + log_f(max_epochs)⌉ / (s + 1) · f^(s−r) ⌉; epochs(s, r) = ⌈ max_epochs / f^(s−r) ⌉.
/// </summary>
public sealed class HyperbandScheduleTests
{
    [Fact]
    public void Max_epochs_81_factor_3_has_five_brackets_with_keras_tuners_sizes_and_epochs()
    {
        // ⌈1 + log3 81⌉ = 5. Bracket s: 5/(s+1) · 3^(s−r), rounded up; epochs 81/3^(s−r), rounded up.
        // s=4: 5/5=1 → 81, 27, 9, 3, 1 models; 1, 3, 9, 27, 81 epochs.
        // s=3: 5/4=1.25 → ⌈1.25·27⌉=34, ⌈11.25⌉=12, ⌈3.75⌉=4, ⌈1.25⌉=2; epochs 3, 9, 27, 81.
        // s=2: 5/3 → ⌈15⌉=15, ⌈5⌉=5, ⌈1.67⌉=2; epochs 9, 27, 81.
        // s=1: 5/2=2.5 → ⌈7.5⌉=8, ⌈2.5⌉=3; epochs 27, 81.
        // s=0: 5 → 5; epochs 81.
        var expectedSizes = new[] { new[] { 5 }, new[] { 8, 3 }, new[] { 15, 5, 2 }, new[] { 34, 12, 4, 2 }, new[] { 81, 27, 9, 3, 1 } };
        var expectedEpochs = new[] { new[] { 81 }, new[] { 27, 81 }, new[] { 9, 27, 81 }, new[] { 3, 9, 27, 81 }, new[] { 1, 3, 9, 27, 81 } };
        AssertTable(new HyperbandSchedule(81, 3), 5, expectedSizes, expectedEpochs);
    }

    [Fact]
    public void Max_epochs_10_factor_3_has_three_brackets_and_rounds_epochs_up()
    {
        // 10 → 3.33 → 1.11 → 0.37: three brackets (s_max = ⌊log3 10⌋ = 2). ⌈1 + log3 10⌉ = ⌈3.096⌉ = 4.
        // s=2: 4/3 → ⌈1.333·9⌉=12, ⌈4⌉=4, ⌈1.333⌉=2; epochs ⌈10/9⌉=2, ⌈10/3⌉=4, 10.
        // s=1: 4/2=2 → 6, 2; epochs 4, 10.
        // s=0: 4 → 4; epochs 10.
        var expectedSizes = new[] { new[] { 4 }, new[] { 6, 2 }, new[] { 12, 4, 2 } };
        var expectedEpochs = new[] { new[] { 10 }, new[] { 4, 10 }, new[] { 2, 4, 10 } };
        AssertTable(new HyperbandSchedule(10, 3), 3, expectedSizes, expectedEpochs);
    }

    [Fact]
    public void Max_epochs_9_factor_2_counts_brackets_by_repeated_division()
    {
        // 9, 4.5, 2.25, 1.125 ≥ 1, then 0.56: four brackets. ⌈1 + log2 9⌉ = ⌈4.17⌉ = 5.
        // s=3: 5/4 → ⌈10⌉=10, ⌈5⌉=5, ⌈2.5⌉=3, ⌈1.25⌉=2; epochs ⌈9/8⌉=2, ⌈9/4⌉=3, ⌈4.5⌉=5, 9.
        var s = new HyperbandSchedule(9, 2);
        Assert.Equal(4, s.Brackets);
        Assert.Equal(new[] { 10, 5, 3, 2 }, Enumerable.Range(0, 4).Select(r => s.Size(3, r)));
        Assert.Equal(new[] { 2, 3, 5, 9 }, Enumerable.Range(0, 4).Select(r => s.Epochs(3, r)));
    }

    private static void AssertTable(HyperbandSchedule s, int brackets, int[][] sizes, int[][] epochs)
    {
        Assert.Equal(brackets, s.Brackets);
        for (int b = 0; b < brackets; b++)
        {
            Assert.Equal(b + 1, s.Rounds(b));
            Assert.Equal(sizes[b], Enumerable.Range(0, b + 1).Select(r => s.Size(b, r)));
            Assert.Equal(epochs[b], Enumerable.Range(0, b + 1).Select(r => s.Epochs(b, r)));
        }
    }
}
