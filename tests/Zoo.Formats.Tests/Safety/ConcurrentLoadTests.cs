using System.Collections.Concurrent;
using Zoo.Formats.Ir;
using Zoo.Formats.Summary;
using Zoo.Formats.Tests.Support;

namespace Zoo.Formats.Tests.Safety;

/// <summary>Loading (and summarizing, the Zoo.Formats-level part of predicting) is safe from many threads at once.</summary>
public sealed class ConcurrentLoadTests
{
    private static readonly string[] Files =
    [
        "dl4j-test-resources/simple_lstm_tf_keras_2_model.h5",
        "hls4ml-example-models/KERAS_3layer_weights.h5",
        "kotlindl/toyresnet_modelConfig.json",
        "hackbinghamton-cnn-demo/model.yaml",
        "hongong-practice/model-whole.keras",
        "hongong-practice/model.weights.h5",
        "affan-handwrittendigits/tfjs_model/model.json",
    ];

    [SkippableFact]
    public void Sixteen_threads_loading_the_same_files_at_once_get_identical_graphs()
    {
        var paths = Files.Select(Fixtures.Path).ToArray();
        var reference = paths.Select(p => KerasFile.Load(p)).ToArray();
        var summaries = reference.Select(g => g.HasArchitecture ? Describe(ModelSummary.Of(g)) : "").ToArray();
        var problems = new ConcurrentBag<string>();
        using var start = new Barrier(16);

        var threads = Enumerable.Range(0, 16).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (int k = 0; k < paths.Length; k++)
            {
                int i = (k + t) % paths.Length; // threads start on different files, so every pair overlaps
                try
                {
                    var g = KerasFile.Load(paths[i]);
                    foreach (var d in GraphComparer.Differences(reference[i], g)) problems.Add($"thread {t} {Files[i]}: {d}");
                    if (!SameWeights(reference[i], g)) problems.Add($"thread {t} {Files[i]}: weight bytes differ");
                    if (g.HasArchitecture && Describe(ModelSummary.Of(g)) != summaries[i]) problems.Add($"thread {t} {Files[i]}: summary differs");
                }
                catch (Exception e)
                {
                    problems.Add($"thread {t} {Files[i]}: {e.GetType().Name}: {e.Message}");
                }
            }
        })).ToList();
        threads.ForEach(th => th.Start());
        threads.ForEach(th => th.Join());

        Assert.True(problems.IsEmpty, string.Join("\n", problems.Take(20)));
    }

    private static string Describe(ModelSummary s)
        => $"{s.ModelName} {s.Totals} " + string.Join(";", s.Rows.Select(r => r.ToString())) + string.Join(",", s.OutputShapes);

    private static bool SameWeights(ModelGraph a, ModelGraph b)
    {
        var x = a.Layers.SelectMany(l => l.AllWeights()).ToList();
        var y = b.Layers.SelectMany(l => l.AllWeights()).ToList();
        return x.Count == y.Count && x.Zip(y).All(p => p.First.Name == p.Second.Name && p.First.Data.AsSpan().SequenceEqual(p.Second.Data));
    }
}
