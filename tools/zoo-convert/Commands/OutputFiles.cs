using Zoo.Formats.IO;

namespace Zoo.Convert.Commands;

/// <summary>
/// The files a command writes, inspected before any work starts: <c>-</c> is standard output; a directory, a
/// socket or a block device is refused (exit 2); a device or a pipe (<c>/dev/null</c>, a FIFO) is written into,
/// never replaced; and no output may be one of the command's inputs, however it is spelled.
/// </summary>
internal static class OutputFiles
{
    /// <summary>
    /// Resolves <paramref name="given"/> (the value of <paramref name="option"/>) and refuses it when it names one of
    /// <paramref name="inputs"/>. A missing folder above it is created: one rule for every command, as the commands that
    /// write into a folder (export-triton DIR, --history, --report, demo --output) create theirs.
    /// </summary>
    public static OutputTarget Resolve(string given, string option, IEnumerable<string?> inputs, string? allowHint = null)
    {
        var path = given == "-" ? "/dev/stdout" : given;
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { Length: > 0 } folder && !Directory.Exists(folder) && !File.Exists(folder))
            Directory.CreateDirectory(folder);
        var target = OutputTarget.Resolve(path);
        foreach (var input in inputs)
            if (input is not null && OutputTarget.SameFile(target.Path, input))
                throw new UsageException($"{option} '{given}' is the input file '{input}'; refusing to overwrite it{(allowHint is null ? "" : $" ({allowHint})")}");
        return target;
    }

    /// <summary>
    /// A folder a command writes files into (<paramref name="given"/>, the value of <paramref name="option"/>): refused
    /// when something other than a folder is there; it is created by the command when absent.
    /// </summary>
    public static string Folder(string given, string option)
    {
        var full = Path.GetFullPath(given);
        var kind = FileStatus.Of(full).Kind;
        if (kind is not (FileKind.Directory or FileKind.Missing))
            throw new Zoo.Formats.OutputPathException($"{option}: expected a folder to write files into, found {FileStatus.Describe(kind)}", full);
        return full;
    }

    /// <summary>Where a command's own report lines go: standard error when an output is standard output, so the output stays clean.</summary>
    public static TextWriter Status(TextWriter stdout, TextWriter stderr, IEnumerable<OutputTarget> targets)
        => targets.Any(t => t.IsStandardOutput) ? stderr : stdout;

    /// <summary>
    /// The format a model output is written in: from its name, else, for a device or a pipe (which has no
    /// telling name), <paramref name="fallback"/>; null when a regular file's name does not tell.
    /// </summary>
    public static Zoo.Formats.Ir.KerasFormat? ModelFormat(OutputTarget target, Zoo.Formats.Ir.KerasFormat fallback)
        => Zoo.Formats.KerasFile.FormatFromFileName(target.Path) ?? (target.IsDirect ? fallback : null);
}
