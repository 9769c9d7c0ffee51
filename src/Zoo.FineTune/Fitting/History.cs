using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Zoo.FineTune.Fitting;

/// <summary>Keras's <c>History</c>: each epoch's logs (<c>loss</c>, <c>accuracy</c>, <c>val_loss</c>, <c>val_accuracy</c>, <c>learning_rate</c>).</summary>
public sealed class History
{
    private readonly Dictionary<string, List<double>> values = new(StringComparer.Ordinal);

    /// <summary>Epoch numbers (0-based) that ran.</summary>
    public List<int> Epochs { get; } = new();

    /// <summary>Per metric, its value at each epoch that ran (Keras's <c>history.history</c>).</summary>
    public IReadOnlyDictionary<string, List<double>> Values => values;

    /// <summary>The value of <paramref name="metric"/> at each epoch.</summary>
    public IReadOnlyList<double> this[string metric] => values.TryGetValue(metric, out var v) ? v : throw new KeyNotFoundException($"history has no '{metric}'; it has {string.Join(", ", values.Keys)}");

    /// <summary>Records epoch <paramref name="epoch"/>'s logs.</summary>
    public void Add(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        Epochs.Add(epoch);
        foreach (var (k, v) in logs)
        {
            if (!values.TryGetValue(k, out var list)) values[k] = list = new();
            list.Add(v);
        }
    }

    /// <summary>The history as JSON: <c>{"epoch": [...], "loss": [...], ...}</c>.</summary>
    public string ToJson()
    {
        var obj = new Dictionary<string, object> { ["epoch"] = Epochs };
        foreach (var (k, v) in values) obj[k] = v;
        return JsonSerializer.Serialize(obj, new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The history as CSV, as Keras's <c>CSVLogger</c> writes it (an <c>epoch</c> column, then metrics sorted by name).</summary>
    public string ToCsv()
    {
        var keys = values.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
        var sb = new StringBuilder("epoch");
        foreach (var k in keys) sb.Append(',').Append(k);
        sb.Append('\n');
        for (int i = 0; i < Epochs.Count; i++)
        {
            sb.Append(Epochs[i].ToString(CultureInfo.InvariantCulture));
            foreach (var k in keys) sb.Append(',').Append(i < values[k].Count ? values[k][i].ToString("R", CultureInfo.InvariantCulture) : "");
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
