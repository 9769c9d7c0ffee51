using Zoo.Formats;
using Zoo.Formats.IO;

namespace Zoo.FineTune.Fitting;

/// <summary>
/// Datasets from NumPy files: <c>x.npy</c> + <c>y.npy</c>, or one <c>.npz</c> holding both. Integer labels
/// are one-hot encoded (Keras's <c>to_categorical</c>) when a class count is given, or kept as class
/// indices for a sparse loss.
/// </summary>
public static class NumpyDataset
{
    /// <summary>Reads inputs from <paramref name="xPath"/> and targets from <paramref name="yPath"/>.</summary>
    /// <exception cref="ModelFormatException">A file is malformed, the sample counts differ, or a label is out of range.</exception>
    public static ArrayDataset Load(string xPath, string yPath, int? classes = null)
        => Make(Npy.Read(xPath), Npy.Read(yPath), classes, yPath);

    /// <summary>Reads arrays <paramref name="xKey"/> and <paramref name="yKey"/> of the archive <paramref name="npzPath"/>.</summary>
    public static ArrayDataset LoadNpz(string npzPath, string xKey = "x", string yKey = "y", int? classes = null)
    {
        // Only the two arrays used are inflated: an archive may hold others, and each costs memory.
        var arrays = Npz.Read(npzPath, [xKey, yKey, xKey + ".npy", yKey + ".npy"]);
        NpyArray Find(string key) => arrays.FirstOrDefault(a => a.Key == key || a.Key == key + ".npy").Value
            ?? throw new ModelFormatException($"archive has no array '{key}'; it has {string.Join(", ", Npz.Keys(npzPath))}", npzPath, key);
        return Make(Find(xKey), Find(yKey), classes, npzPath);
    }

    private static ArrayDataset Make(NpyArray x, NpyArray y, int? classes, string yFile)
    {
        if (x.Shape.Length == 0 || y.Shape.Length == 0 || x.Shape[0] != y.Shape[0])
            throw new ModelFormatException($"x has shape [{string.Join(",", x.Shape)}] and y [{string.Join(",", y.Shape)}]: both need the same number of samples first", yFile);
        var yValues = y.ToFloat32();
        var yShape = y.Shape;
        bool labels = y.Shape.Length == 1 || (y.Shape.Length == 2 && y.Shape[1] == 1);
        if (classes is { } k && labels)
        {
            long n = y.Shape[0];
            var oneHot = new float[n * k];
            for (long i = 0; i < n; i++)
            {
                float v = yValues[i];
                if (v != MathF.Round(v) || v < 0 || v >= k)
                    throw new ModelFormatException($"label {i} is {v}; expected a class index in [0, {k})", yFile, $"[{i}]");
                oneHot[i * k + (long)v] = 1;
            }
            yValues = oneHot;
            yShape = new[] { n, (long)k };
        }
        var data = new ArrayDataset(x.ToFloat32(), x.Shape, yValues, yShape);
        data.Validate(yFile);
        return data;
    }
}
