namespace Zoo.Convert.Tests.Support;

/// <summary>
/// Tests that run the demo in-process: it sets TorchSharp's process-wide intra-op thread count, and a
/// prediction running meanwhile in another test would sum in a different order (last-bit differences that
/// break the bit-exact verify tests). xunit runs this collection on its own, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchThreadsCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "changes torch's thread count";
}
