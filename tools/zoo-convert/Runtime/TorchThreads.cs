namespace Zoo.Convert.Runtime;

/// <summary>Runs work with TorchSharp's intra-op thread count set by <c>--threads</c>, and puts the old count back (tests run in-process).</summary>
internal static class TorchThreads
{
    /// <summary>Runs <paramref name="run"/> with <paramref name="threads"/> threads; 0 leaves TorchSharp's own choice (one per core).</summary>
    public static T With<T>(int threads, Func<T> run)
    {
        if (threads <= 0) return run();
        int before = TorchSharp.torch.get_num_threads();
        TorchSharp.torch.set_num_threads(threads);
        try { return run(); }
        finally { TorchSharp.torch.set_num_threads(before); }
    }
}
