using Zoo.FineTune.Data;
using Zoo.FineTune.Fitting;

namespace Zoo.Convert.Finetune;

/// <summary>The training samples of a <c>finetune</c> run, from an image folder, an <c>.npz</c> (x, y) or <c>--x</c>/<c>--y</c> arrays.</summary>
/// <param name="Data">Inputs and one-hot targets.</param>
/// <param name="ClassNames">Class names of an image folder (index order); null for arrays.</param>
/// <param name="Skipped">Files of an image folder that were not used.</param>
/// <param name="Description">One line for the log.</param>
internal sealed record TrainingInputs(ArrayDataset Data, IReadOnlyList<string>? ClassNames, IReadOnlyList<SkippedFile> Skipped, string Description)
{
    /// <summary>Loads what the options name; exactly one of <paramref name="data"/> and (<paramref name="x"/>, <paramref name="y"/>) is given.</summary>
    public static TrainingInputs Load(string? data, string? x, string? y, int classes, ModelSource model, (int H, int W)? imageSize,
        ImagePreprocessing preprocess, long maxPixels, int seed)
    {
        if (data is not null && (x is not null || y is not null)) throw new UsageException("give --data, or --x with --y, not both");
        if (data is null)
        {
            if (x is null || y is null) throw new UsageException("give --data DIR|FILE.npz, or both --x X.npy and --y Y.npy");
            if (imageSize is not null) throw new UsageException("--image-size applies to an image folder (--data DIR); arrays keep their shape");
            var arrays = NumpyDataset.Load(Commands.CommonOptions.Existing(x), Commands.CommonOptions.Existing(y), classes);
            return new TrainingInputs(arrays, null, [], $"{Path.GetFileName(x)} + {Path.GetFileName(y)}: {arrays.Count} samples [{string.Join(",", arrays.XShape.Skip(1))}]");
        }
        if (File.Exists(data))
        {
            if (imageSize is not null) throw new UsageException("--image-size applies to an image folder (--data DIR); arrays keep their shape");
            var npz = NumpyDataset.LoadNpz(Path.GetFullPath(data), classes: classes);
            return new TrainingInputs(npz, null, [], $"{Path.GetFileName(data)}: {npz.Count} samples [{string.Join(",", npz.XShape.Skip(1))}]");
        }
        var (h, w, c) = model.ImageShape(imageSize);
        var images = ImageFolder.Load(data, new ImageLoadOptions
        {
            Height = h, Width = w, Channels = c, Preprocess = preprocess, MaxPixels = maxPixels, Seed = seed,
        });
        if (images.ClassNames.Count != classes)
            throw new UsageException($"--classes is {classes}, but '{data}' has {images.ClassNames.Count} class folders ({string.Join(", ", images.ClassNames)})");
        return new TrainingInputs(images.Samples, images.ClassNames, images.Skipped,
            $"{images.Directory}: {images.Count} images in {classes} classes ({string.Join(", ", images.ClassNames)}) at {h}x{w}x{c}, {preprocess.ToString().ToLowerInvariant()} preprocessing");
    }
}
