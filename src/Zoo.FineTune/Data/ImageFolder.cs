using Zoo.FineTune.Fitting;
using Zoo.Formats;

namespace Zoo.FineTune.Data;

/// <summary>
/// Keras's <c>image_dataset_from_directory</c>: one subfolder per class (class index = position of the folder
/// name in ordinal order; files found recursively below it), every image decoded, resized to the model's
/// input and preprocessed, in memory. Bad files are skipped and listed, never fatal; a folder that yields no
/// image, or a class that gets none, is an error naming it.
/// <code>
/// var data = ImageFolder.Load("flowers/", new ImageLoadOptions { Height = 160, Width = 160, Preprocess = ImagePreprocessing.Caffe });
/// foreach (var s in data.Skipped) Console.Error.WriteLine($"skipped {s}");
/// model.Fit(data.Samples, new FitOptions { ValidationSplit = 0.2, Augmentation = new ImageAugmenter(new AugmentOptions { HorizontalFlip = true }) });
/// </code>
/// </summary>
public static class ImageFolder
{
    /// <summary>Loads the images below <paramref name="directory"/>.</summary>
    /// <exception cref="ModelFormatException">The folder is missing, has no class folders, yields no image, or a class yields none.</exception>
    public static ImageFolderDataset Load(string directory, ImageLoadOptions options)
    {
        options.Validate();
        var root = Path.GetFullPath(directory);
        if (!Directory.Exists(root)) throw new ModelFormatException("no such folder; expected a folder with one subfolder of images per class", root);
        var skipped = new List<SkippedFile>();
        foreach (var f in Directory.EnumerateFiles(root).Order(StringComparer.Ordinal))
            skipped.Add(new SkippedFile(f, "not inside a class folder"));
        var classDirs = Directory.EnumerateDirectories(root).Where(d => !IsLink(d)).Order(StringComparer.Ordinal).ToArray();
        if (classDirs.Length == 0)
            throw new ModelFormatException("folder has no class subfolders; expected one subfolder of images per class", root);

        var candidates = new List<(string File, int Label)>();
        for (int c = 0; c < classDirs.Length; c++)
            foreach (var file in FilesBelow(classDirs[c]))
            {
                if (options.Extensions.Contains(Path.GetExtension(file).ToLowerInvariant())) candidates.Add((file, c));
                else skipped.Add(new SkippedFile(file, $"extension '{Path.GetExtension(file)}' is not an image type read here ({string.Join(", ", options.Extensions)})"));
            }

        var decoded = new float[candidates.Count][];
        var reasons = new string[candidates.Count];
        Parallel.For(0, candidates.Count, i =>
        {
            decoded[i] = ImageDecoder.TryDecode(candidates[i].File, options, out var px, out var why) ? px : null!;
            reasons[i] = why;
        });
        var kept = new List<int>();
        for (int i = 0; i < candidates.Count; i++)
            if (decoded[i] is null) skipped.Add(new SkippedFile(candidates[i].File, reasons[i]));
            else kept.Add(i);
        if (kept.Count == 0)
            throw new ModelFormatException($"no readable image in any class folder ({candidates.Count} candidate files, {skipped.Count} skipped{FirstReason(skipped)})", root);
        var perClass = new int[classDirs.Length];
        foreach (var i in kept) perClass[candidates[i].Label]++;
        int empty = Array.IndexOf(perClass, 0);
        if (empty >= 0 && !options.AllowEmptyClasses)
            throw new ModelFormatException($"class folder '{Path.GetFileName(classDirs[empty])}' has no readable image; every class needs at least one (or set AllowEmptyClasses)", classDirs[empty]);

        if (options.Shuffle) new Random(options.Seed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(kept));
        return Assemble(root, options, classDirs, candidates, decoded, kept, skipped);
    }

    private static ImageFolderDataset Assemble(string root, ImageLoadOptions o, string[] classDirs, List<(string File, int Label)> candidates,
        float[][] decoded, List<int> kept, List<SkippedFile> skipped)
    {
        int n = kept.Count, k = classDirs.Length;
        long sample = (long)o.Height * o.Width * o.Channels;
        if (n * sample > Array.MaxLength)
            throw new UnsupportedFeatureException($"{n:N0} images of {o.Height}×{o.Width}×{o.Channels} are {n * sample:N0} values, more than one in-memory array holds; use fewer or smaller images", root);
        var x = new float[n * sample];
        var y = new float[o.OneHot ? n * k : n];
        for (int s = 0; s < n; s++)
        {
            var (_, label) = candidates[kept[s]];
            var pixels = x.AsSpan((int)(s * sample), (int)sample);
            decoded[kept[s]].CopyTo(pixels);
            ImagePreprocess.Apply(o.Preprocess, pixels, o.Channels);
            if (o.OneHot) y[s * k + label] = 1; else y[s] = label;
        }
        var samples = new ArrayDataset(x, new long[] { n, o.Height, o.Width, o.Channels }, y, o.OneHot ? new long[] { n, k } : new long[] { n });
        return new ImageFolderDataset(root, samples, classDirs.Select(d => Path.GetFileName(d)!).ToArray(),
            kept.Select(i => candidates[i].File).ToArray(), kept.Select(i => candidates[i].Label).ToArray(), skipped);
    }

    /// <summary>Files below <paramref name="dir"/> in ordinal order, recursively; linked folders are not followed (Keras's <c>follow_links=False</c>).</summary>
    private static IEnumerable<string> FilesBelow(string dir)
    {
        foreach (var f in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal)) yield return f;
        foreach (var d in Directory.EnumerateDirectories(dir).Where(d => !IsLink(d)).Order(StringComparer.Ordinal))
            foreach (var f in FilesBelow(d)) yield return f;
    }

    private static bool IsLink(string path) => new DirectoryInfo(path).LinkTarget is not null;

    private static string FirstReason(List<SkippedFile> skipped) => skipped.Count == 0 ? "" : $"; first: {skipped[0]}";
}
