namespace Zoo.Convert;

/// <summary>The process exit codes of zoo-convert.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>A bug in zoo-convert: an error that is neither the user's nor the file's.</summary>
    public const int InternalError = 1;

    /// <summary>The command line is wrong: unknown option, missing argument, bad value, refused request.</summary>
    public const int Usage = 2;

    /// <summary>An input file is malformed, unsafe, unsupported or unreadable.</summary>
    public const int BadInput = 3;
}

/// <summary>A request the parser accepts but zoo-convert refuses (writing over the input, unguessable format).</summary>
internal sealed class UsageException(string message) : Exception(message);
