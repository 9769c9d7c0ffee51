namespace Zoo.Formats;

/// <summary>
/// The one domain exception of Zoo. Every bad input surfaces as a subclass of this type,
/// carrying the file and the object path inside it where the problem was found.
/// </summary>
public class ZooException : Exception
{
    /// <summary>Creates an exception for a problem at <paramref name="objectPath"/> in <paramref name="file"/>.</summary>
    public ZooException(string message, string? file = null, string? objectPath = null, Exception? inner = null)
        : base(Compose(message, file, objectPath), inner)
    {
        File = file;
        ObjectPath = objectPath;
        Detail = message;
    }

    /// <summary>The file the problem was found in, when known.</summary>
    public string? File { get; }

    /// <summary>The object path inside the file (HDF5 path, JSON path, zip entry), when known.</summary>
    public string? ObjectPath { get; }

    /// <summary>The message without the file and object path prefix.</summary>
    public string Detail { get; }

    private static string Compose(string message, string? file, string? objectPath)
    {
        var where = (file, objectPath) switch
        {
            (null or "", null or "") => "",
            (null or "", _) => $"{objectPath}: ",
            (_, null or "") => $"{file}: ",
            _ => $"{file}: {objectPath}: ",
        };
        return where + message;
    }
}

/// <summary>The input is malformed or corrupt: it is not what the format says it should be.</summary>
public class ModelFormatException : ZooException
{
    /// <inheritdoc cref="ZooException(string, string?, string?, Exception?)"/>
    public ModelFormatException(string message, string? file = null, string? objectPath = null, Exception? inner = null)
        : base(message, file, objectPath, inner) { }
}

/// <summary>
/// The input is refused for safety: external or dangling links, virtual or external datasets,
/// declared sizes far beyond the bytes stored, zip bombs, zip-slip paths, unsafe YAML tags.
/// </summary>
public class UnsafeModelException : ZooException
{
    /// <inheritdoc cref="ZooException(string, string?, string?, Exception?)"/>
    public UnsafeModelException(string message, string? file = null, string? objectPath = null, Exception? inner = null)
        : base(message, file, objectPath, inner) { }
}

/// <summary>The input is valid Keras but uses something Zoo does not support; the message names the layer and feature.</summary>
public class UnsupportedFeatureException : ZooException
{
    /// <inheritdoc cref="ZooException(string, string?, string?, Exception?)"/>
    public UnsupportedFeatureException(string message, string? file = null, string? objectPath = null, Exception? inner = null)
        : base(message, file, objectPath, inner) { }
}

/// <summary>Weights do not fit the architecture: missing, unexpected or wrongly shaped.</summary>
public class WeightMismatchException : ZooException
{
    /// <summary>Creates a mismatch error for weight <paramref name="weight"/> of layer <paramref name="layer"/>.</summary>
    public WeightMismatchException(string layer, string weight, string expected, string actual, string? file = null)
        : base($"layer '{layer}': weight '{weight}': expected {expected}, found {actual}", file, layer)
    {
        Layer = layer;
        Weight = weight;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The layer whose weight does not fit.</summary>
    public string Layer { get; }
    /// <summary>The weight's name.</summary>
    public string Weight { get; }
    /// <summary>What the architecture expects.</summary>
    public string Expected { get; }
    /// <summary>What was found.</summary>
    public string Actual { get; }
}

/// <summary>
/// An output path that must not be written: a directory, a socket or a block device where a file was asked for,
/// or an input of the same command. The request is refused before anything is written.
/// </summary>
public class OutputPathException : ZooException
{
    /// <inheritdoc cref="ZooException(string, string?, string?, Exception?)"/>
    public OutputPathException(string message, string? file = null, string? objectPath = null, Exception? inner = null)
        : base(message, file, objectPath, inner) { }
}
