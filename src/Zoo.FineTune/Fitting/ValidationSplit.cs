namespace Zoo.FineTune.Fitting;

/// <summary>Keras's <c>validation_split</c> arithmetic, shared by every dataset shape.</summary>
internal static class ValidationSplit
{
    /// <summary>
    /// The first validation sample: the first ⌊n·(1 − fraction)⌋ samples train, the rest (taken before any
    /// shuffling) validate.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is outside (0, 1) or leaves one side empty.</exception>
    public static long Cut(long count, double fraction)
    {
        if (!(fraction > 0 && fraction < 1))
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "validation_split must be in (0, 1)");
        long at = (long)Math.Floor(count * (1.0 - fraction));
        if (at == 0 || at == count)
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, $"validation_split {fraction} of {count} samples leaves one side empty");
        return at;
    }
}
