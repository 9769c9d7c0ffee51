using System.CommandLine;

namespace Zoo.Convert.Output;

/// <summary>
/// Turns the parser's "Unrecognized command or argument" errors into one line each that names what was not
/// understood and, when a command or option of that name is a typo away, what was probably meant.
/// </summary>
internal static class DidYouMean
{
    /// <summary>
    /// One error line per unmatched token of <paramref name="parsed"/> (a word after an unknown command is not
    /// reported again: it belonged to the command that was not understood). Empty when no token was unmatched.
    /// </summary>
    public static IReadOnlyList<string> Lines(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        var lines = new List<string>();
        string where = CommandPath(parsed);
        foreach (var token in parsed.UnmatchedTokens)
        {
            if (token.StartsWith('-'))
            {
                var names = OptionNames(parsed).ToList();
                lines.Add($"unknown option '{token}' for '{where}'{Suggest(token, names)}");
            }
            else if (command.Subcommands.Count > 0 && command.Subcommands.All(s => s.Name != token))
            {
                lines.Add($"unknown command '{token}'{(where == "zoo-convert" ? "" : $" for '{where}'")}{Suggest(token, command.Subcommands.Select(s => s.Name))}");
                break;
            }
            else lines.Add($"unexpected argument '{token}' for '{where}'");
        }
        return lines;
    }

    /// <summary>"; did you mean 'x'?" for the closest candidates within a couple of edits, or nothing.</summary>
    public static string Suggest(string typed, IEnumerable<string> candidates)
        => Closest(typed, candidates) is { Length: > 0 } names ? $"; did you mean {names}?" : "";

    /// <summary>"Did you mean 'x'?" for the closest candidates within a couple of edits, or nothing.</summary>
    public static string Question(string typed, IEnumerable<string> candidates)
        => Closest(typed, candidates) is { Length: > 0 } names ? $"Did you mean {names}?" : "";

    private static string Closest(string typed, IEnumerable<string> candidates)
    {
        var scored = candidates.Distinct().Select(c => (Name: c, Distance: Distance(typed.ToLowerInvariant(), c.ToLowerInvariant())))
            .Where(c => c.Distance <= Math.Max(1, Math.Min(3, c.Name.Length / 3))
                        || (c.Name.StartsWith(typed, StringComparison.OrdinalIgnoreCase) && typed.TrimStart('-').Length >= 2))
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
        return scored.Count == 0 ? "" : string.Join(" or ", scored.Where(c => c.Distance == scored[0].Distance).Select(c => $"'{c.Name}'").Take(3));
    }

    /// <summary>The command the parser reached, as typed: "zoo-convert zoo create".</summary>
    public static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var r = parsed.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, r.Command is RootCommand ? "zoo-convert" : r.Command.Name);
        return string.Join(" ", names);
    }

    private static IEnumerable<string> OptionNames(ParseResult parsed)
    {
        for (var r = parsed.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            foreach (var o in r.Command.Options.Where(o => ReferenceEquals(r, parsed.CommandResult) || o.Recursive))
                foreach (var name in o.Aliases.Prepend(o.Name)) yield return name;
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours each cost 1.</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
