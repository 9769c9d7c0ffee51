using Zoo.Formats.Tests.Fuzzing;

/// <summary>Re-reads one saved case with the named format's reader and prints what happened in full.</summary>
internal static class Replay
{
    public static int Run(string formatName, string file)
    {
        var scratch = Directory.CreateTempSubdirectory("zoo-fuzz-replay-").FullName;
        var seeds = new SeedLibrary(null, 0, scratch);
        var format = Targets.All(seeds).Single(f => f.Name == formatName);
        var dir = Path.GetDirectoryName(Path.GetFullPath(file))!;
        var path = Path.Combine(scratch, format.FileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Copy(file, path);
        foreach (var companion in Directory.GetFiles(dir).Where(f => Path.GetFileName(f) is not ("input" or "what.txt")))
            File.Copy(companion, Path.Combine(scratch, Path.GetFileName(companion)));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var meter = format.AllocationMeter?.Invoke();
        try
        {
            format.Read(path);
            Console.WriteLine("read fine");
        }
        catch (Exception e)
        {
            Console.WriteLine(e);
        }
        Console.WriteLine($"allocated {meter?.Invoke() ?? GC.GetAllocatedBytesForCurrentThread() - before} bytes for {new FileInfo(file).Length} input bytes");
        Directory.Delete(scratch, recursive: true);
        return 0;
    }
}
