namespace Zoo.Formats.IO;

/// <summary>
/// Writes a file so that a crash at any moment leaves either the old file or the complete new one:
/// the content goes to a temporary file in the same folder, which is flushed and then renamed over the target.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes via <paramref name="write"/> into a temp file, then renames it to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) throw new ZooException("expected an existing output folder, found none", full);
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (IOException e)
        {
            throw new ZooException($"expected to write the file, found an I/O error: {e.Message}", full, null, e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ZooException("expected a writable output path, found access denied", full, null, e);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Writes text (UTF-8, no BOM) atomically.</summary>
    public static void WriteText(string path, string text)
        => Write(path, s => { var b = new System.Text.UTF8Encoding(false).GetBytes(text); s.Write(b); });
}
