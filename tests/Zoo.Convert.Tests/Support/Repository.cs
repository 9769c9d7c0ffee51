namespace Zoo.Convert.Tests.Support;

/// <summary>Finds files of this repository (the folder holding Zoo.sln) from the test binaries.</summary>
internal static class Repository
{
    public static string File(string relative)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (System.IO.File.Exists(Path.Combine(d.FullName, "Zoo.sln"))) return Path.Combine(d.FullName, relative);
        throw new FileNotFoundException("Zoo.sln not found above the test binaries");
    }
}
