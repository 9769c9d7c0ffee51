using System.Globalization;
using System.Text;

namespace Zoo.Convert.Output;

/// <summary>
/// Makes text from a file safe to print: every control character (C0, DEL, C1 — the 8-bit CSI among them) and
/// every bidirectional override is written as an escape (<c>ESC</c> → <c>\x1b</c>, U+202E → <c>\u202e</c>), so a
/// crafted layer name, backend string or class folder cannot move the cursor, retitle the window, clear the
/// screen or reorder what the user reads. Every printer goes through it: plain writers by <see cref="SafeWriter"/>,
/// Spectre renderings by <see cref="Markup"/>.
/// </summary>
internal static class Printable
{
    /// <summary><paramref name="text"/> with control characters escaped; newlines too (a value is one line).</summary>
    public static string Text(string? text) => Escape(text ?? "", keepNewlines: false);

    /// <summary><see cref="Text"/>, then escaped for Spectre markup (brackets).</summary>
    public static string Markup(string? text) => Spectre.Console.Markup.Escape(Text(text));

    /// <summary>
    /// Escapes control characters; with <paramref name="keepNewlines"/>, line feeds (and the carriage return of a
    /// CRLF newline where that is the platform's) pass, for whole documents written line by line.
    /// </summary>
    public static string Escape(string text, bool keepNewlines)
    {
        int i = 0;
        while (i < text.Length && !NeedsEscape(text, i, keepNewlines)) i++;
        if (i == text.Length) return text;
        var sb = new StringBuilder(text.Length + 16).Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            char c = text[i];
            if (!NeedsEscape(text, i, keepNewlines)) sb.Append(c);
            else if (c <= 0xff) sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            else sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static bool NeedsEscape(string text, int i, bool keepNewlines)
    {
        char c = text[i];
        if (c == '\n') return !keepNewlines;
        if (c == '\r') return !(keepNewlines && Environment.NewLine == "\r\n" && i + 1 < text.Length && text[i + 1] == '\n');
        if (c == '\t') return false;
        return char.IsControl(c) || c is >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069';
    }
}

/// <summary>
/// A writer that passes text on with control characters escaped (<see cref="Printable"/>), keeping newlines:
/// zoo-convert wraps its stdout and stderr in one, so nothing read from a file reaches the terminal raw,
/// whichever command prints it. Spectre's live renderings write to <see cref="Inner"/> and escape their own values.
/// </summary>
internal sealed class SafeWriter(TextWriter inner) : TextWriter(inner.FormatProvider)
{
    /// <summary>The wrapped writer.</summary>
    public TextWriter Inner { get; } = inner;

    /// <inheritdoc/>
    public override Encoding Encoding => Inner.Encoding;

    /// <inheritdoc/>
    public override string NewLine
    {
        get => Inner.NewLine;
#pragma warning disable CS8765 // TextWriter's setter accepts null to mean the default.
        set => Inner.NewLine = value;
#pragma warning restore CS8765
    }

    /// <inheritdoc/>
    public override void Write(char value) => Inner.Write(Printable.Escape(value.ToString(), keepNewlines: true));

    /// <inheritdoc/>
    public override void Write(string? value) => Inner.Write(Printable.Escape(value ?? "", keepNewlines: true));

    /// <inheritdoc/>
    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    /// <inheritdoc/>
    public override void WriteLine(string? value) => Inner.WriteLine(Printable.Escape(value ?? "", keepNewlines: true));

    /// <inheritdoc/>
    public override void WriteLine() => Inner.WriteLine();

    /// <inheritdoc/>
    public override void Flush() => Inner.Flush();

    /// <summary>The writer under any <see cref="SafeWriter"/> wrapping.</summary>
    public static TextWriter Unwrap(TextWriter writer) => writer is SafeWriter s ? Unwrap(s.Inner) : writer;
}
