namespace Zoo.Formats.Dialects;

/// <summary>
/// One change a dialect translation made that a reader of the result should know about: an argument
/// dropped because the target Keras has no such argument, a value replaced by its nearest equivalent.
/// Plain renames (<c>nb_filter</c> → <c>filters</c>) are not noted; they lose nothing.
/// </summary>
/// <param name="Layer">The layer (or <c>model</c>, <c>training_config</c>) the change concerns.</param>
/// <param name="Message">What changed and why.</param>
public sealed record DialectNote(string Layer, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Layer}: {Message}";
}
