using System.Text;
using System.Text.RegularExpressions;
using Zoo.Convert.Tests.Support;

namespace Zoo.Convert.Tests.Docs;

/// <summary>A fenced code block of a page, with the <c>&lt;!-- test: MARKER --&gt;</c> line just above it (or none).</summary>
/// <param name="Page">The page, relative to the repository root.</param>
/// <param name="FirstLine">The 1-based line of the block's first code line.</param>
internal sealed record CodeBlock(string Page, int FirstLine, string Language, string? Marker, IReadOnlyList<string> Lines);

/// <summary>
/// The repository's Markdown pages — the README, the manual in docs/, and the package READMEs — read as a newcomer's
/// tests need them: marked code blocks, shell commands, headings and relative links.
/// </summary>
internal static partial class MarkdownPages
{
    /// <summary>Every page, relative to the repository root.</summary>
    public static IReadOnlyList<string> All()
    {
        var root = Repository.File("");
        IEnumerable<string> Under(string folder, string pattern) => Directory.Exists(Path.Combine(root, folder))
            ? Directory.EnumerateFiles(Path.Combine(root, folder), pattern, SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f))
            : [];
        return ["README.md", .. Under("docs", "*.md"), .. Under("tools", "README.md"), .. Under("src", "README.md")];
    }

    /// <summary>The lines of <paramref name="page"/>.</summary>
    public static string[] Read(string page) => File.ReadAllLines(Repository.File(page));

    /// <summary>The fenced code blocks of <paramref name="page"/>, in order.</summary>
    public static IReadOnlyList<CodeBlock> Blocks(string page)
    {
        var lines = Read(page);
        var blocks = new List<CodeBlock>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("```", StringComparison.Ordinal)) continue;
            var language = lines[i][3..].Trim();
            var marker = i > 0 && MarkerLine().Match(lines[i - 1]) is { Success: true } m ? m.Groups[1].Value : null;
            int end = i + 1;
            while (end < lines.Length && !lines[end].StartsWith("```", StringComparison.Ordinal)) end++;
            blocks.Add(new CodeBlock(page, i + 2, language, marker, lines[(i + 1)..end]));
            i = end;
        }
        return blocks;
    }

    /// <summary>The blocks of every page that carry <paramref name="marker"/>.</summary>
    public static IReadOnlyList<CodeBlock> Marked(string marker)
        => All().SelectMany(Blocks).Where(b => b.Marker == marker).ToList();

    /// <summary>
    /// The commands of a shell block: lines joined where they end in <c>\</c>, comments and blank lines left out,
    /// each split into words. Only what the tests can run as one process each is allowed: no quoting, variables,
    /// pipes, redirections or command lists.
    /// </summary>
    public static IReadOnlyList<(int Line, string[] Words)> ShellCommands(CodeBlock block)
    {
        var commands = new List<(int, string[])>();
        var current = new StringBuilder();
        int start = 0;
        for (int i = 0; i < block.Lines.Count; i++)
        {
            var line = Comment().Replace(block.Lines[i], "").TrimEnd();
            if (current.Length == 0) start = block.FirstLine + i;
            bool continues = line.EndsWith('\\');
            current.Append(continues ? line[..^1] : line).Append(' ');
            if (continues) continue;
            var text = current.ToString().Trim();
            current.Clear();
            if (text.Length == 0) continue;
            var shell = ShellSyntax().Match(text);
            Assert.False(shell.Success, $"{block.Page}:{start}: '{shell.Value}' needs a shell; a tested command is one plain process: {text}");
            commands.Add((start, text.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        }
        return commands;
    }

    /// <summary>The headings of <paramref name="page"/> outside code blocks, as GitHub's anchors (duplicates numbered).</summary>
    public static IReadOnlySet<string> Anchors(string page)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (_, line) in Prose(page))
        {
            var heading = Heading().Match(line);
            if (!heading.Success) continue;
            var slug = Slug(heading.Groups[1].Value);
            anchors.Add(seen.TryGetValue(slug, out int n) ? $"{slug}-{n}" : slug);
            seen[slug] = n + 1;
        }
        return anchors;
    }

    /// <summary>GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens.</summary>
    public static string Slug(string heading)
    {
        var text = heading.Trim().ToLowerInvariant();
        var kept = text.Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_');
        return new string(kept.Select(c => c == ' ' ? '-' : c).ToArray());
    }

    /// <summary>The relative links of <paramref name="page"/> outside code (web addresses left out), with their lines.</summary>
    public static IReadOnlyList<(int Line, string Target)> RelativeLinks(string page)
    {
        var links = new List<(int, string)>();
        foreach (var (number, line) in Prose(page))
            foreach (Match m in Link().Matches(InlineCode().Replace(line, "")))
            {
                var target = m.Groups[1].Value;
                if (!WebAddress().IsMatch(target)) links.Add((number, target));
            }
        return links;
    }

    // The lines outside fenced code blocks, numbered from 1.
    private static IEnumerable<(int Number, string Line)> Prose(string page)
    {
        bool inFence = false;
        var lines = Read(page);
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("```", StringComparison.Ordinal)) { inFence = !inFence; continue; }
            if (!inFence) yield return (i + 1, lines[i]);
        }
    }

    [GeneratedRegex(@"^<!-- test: ([a-z]+) -->$")]
    private static partial Regex MarkerLine();

    [GeneratedRegex(@"(^|\s)#.*$")]
    private static partial Regex Comment();

    [GeneratedRegex(@"[$`'""|;&<>*?()]")]
    private static partial Regex ShellSyntax();

    [GeneratedRegex(@"^#{1,6}\s+(.*?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"\[[^\]]*\]\(([^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"^[a-z][a-z0-9+.-]*:", RegexOptions.IgnoreCase)]
    private static partial Regex WebAddress();
}
