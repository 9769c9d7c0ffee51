using System.Diagnostics;
using Zoo.Formats.Hdf5;
using Zoo.Formats.IO;
using Zoo.Formats.Tests.Support;

namespace Zoo.Convert.Tests.Commands;

/// <summary>Temporary .npy files cut from the DL4J companion h5 files, and Debian's numpy to read ours back.</summary>
internal sealed class PredictVerifyFiles : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("zoo-predict-");

    public string File(string name) => Path.Combine(dir.FullName, name);

    /// <summary>The one dataset of <paramref name="group"/> in a DL4J companion, written as .npy.</summary>
    public string FromDl4j(string localPath, string group, string name)
    {
        var root = H5TreeReader.Read(Fixtures.Path(localPath));
        var ds = ((H5TreeGroup)root[group]!).Children.OfType<H5TreeDataset>().Single();
        var path = File(name);
        Npy.Write(path, new NpyArray(ds.Shape, ds.DType, ds.Data));
        return path;
    }

    /// <summary>A copy of <paramref name="npy"/> with <paramref name="delta"/> added to its first element.</summary>
    public string Perturbed(string npy, float delta)
    {
        var a = Npy.Read(npy);
        var v = a.ToFloat32();
        v[0] += delta;
        var path = File("perturbed_" + Path.GetFileName(npy));
        Npy.Write(path, NpyArray.FromFloat32(a.Shape, v));
        return path;
    }

    /// <summary>Runs Debian's Python (which has numpy and h5py) on <paramref name="script"/>; returns stdout.</summary>
    public static string Python(string script)
    {
        Skip.IfNot(System.IO.File.Exists("/usr/bin/python3"), "Debian's /usr/bin/python3 (numpy, h5py) is not installed");
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"python failed: {error}");
        return output.Trim();
    }

    public void Dispose() => dir.Delete(recursive: true);
}
