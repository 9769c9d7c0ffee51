using Xunit.Abstractions;

namespace Zoo.Models.Tests.CrossCheck;

/// <summary>
/// Zoo writes a Keras 2 H5 file for each small model; tfjs-layers (an independent Keras implementation)
/// rebuilds it from Zoo's model_config and Zoo's weights and predicts; Zoo's KerasModel predicts from the
/// same file. The two must agree to each case's tolerance (max abs error; 1e-5 unless the case says).
/// </summary>
[Collection(CrossCheckCollection.Name)]
public class LayerCrossCheckTests(CrossCheckSession session, ITestOutputHelper output)
{
    /// <summary>Every case id.</summary>
    public static IEnumerable<object[]> CaseIds => CrossCheckSession.Cases.Keys.Select(k => new object[] { k });

    [SkippableTheory]
    [MemberData(nameof(CaseIds))]
    public void Tfjs_layers_rebuilding_the_file_Zoo_wrote_predicts_what_Zoo_predicts(string caseId)
    {
        Skip.If(session.SkipReason is not null, session.SkipReason);
        var c = CrossCheckSession.Cases[caseId];
        Skip.If(c.SkipBecause is not null, c.SkipBecause);
        var id = "layer:" + caseId;
        var tfjs = session.Result(id);
        Assert.True((bool)tfjs["ok"]!, $"{caseId}: tfjs-layers could not rebuild or run the file Zoo wrote: {tfjs["error"]}");

        var errors = Agreement.Measure(session.H5Of(id), session.Inputs(id), tfjs);
        output.WriteLine($"{caseId}: {Agreement.Describe(errors)}; tolerance {c.Tolerance:E0} (node run for all cases: {session.NodeSeconds:F1} s, {session.Tool})");
        Assert.All(errors, e => Assert.True(e.MaxAbs <= c.Tolerance, $"{caseId}: {Agreement.Describe(errors)} exceeds {c.Tolerance:E0}"));
    }
}
