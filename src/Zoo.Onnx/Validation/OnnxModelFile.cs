using Google.Protobuf;
using Onnx;
using Zoo.Formats;

namespace Zoo.Onnx.Validation;

/// <summary>
/// Reads a <c>.onnx</c> file from a stranger safely: parses it under protobuf's nesting limit and then checks,
/// before anything hands it to ONNX Runtime, that every tensor stores exactly the bytes its dims and dtype
/// declare, external data stays inside the model's folder and inside its data file, dims are not negative,
/// attributes hold what their type says, subgraphs nest at most <see cref="MaxGraphDepth"/> deep, and the main
/// graph passes <see cref="OnnxChecker"/>. Malformed files raise <see cref="ModelFormatException"/>,
/// refused ones <see cref="UnsafeModelException"/>.
/// </summary>
public static class OnnxModelFile
{
    /// <summary>Protobuf messages cannot exceed 2 GiB; larger weights belong in external data.</summary>
    public const long MaxBytes = int.MaxValue;

    /// <summary>Deepest nesting of subgraphs (If/Loop/Scan bodies) accepted.</summary>
    public const int MaxGraphDepth = 16;

    /// <summary>Parses and validates the model at <paramref name="path"/>.</summary>
    /// <exception cref="ModelFormatException">The file is not a well-formed ONNX model.</exception>
    /// <exception cref="UnsafeModelException">The file declares more than it stores, or reaches outside its folder.</exception>
    public static ModelProto Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        var model = Parse(full);
        OnnxModelValidator.Validate(model, full);
        return model;
    }

    /// <summary>Validates the model at <paramref name="path"/> without keeping it (what runs before ONNX Runtime opens a file).</summary>
    public static void Validate(string path) => Read(path);

    private static ModelProto Parse(string full)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(full);
            if (!info.Exists) throw new ModelFormatException("expected an ONNX model file, found none", full);
            if (info.Length > MaxBytes)
                throw new UnsafeModelException($"expected an ONNX model of at most {MaxBytes} bytes (protobuf's limit; large weights go in external data), found {info.Length}", full);
            bytes = File.ReadAllBytes(full);
        }
        catch (IOException e)
        {
            throw new ModelFormatException($"expected a readable ONNX model, found an I/O error: {e.Message}", full, null, e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ModelFormatException("expected a readable ONNX model, found access denied", full, null, e);
        }
        if (bytes.Length == 0) throw new ModelFormatException("expected an ONNX model, found an empty file", full);
        try
        {
            // The default recursion limit (100 messages) keeps a deeply nested graph from overflowing the stack.
            return ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelFormatException($"expected an ONNX ModelProto, found bytes protobuf cannot parse: {e.Message}", full, null, e);
        }
    }
}
