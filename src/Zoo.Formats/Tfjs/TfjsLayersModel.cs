using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Zoo.Formats.Config;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Tfjs;

/// <summary>
/// Reads TensorFlow.js layers models (<c>model.json</c> from <c>tensorflowjs_converter</c>): the Keras
/// config inside <c>modelTopology</c> and the weights from the binary shards listed in
/// <c>weightsManifest</c>, resolved only inside the model's own folder.
/// </summary>
public static class TfjsLayersModel
{
    /// <summary>True when the parsed JSON is a tfjs layers model.</summary>
    public static bool IsTfjs(JsonNode root) => root is JsonObject o && o["modelTopology"] is JsonObject;

    /// <summary>Reads the model; when shards are missing the graph has no weights and a warning says which.</summary>
    public static ModelGraph Read(string path, JsonNode root)
    {
        var o = (JsonObject)root;
        var topo = (JsonObject)o["modelTopology"]!;
        var format = (o["format"] as JsonValue)?.ToString();
        if (format is not (null or "layers-model"))
            throw new UnsupportedFeatureException($"expected a TensorFlow.js layers model, found format '{format}' (graph models carry no Keras config)", path, "format");
        var configNode = topo["model_config"] ?? (topo["class_name"] is not null ? topo : null)
                         ?? throw new ModelFormatException("expected modelTopology.model_config, found none", path, "modelTopology");
        var version = (topo["keras_version"] as JsonValue)?.ToString();
        var graph = ModelConfigCodec.Parse(configNode, path, version);
        graph.Metadata.KerasVersion = version ?? graph.Metadata.KerasVersion;
        graph.Metadata.Backend = (topo["backend"] as JsonValue)?.ToString() ?? graph.Metadata.Backend;
        graph.Metadata.SourceFormat = KerasFormat.TfjsLayers;
        if (topo["training_config"] is JsonObject tc) graph.TrainingConfig = (JsonObject)tc.DeepClone();
        if (o["weightsManifest"] is JsonArray manifest) ReadWeights(path, manifest, graph);
        return graph;
    }

    private static void ReadWeights(string path, JsonArray manifest, ModelGraph graph)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var layers = new Dictionary<string, LayerNode>(StringComparer.Ordinal);
        Index(graph, layers);
        var budget = ReadBudget.For(null);
        var listed = new HashSet<string>(StringComparer.Ordinal);
        for (int g = 0; g < manifest.Count; g++)
        {
            var where = $"weightsManifest/{g}";
            if (manifest[g] is not JsonObject group || group["paths"] is not JsonArray paths || group["weights"] is not JsonArray weights)
                throw new ModelFormatException("expected an object with 'paths' and 'weights'", path, where);
            var shardFiles = new List<string>(paths.Count);
            for (int i = 0; i < paths.Count; i++)
            {
                var shard = TfjsShards.Resolve(dir, (paths[i] as JsonValue)?.ToString(), path, $"{where}/paths/{i}");
                if (!listed.Add(shard))
                    throw new UnsafeModelException($"shard '{Path.GetFileName(shard)}' is listed twice; each shard holds its own weights", path, $"{where}/paths/{i}");
                shardFiles.Add(shard);
            }
            var missing = shardFiles.Where(f => !TfjsShards.Exists(f)).ToList();
            if (missing.Count > 0)
            {
                graph.Warnings.Add($"weights not loaded: {missing.Count} of {shardFiles.Count} weight shards of {Path.GetFileName(path)} are missing (first: {Path.GetFileName(missing[0])})");
                continue;
            }
            var specs = weights.Select((w, i) => Spec(w, path, $"{where}/weights/{i}")).ToList();
            long needed = 0;
            foreach (var s in specs)
                needed = s.StoredBytes > long.MaxValue - needed
                    ? throw new UnsafeModelException("expected the weights' sizes to add up to a file size, found a sum past 2^63", path, where)
                    : needed + s.StoredBytes;
            var data = TfjsShards.ReadAll(shardFiles, needed, budget, path, where);
            long offset = 0;
            foreach (var s in specs)
            {
                var tensor = s.Decode(data.AsSpan((int)offset, (int)s.StoredBytes));
                offset += s.StoredBytes;
                var layerName = s.Name.Split('/')[0];
                if (!layers.TryGetValue(layerName, out var layer))
                    throw new WeightMismatchException(layerName, s.Name, "a layer of the model named by the weight's scope", "no such layer", path);
                layer.Weights.Add(tensor);
            }
        }
    }

    private static void Index(ModelGraph g, Dictionary<string, LayerNode> into)
    {
        foreach (var l in g.Layers)
        {
            if (l.Nested is not null) Index(l.Nested, into);
            else into.TryAdd(l.Name, l);
        }
    }

    private sealed record WeightSpec(string Name, long[] Shape, DType DType, string? QuantDType, double Scale, double Min, long StoredBytes)
    {
        public WeightTensor Decode(ReadOnlySpan<byte> stored)
        {
            if (QuantDType is null) return new WeightTensor(Name, Shape, DType, stored.ToArray());
            // tfjs quantization: q·scale + min (uint8/uint16) or float16 storage; Keras sees float32.
            var n = (int)WeightTensor.ElementCount(Shape);
            var f = new float[n];
            for (int i = 0; i < n; i++)
                f[i] = QuantDType switch
                {
                    "uint8" => (float)(stored[i] * Scale + Min),
                    "uint16" => (float)(MemoryMarshal.Read<ushort>(stored[(2 * i)..]) * Scale + Min),
                    _ => (float)MemoryMarshal.Read<Half>(stored[(2 * i)..]),
                };
            return WeightTensor.FromFloat32(Name, Shape, f);
        }
    }

    private static WeightSpec Spec(JsonNode? w, string file, string where)
    {
        if (w is not JsonObject o || o["name"] is not JsonValue nameV || o["shape"] is not JsonArray shapeA)
            throw new ModelFormatException("expected a weight entry with name, shape and dtype", file, where);
        var shape = shapeA.Select(d => d is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out long l) && l >= 0 ? l
            : throw new ModelFormatException($"expected non-negative dimensions, found {shapeA.ToJsonString()}", file, where)).ToArray();
        var dtypeName = (o["dtype"] as JsonValue)?.ToString() ?? "float32";
        var dtype = DTypes.FromKerasName(dtypeName)
                    ?? throw new UnsupportedFeatureException($"weight dtype '{dtypeName}' is not supported", file, where);
        long count = WeightTensor.ElementCount(shape) is var c && c <= Array.MaxLength
            ? c : throw new UnsafeModelException($"expected a weight of at most {Array.MaxLength:N0} elements, found shape {shapeA.ToJsonString()}", file, where);
        if (o["quantization"] is JsonObject q)
        {
            var qd = (q["dtype"] as JsonValue)?.ToString();
            double Num(string k) => q[k] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : 0;
            int qsize = qd switch
            {
                "uint8" => 1,
                "uint16" or "float16" => 2,
                _ => throw new UnsupportedFeatureException($"tfjs quantization dtype '{qd}' is not supported", file, where),
            };
            return new WeightSpec(nameV.ToString(), shape, DType.Float32, qd, Num("scale"), Num("min"), count * qsize);
        }
        // count is at most Array.MaxLength, so count × 8 fits in 64 bits.
        return new WeightSpec(nameV.ToString(), shape, dtype, null, 0, 0, count * dtype.Size());
    }
}
