using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Zoo.Formats.IO;

namespace Zoo.Convert.Tests.Commands;

/// <summary>Small training inputs for the finetune command: seeded arrays and an image folder, written in a temp folder.</summary>
internal static class FinetuneFiles
{
    /// <summary><paramref name="n"/> 32×32×1 images, class c lit in band c (rows), labels 0..classes−1 as float indices.</summary>
    public static (string X, string Y) Arrays(string dir, int n, int classes, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n * 32 * 32];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            int c = i % classes;
            y[i] = c;
            for (int p = 0; p < 1024; p++)
                x[i * 1024 + p] = (p / 32 * classes / 32 == c ? 1f : 0f) + (float)(rng.NextDouble() - 0.5) * 0.2f;
        }
        var xPath = Path.Combine(dir, "x.npy");
        var yPath = Path.Combine(dir, "y.npy");
        Npy.Write(xPath, NpyArray.FromFloat32(new long[] { n, 32, 32, 1 }, x));
        Npy.Write(yPath, NpyArray.FromFloat32(new long[] { n }, y));
        return (xPath, yPath);
    }

    /// <summary>An image folder: "bright" and "dark" classes of 40×36 images in PNG and JPEG, plus a text file named .png.</summary>
    public static string Images(string dir, int perClass)
    {
        var root = Path.Combine(dir, "images");
        for (int c = 0; c < 2; c++)
        {
            var classDir = Path.Combine(root, c == 0 ? "bright" : "dark");
            Directory.CreateDirectory(classDir);
            for (int i = 0; i < perClass; i++)
            {
                using var img = new Image<Rgb24>(40, 36);
                byte level = (byte)(c == 0 ? 200 + i * 5 : 20 + i * 5);
                for (int yy = 0; yy < 36; yy++) for (int xx = 0; xx < 40; xx++) img[xx, yy] = new Rgb24(level, (byte)(level / 2), (byte)xx);
                if (i % 2 == 0) img.SaveAsPng(Path.Combine(classDir, $"{i}.png")); else img.SaveAsJpeg(Path.Combine(classDir, $"{i}.jpg"));
            }
        }
        File.WriteAllText(Path.Combine(root, "dark", "notes.png"), "not an image");
        return root;
    }
}
