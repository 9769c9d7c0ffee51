using System.Text.Json;
using Zoo.FineTune.Fitting;

namespace Zoo.FineTune.Tests.Fitting;

/// <summary>History exports.</summary>
public class HistoryTests
{
    [Fact]
    public void History_writes_json_by_metric_and_csv_with_an_epoch_column_and_sorted_metrics()
    {
        var h = new History();
        h.Add(0, new Dictionary<string, double> { ["loss"] = 0.5, ["accuracy"] = 0.25 });
        h.Add(1, new Dictionary<string, double> { ["loss"] = 0.125, ["accuracy"] = 0.75 });
        using var json = JsonDocument.Parse(h.ToJson());
        Assert.Equal(0.125, json.RootElement.GetProperty("loss")[1].GetDouble());
        Assert.Equal(1, json.RootElement.GetProperty("epoch")[1].GetInt32());
        Assert.Equal("epoch,accuracy,loss\n0,0.25,0.5\n1,0.75,0.125\n", h.ToCsv());
    }
}
