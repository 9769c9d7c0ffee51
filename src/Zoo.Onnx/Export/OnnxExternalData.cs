using Google.Protobuf;
using Onnx;
using Zoo.Formats.IO;

namespace Zoo.Onnx.Export;

/// <summary>
/// Moves initializer bytes to a side file (ONNX "external data"): protobuf messages stop at 2 GB, so large
/// models keep only offsets in the .onnx and the weights in <c>model.onnx.data</c>, 64-byte aligned as the
/// ONNX tooling writes them.
/// </summary>
internal static class OnnxExternalData
{
    private const int MinBytes = 1024;

    /// <summary>Writes the data file beside <paramref name="modelPath"/> and rewrites the large initializers to point into it.</summary>
    public static void MoveOut(ModelProto model, string modelPath)
    {
        var location = Path.GetFileName(modelPath) + ".data";
        var dataPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, location);
        var moved = model.Graph.Initializer.Where(t => t.RawData.Length >= MinBytes).ToList();
        AtomicFile.Write(dataPath, s =>
        {
            long offset = 0;
            foreach (var t in moved)
            {
                long pad = (64 - offset % 64) % 64;
                for (long i = 0; i < pad; i++) s.WriteByte(0);
                offset += pad;
                t.RawData.WriteTo(s);
                t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
                t.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                t.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = t.RawData.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                offset += t.RawData.Length;
                t.DataLocation = TensorProto.Types.DataLocation.External;
                t.RawData = ByteString.Empty;
            }
        });
    }
}
