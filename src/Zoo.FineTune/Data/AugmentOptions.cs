namespace Zoo.FineTune.Data;

/// <summary>
/// Random image augmentation, as Keras's <c>RandomFlip("horizontal")</c>, <c>RandomTranslation</c> and
/// <c>RandomRotation</c> layers do it: each training sample gets its own draw, new every epoch, from
/// <see cref="Seed"/>, the epoch and the sample's index alone (so the batch order does not change it).
/// Pixels moved in from outside the image are reflected (Keras's default <c>fill_mode="reflect"</c>).
/// </summary>
public sealed record AugmentOptions
{
    /// <summary>Mirror left-right with probability ½.</summary>
    public bool HorizontalFlip { get; init; }

    /// <summary>Largest shift as a fraction of the height and of the width, drawn uniformly in [−f, f] for each (0: none).</summary>
    public double Shift { get; init; }

    /// <summary>Largest rotation about the centre in degrees, drawn uniformly in [−d, d] (0: none).</summary>
    public double RotationDegrees { get; init; }

    /// <summary>Seed of every draw.</summary>
    public int Seed { get; init; }

    /// <summary>Whether anything is drawn at all.</summary>
    public bool Any => HorizontalFlip || Shift > 0 || RotationDegrees > 0;

    /// <summary>The defaults of the CLI's <c>--augment flip,shift,rotate</c>: a shift of 0.1 and a rotation of 10 degrees.</summary>
    public const double DefaultShift = 0.1, DefaultRotationDegrees = 10;
}
