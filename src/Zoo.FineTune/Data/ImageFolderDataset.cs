using Zoo.FineTune.Fitting;

namespace Zoo.FineTune.Data;

/// <summary>A file that was not used, and why (unreadable, corrupt, too large, not an image, outside a class folder).</summary>
public sealed record SkippedFile(string File, string Reason)
{
    /// <summary>"file: reason".</summary>
    public override string ToString() => $"{File}: {Reason}";
}

/// <summary>
/// Images loaded from a folder of class folders: the samples ready for <c>Fit</c> (resized and preprocessed,
/// Keras layout [n, height, width, channels]; targets one-hot or class indices), the class names in index
/// order, the file of each sample, and every file that was skipped with its reason.
/// </summary>
public sealed class ImageFolderDataset
{
    internal ImageFolderDataset(string directory, ArrayDataset samples, IReadOnlyList<string> classNames, IReadOnlyList<string> files,
        IReadOnlyList<int> labels, IReadOnlyList<SkippedFile> skipped)
    {
        Directory = directory;
        Samples = samples;
        ClassNames = classNames;
        Files = files;
        Labels = labels;
        Skipped = skipped;
    }

    /// <summary>The folder that was read.</summary>
    public string Directory { get; }

    /// <summary>Inputs and targets, in sample order.</summary>
    public ArrayDataset Samples { get; }

    /// <summary>Class names; class <c>i</c> is the <c>i</c>-th folder name in ordinal order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The file each sample was decoded from.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The class index of each sample.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>Files not used, with the reason.</summary>
    public IReadOnlyList<SkippedFile> Skipped { get; }

    /// <summary>Number of samples.</summary>
    public long Count => Samples.Count;
}
