using Zoo.Formats;
using Zoo.Formats.IO;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Support;
using Zoo.Models.ModelZoo;
using Zoo.Models.ModelZoo.Applications;

namespace Zoo.Convert.Tests.Output;

/// <summary>The writers' progress reports, which feed zoo-convert's progress bars.</summary>
public class WriteProgressTests
{
    // Collects synchronously: Progress<T> would post to the thread pool and arrive late or out of order.
    private sealed class Recorder : IProgress<WriteProgress>
    {
        public List<WriteProgress> Reports { get; } = new();
        public void Report(WriteProgress value) => Reports.Add(value);
    }

    [Theory]
    [InlineData("m.h5", "/model_weights/")]
    [InlineData("m.weights.h5", "/layers/")]
    [InlineData("m.keras", "/layers/")]
    public void Every_weight_is_reported_once_in_file_order_and_the_bytes_add_up_to_the_total(string name, string pathPrefix)
    {
        var graph = ZooCatalog.Get("lenet5").Build(new ApplicationOptions { Seed = 3 });
        using var dir = new TempDir();
        var recorder = new Recorder();
        KerasFile.Save(graph, dir.File(name), new SaveOptions { Progress = recorder });
        var reports = recorder.Reports;
        Assert.Equal(graph.AllWeights().Count(), reports.Count(r => r.ObjectPath.StartsWith(pathPrefix, StringComparison.Ordinal)));
        Assert.Equal(Enumerable.Range(1, reports.Count), reports.Select(r => r.Done));
        Assert.All(reports, r => Assert.Equal(reports.Count, r.Total));
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.First.BytesDone < p.Second.BytesDone), "bytes must grow with every dataset");
        Assert.Equal(reports[^1].BytesTotal, reports[^1].BytesDone);
        Assert.True(reports[^1].BytesTotal >= graph.AllWeights().Sum(w => (long)w.Data.Length));
    }

    [Fact]
    public void Reporting_progress_does_not_change_the_bytes_written()
    {
        var graph = ZooCatalog.Get("lenet5").Build(new ApplicationOptions { Seed = 3 });
        using var dir = new TempDir();
        KerasFile.Save(graph, dir.File("a.h5"));
        KerasFile.Save(graph, dir.File("b.h5"), new SaveOptions { Progress = new Recorder() });
        Assert.Equal(File.ReadAllBytes(dir.File("a.h5")), File.ReadAllBytes(dir.File("b.h5")));
    }
}
