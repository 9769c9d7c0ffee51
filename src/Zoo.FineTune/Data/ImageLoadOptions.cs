namespace Zoo.FineTune.Data;

/// <summary>How images are decoded, sized, labelled and checked (Keras's <c>image_dataset_from_directory</c> arguments, plus limits).</summary>
public sealed class ImageLoadOptions
{
    /// <summary>Height every image is resized to (the model's input height).</summary>
    public required int Height { get; init; }

    /// <summary>Width every image is resized to (the model's input width).</summary>
    public required int Width { get; init; }

    /// <summary>3 for RGB, 1 for grayscale (Keras's <c>color_mode</c>).</summary>
    public int Channels { get; init; } = 3;

    /// <summary>What is done to the [0, 255] pixels after resizing.</summary>
    public ImagePreprocessing Preprocess { get; init; } = ImagePreprocessing.None;

    /// <summary>Largest width × height accepted, read from the file's header before anything is decoded (default 40 megapixels).</summary>
    public long MaxPixels { get; init; } = 40_000_000;

    /// <summary>Largest file accepted, in bytes (default 64 MiB).</summary>
    public long MaxFileBytes { get; init; } = 64L << 20;

    /// <summary>
    /// Most scans a progressive JPEG may have (default 100; encoders write about 10). Each scan is a pass over the
    /// whole image, so a small file of thousands of near-empty scans would take minutes to decode.
    /// </summary>
    public int MaxJpegScans { get; init; } = 100;

    /// <summary>Wall time one image may take to decode before it is skipped (default 10 seconds).</summary>
    public TimeSpan MaxDecodeTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Targets: one-hot rows (Keras's <c>label_mode="categorical"</c>, the default here) or class indices (<c>"int"</c>).</summary>
    public bool OneHot { get; init; } = true;

    /// <summary>
    /// Whether samples are shuffled once after loading (default true, as Keras does), so that a validation split
    /// taken from the end holds every class.
    /// </summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Seed of that shuffle.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Whether a class folder with no readable image is accepted (Keras keeps its index); by default it is an
    /// error, since a class no sample can teach is almost always a mistake.
    /// </summary>
    public bool AllowEmptyClasses { get; init; }

    /// <summary>File extensions read as images (case ignored); others are listed as skipped.</summary>
    public IReadOnlyCollection<string> Extensions { get; init; } = DefaultExtensions;

    /// <summary>JPEG, PNG, BMP, GIF and WebP.</summary>
    public static readonly IReadOnlyCollection<string> DefaultExtensions = [".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp"];

    internal void Validate()
    {
        if (Height < 1 || Width < 1) throw new ArgumentOutOfRangeException(nameof(Height), $"image size must be positive, found {Height}×{Width}");
        if (Channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(Channels), Channels, "images have 1 (grayscale) or 3 (RGB) channels");
        if (!ImagePreprocess.Supports(Preprocess, Channels))
            throw new ArgumentException($"{Preprocess} preprocessing needs RGB images; these are loaded with {Channels} channel", nameof(Preprocess));
        if (MaxPixels < 1 || MaxFileBytes < 1 || MaxJpegScans < 1 || MaxDecodeTime <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(MaxPixels), "limits must be positive");
    }
}
