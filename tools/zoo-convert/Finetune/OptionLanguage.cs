using System.Globalization;
using Zoo.FineTune.Data;

namespace Zoo.Convert.Finetune;

/// <summary>
/// The small value languages of <c>finetune</c>'s options: <c>key=value</c> lists (<c>--early-stopping</c>,
/// schedule parameters), <c>--augment flip,shift=0.1,rotate=10</c> and <c>--image-size H,W</c>. Every bad value
/// is a usage error that names the option.
/// </summary>
internal static class OptionLanguage
{
    /// <summary>"a=1,b=x" as an ordinal dictionary; a bare word maps to "" (a flag).</summary>
    public static Dictionary<string, string> KeyValues(string option, string text, IReadOnlyCollection<string> allowed)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=');
            var (key, value) = eq < 0 ? (part, "") : (part[..eq].Trim(), part[(eq + 1)..].Trim());
            if (!allowed.Contains(key))
                throw new UsageException($"{option}: unknown key '{key}'; expected {string.Join(", ", allowed)}");
            if (!result.TryAdd(key, value)) throw new UsageException($"{option}: '{key}' is given twice");
        }
        return result;
    }

    /// <summary>A finite number, or a usage error naming the option and key.</summary>
    public static double Number(string option, string key, string text, double min = double.NegativeInfinity)
        => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && v >= min
            ? v : throw new UsageException($"{option}: {key} must be a number{(min > double.NegativeInfinity ? $" ≥ {min.ToString(CultureInfo.InvariantCulture)}" : "")}, found '{text}'");

    /// <summary>A whole number ≥ <paramref name="min"/>.</summary>
    public static int Integer(string option, string key, string text, int min = 0)
        => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min
            ? v : throw new UsageException($"{option}: {key} must be a whole number ≥ {min}, found '{text}'");

    /// <summary>true/false/1/0/yes/no.</summary>
    public static bool Boolean(string option, string key, string text) => text.ToLowerInvariant() switch
    {
        "" or "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new UsageException($"{option}: {key} must be true or false, found '{text}'"),
    };

    /// <summary><c>--augment flip,shift[=F],rotate[=DEGREES]</c>.</summary>
    public static AugmentOptions Augment(string text, int seed)
    {
        const string opt = "--augment";
        var kv = KeyValues(opt, text, ["flip", "shift", "rotate"]);
        if (kv.Count == 0) throw new UsageException($"{opt}: expected one or more of flip, shift, rotate");
        if (kv.TryGetValue("flip", out var f) && f.Length > 0) throw new UsageException($"{opt}: flip takes no value, found 'flip={f}'");
        double shift = kv.TryGetValue("shift", out var s) ? (s.Length == 0 ? AugmentOptions.DefaultShift : Number(opt, "shift", s, 0)) : 0;
        double rotate = kv.TryGetValue("rotate", out var r) ? (r.Length == 0 ? AugmentOptions.DefaultRotationDegrees : Number(opt, "rotate", r, 0)) : 0;
        if (shift >= 1) throw new UsageException($"{opt}: shift is a fraction of the image size, below 1; found {shift.ToString(CultureInfo.InvariantCulture)}");
        return new AugmentOptions { HorizontalFlip = kv.ContainsKey("flip"), Shift = shift, RotationDegrees = rotate, Seed = seed };
    }

    /// <summary><c>--image-size H,W</c>.</summary>
    public static (int Height, int Width) ImageSize(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !parts.All(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var d) && d > 0))
            throw new UsageException($"--image-size: expected two positive integers H,W, found '{text}'");
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
