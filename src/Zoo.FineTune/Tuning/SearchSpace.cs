using System.Security.Cryptography;
using System.Text;

namespace Zoo.FineTune.Tuning;

/// <summary>
/// The hyperparameters a search varies. Parameters not in the space keep Zoo's defaults
/// (<see cref="KnownParameters.DefaultOf"/>). <c>cut</c> is conditional: active only in a trial whose policy is
/// <c>medium</c>, and then it is sampled and hashed; otherwise it is absent from the trial's values, as Keras
/// Tuner leaves inactive conditional hyperparameters out.
/// <code>
/// var space = SearchSpace.Parse("lr=1e-4..1e-2:log,batch-size=16|32,dropout=0..0.5,policy=small|medium");
/// </code>
/// </summary>
public sealed class SearchSpace
{
    private SearchSpace(IReadOnlyList<HyperParameter> parameters) => Parameters = parameters;

    /// <summary>The search space the CLI uses when none is given.</summary>
    public const string DefaultText = "lr=1e-4..1e-2:log,batch-size=16|32|64,optimizer=adam|sgd|rmsprop,dropout=0..0.5,schedule=constant|lecture|cosine,policy=small|medium|large,cut=1|2";

    /// <summary>The varied parameters in sampling order.</summary>
    public IReadOnlyList<HyperParameter> Parameters { get; }

    /// <summary>A space of the given parameters (each a known name, at most once).</summary>
    public static SearchSpace Of(IEnumerable<HyperParameter> parameters)
    {
        var list = parameters.ToList();
        foreach (var p in list)
        {
            if (KnownParameters.Canonical(p.Name) != p.Name) throw new SearchSpaceException($"expected a canonical parameter name, found '{p.Name}'", p.Name);
            foreach (var v in p is ChoiceParameter c ? c.Values : new[] { p.Default }) KnownParameters.Check(p.Name, v);
            if (p is FloatParameter f) { KnownParameters.Check(p.Name, HyperParameter.Text(f.Min)); KnownParameters.Check(p.Name, HyperParameter.Text(f.Max)); }
        }
        var dup = list.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new SearchSpaceException($"expected each parameter once, found '{dup.Key}' {dup.Count()} times", dup.Key);
        return new SearchSpace(list.OrderBy(p => KnownParameters.Order.ToList().IndexOf(p.Name)).ToArray());
    }

    /// <summary>
    /// Parses <c>name=spec,name=spec,…</c>. A spec is <c>lo..hi</c> (uniform) or <c>lo..hi:log</c> (log-uniform)
    /// for <c>lr</c> and <c>dropout</c>, <c>a|b|c</c> (choices; one value fixes it) for every parameter, and may end
    /// in <c>@default</c>. Without one, the default is Zoo's when it lies in the range (or among the choices),
    /// otherwise Keras Tuner's (the lower bound, the first choice).
    /// </summary>
    /// <exception cref="SearchSpaceException">Bad syntax, an unknown name or an illegal value; the message names the entry.</exception>
    public static SearchSpace Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new SearchSpaceException("expected name=spec entries separated by commas, found nothing");
        var list = new List<HyperParameter>();
        foreach (var raw in text.Split(',', StringSplitOptions.TrimEntries))
        {
            int eq = raw.IndexOf('=');
            if (eq <= 0 || eq == raw.Length - 1) throw new SearchSpaceException($"expected name=spec, found '{raw}'", raw);
            var name = KnownParameters.Canonical(raw[..eq]);
            var spec = raw[(eq + 1)..].Trim();
            string? explicitDefault = null;
            int at = spec.LastIndexOf('@');
            if (at >= 0) (spec, explicitDefault) = (spec[..at].Trim(), spec[(at + 1)..].Trim());
            list.Add(spec.Contains("..", StringComparison.Ordinal) ? ParseRange(name, spec, explicitDefault) : ParseChoices(name, spec, explicitDefault));
        }
        return Of(list);
    }

    private static FloatParameter ParseRange(string name, string spec, string? explicitDefault)
    {
        if (!KnownParameters.IsReal(name)) throw new SearchSpaceException($"'{name}': expected choices a|b|c (only lr and dropout take ranges), found '{spec}'", name);
        bool log = spec.EndsWith(":log", StringComparison.OrdinalIgnoreCase);
        if (log) spec = spec[..^4];
        else if (spec.Contains(':')) throw new SearchSpaceException($"'{name}': expected lo..hi or lo..hi:log, found '{spec}'", name);
        var ends = spec.Split("..");
        if (ends.Length != 2 || KnownParameters.Real(ends[0]) is not { } lo || KnownParameters.Real(ends[1]) is not { } hi)
            throw new SearchSpaceException($"'{name}': expected two numbers lo..hi, found '{spec}'", name);
        double def;
        if (explicitDefault is not null)
            def = KnownParameters.Real(explicitDefault) ?? throw new SearchSpaceException($"'{name}': expected a numeric default, found '{explicitDefault}'", name);
        else
        {
            double zoo = KnownParameters.Real(KnownParameters.DefaultOf(name))!.Value;
            def = zoo >= lo && zoo <= hi ? zoo : lo;
        }
        return new FloatParameter(name, lo, hi, log, def);
    }

    private static ChoiceParameter ParseChoices(string name, string spec, string? explicitDefault)
    {
        var values = spec.Split('|', StringSplitOptions.TrimEntries).Select(v => name is KnownParameters.Optimizer or KnownParameters.Schedule or KnownParameters.Policy ? v.ToLowerInvariant() : v).ToArray();
        if (values.Any(v => v.Length == 0)) throw new SearchSpaceException($"'{name}': expected choices a|b|c with no empty one, found '{spec}'", name);
        if (KnownParameters.IsReal(name))
            values = values.Select(v => KnownParameters.Real(v) is { } d ? HyperParameter.Text(d) : v).ToArray();
        foreach (var v in values) KnownParameters.Check(name, v);
        var zoo = KnownParameters.DefaultOf(name);
        var def = explicitDefault ?? (values.Contains(zoo) ? zoo : values[0]);
        return new ChoiceParameter(name, values, def);
    }

    /// <summary>The space written back in the CLI syntax, defaults included (canonical: parses to an equal space).</summary>
    public override string ToString() => string.Join(",", Parameters.Select(p => p.Describe()));

    /// <summary>Whether <paramref name="name"/> takes part in a trial whose values so far are <paramref name="values"/>.</summary>
    internal static bool IsActive(string name, IReadOnlyDictionary<string, string> values)
        => name != KnownParameters.Cut || (values.TryGetValue(KnownParameters.Policy, out var p) ? p : KnownParameters.DefaultOf(KnownParameters.Policy)) == "medium";

    /// <summary>Every varied parameter at its default (the baseline configuration), active ones only.</summary>
    public SortedDictionary<string, string> Defaults()
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in Parameters) if (IsActive(p.Name, values)) values[p.Name] = p.Default;
        return values;
    }

    /// <summary>
    /// One random configuration: each active parameter in order is drawn from seed <paramref name="seedState"/>,
    /// which then advances by one (Keras Tuner's <c>_random_values</c>).
    /// </summary>
    public SortedDictionary<string, string> Sample(ref int seedState)
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in Parameters)
        {
            if (!IsActive(p.Name, values)) continue;
            values[p.Name] = p.Sample(seedState);
            seedState++;
        }
        return values;
    }

    /// <summary>
    /// The identity of a configuration for duplicate detection: SHA-256 of the sorted <c>name=value</c> pairs,
    /// 32 hex digits (Keras Tuner's <c>_compute_values_hash</c> scheme, over the values that define the model).
    /// </summary>
    public static string Hash(IReadOnlyDictionary<string, string> values)
    {
        var s = string.Concat(values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(s)))[..32].ToLowerInvariant();
    }
}
