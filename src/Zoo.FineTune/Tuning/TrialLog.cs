using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Zoo.Formats;
using Zoo.Formats.IO;

namespace Zoo.FineTune.Tuning;

/// <summary>
/// A search's trial log, JSON lines: the first line describes the search (strategy, seed, space, objective, data and
/// model fingerprints, …); each further line is one finished trial with its result. The whole file is rewritten
/// through a temporary file and a rename after every trial, so a kill leaves the log as it was after some trial,
/// never half a line. A later run of the same search reads it and replays those trials instead of training them again.
/// </summary>
public sealed class TrialLog
{
    /// <summary>File name of the log inside a search's folder.</summary>
    public const string FileName = "trials.jsonl";

    private readonly List<(Trial Trial, TrialResult Result)> entries = new();

    private TrialLog(string path, IReadOnlyDictionary<string, string> search)
    {
        Path = path;
        Search = search;
    }

    /// <summary>Where the log lives.</summary>
    public string Path { get; }

    /// <summary>The search's description (the first line).</summary>
    public IReadOnlyDictionary<string, string> Search { get; }

    /// <summary>Finished trials in the order they finished.</summary>
    public IReadOnlyList<(Trial Trial, TrialResult Result)> Entries => entries;

    /// <summary>
    /// Opens the log at <paramref name="path"/> for the search <paramref name="search"/>: a new empty log when the
    /// file does not exist, else the trials it holds.
    /// </summary>
    /// <exception cref="ModelFormatException">The file is not a trial log, or belongs to a different search (the message names the first difference).</exception>
    public static TrialLog Open(string path, IReadOnlyDictionary<string, string> search)
    {
        var log = new TrialLog(System.IO.Path.GetFullPath(path), new SortedDictionary<string, string>(search.ToDictionary(), StringComparer.Ordinal));
        if (!File.Exists(log.Path)) return log;
        var lines = File.ReadAllLines(log.Path).Where(l => l.Length > 0).ToArray();
        if (lines.Length == 0) return log;
        JsonObject header;
        try { header = JsonNode.Parse(lines[0]) as JsonObject ?? throw new JsonException("not an object"); }
        catch (JsonException e) { throw new ModelFormatException($"expected a trial log whose first line describes the search, found unreadable JSON ({e.Message})", log.Path, "line 1", e); }
        var stored = header["search"] as JsonObject ?? throw new ModelFormatException("expected a 'search' object on the first line, found none", log.Path, "line 1");
        foreach (var key in search.Keys.Union(stored.Select(p => p.Key)).OrderBy(k => k, StringComparer.Ordinal))
        {
            var mine = search.TryGetValue(key, out var m) ? m : null;
            var theirs = stored[key]?.GetValue<string>();
            if (mine != theirs)
                throw new ModelFormatException($"this log belongs to a different search: '{key}' is '{theirs ?? "(absent)"}' in the log and '{mine ?? "(absent)"}' now; use another report folder or delete the log to start over", log.Path, key);
        }
        for (int i = 1; i < lines.Length; i++)
        {
            try { log.entries.Add(TrialJson.Read((JsonObject)JsonNode.Parse(lines[i])!)); }
            catch (Exception e) when (e is JsonException or InvalidOperationException or InvalidCastException or KeyNotFoundException or FormatException or NullReferenceException)
            {
                throw new ModelFormatException($"expected a trial record, found an unreadable line ({e.Message})", log.Path, $"line {i + 1}", e);
            }
        }
        return log;
    }

    /// <summary>The logged result of trial <paramref name="id"/>, if it finished in an earlier run.</summary>
    public (Trial Trial, TrialResult Result)? Find(string id)
    {
        foreach (var e in entries) if (e.Trial.Id == id) return e;
        return null;
    }

    /// <summary>Adds a finished trial and rewrites the log atomically.</summary>
    public void Append(Trial trial, TrialResult result)
    {
        entries.Add((trial, result));
        var sb = new StringBuilder();
        var search = new JsonObject();
        foreach (var (k, v) in Search) search[k] = v;
        sb.Append(new JsonObject { ["zoo_tune_log"] = 1, ["search"] = search }.ToJsonString()).Append('\n');
        foreach (var (t, r) in entries) sb.Append(TrialJson.Write(t, r).ToJsonString()).Append('\n');
        AtomicFile.WriteText(Path, sb.ToString());
    }
}
