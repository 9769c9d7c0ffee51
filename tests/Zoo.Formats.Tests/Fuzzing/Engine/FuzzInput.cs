namespace Zoo.Formats.Tests.Fuzzing;

/// <summary>
/// One input for a reader: the main file's bytes and the companion files that must lie beside it
/// (a tfjs model.json's weight shards), keyed by file name.
/// </summary>
/// <param name="Name">Where it came from (seed name plus the mutations applied), for reports.</param>
/// <param name="Bytes">The main file's content.</param>
/// <param name="Companions">Files written next to the main file.</param>
public sealed record FuzzInput(string Name, byte[] Bytes, IReadOnlyDictionary<string, byte[]> Companions)
{
    /// <summary>An input without companions.</summary>
    public FuzzInput(string name, byte[] bytes) : this(name, bytes, new Dictionary<string, byte[]>()) { }

    /// <summary>The same companions with other main bytes and a longer name.</summary>
    public FuzzInput With(string mutation, byte[] bytes) => new($"{Name} > {mutation}", bytes, Companions);

    /// <summary>Total bytes on disk for this input (what the memory budget is measured against).</summary>
    public long TotalBytes => Bytes.LongLength + Companions.Values.Sum(c => c.LongLength);
}
