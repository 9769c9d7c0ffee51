using System.Text.Json.Nodes;
using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Support;
using Zoo.Models.ModelZoo;
using Zoo.Models.ModelZoo.Applications;
using Zoo.Models.Tests.CrossCheck;
using Xunit.Abstractions;
using Zoo.Onnx.Export;
using Zoo.Onnx.Inference;
using Zoo.Onnx.Tests.Lowerings;
using Zoo.Onnx.Tests.Support;

namespace Zoo.Onnx.Tests.CrossCheck;

/// <summary>
/// A second ONNX Runtime build, npm's onnxruntime-node (its own native library, driven from JavaScript),
/// reads the files the exporter writes and must give the C# OnnxPredictor's numbers: per-layer graphs,
/// zoo models, models with a nested base and every real fixture that exports, all in one node invocation.
/// </summary>
public class OnnxRuntimeNodeCrossCheckTests(ITestOutputHelper log)
{
    private sealed record Case(string Id, ModelGraph Graph, long[][] Shapes);

    [SkippableFact]
    public void Onnxruntime_node_reads_every_exported_file_and_gives_the_CSharp_predictor_numbers_within_1e5()
    {
        Skip.If(NodeCrossCheck.SkipReason is not null, NodeCrossCheck.SkipReason);
        Skip.IfNot(Directory.Exists(Path.Combine(NodeCrossCheck.Directory!, "node_modules", "onnxruntime-node")),
            "tests/crosscheck/node_modules has no onnxruntime-node: run scripts/crosscheck-setup.sh (npm ci)");
        using var dir = new TempDir();
        var expected = new Dictionary<string, IReadOnlyList<(float[] Data, long[] Shape)>>();
        var requestCases = new JsonArray();
        foreach (var c in Cases())
        {
            var file = dir.File($"{c.Id}.onnx");
            OnnxExporter.Save(c.Graph, file);
            var inputs = c.Shapes.Select((s, i) => (LayerCases.Random(s, 11 + i), s)).ToArray();
            var specs = new JsonArray();
            for (int i = 0; i < inputs.Length; i++)
            {
                var bin = $"{c.Id}.x{i}.bin";
                File.WriteAllBytes(dir.File(bin), System.Runtime.InteropServices.MemoryMarshal.AsBytes(inputs[i].Item1.AsSpan()).ToArray());
                specs.Add(new JsonObject { ["file"] = bin, ["shape"] = new JsonArray(inputs[i].s.Select(d => (JsonNode)d).ToArray()) });
            }
            using (var p = new OnnxPredictor(file, OnnxParity.Cpu)) expected[c.Id] = p.Run(inputs);
            requestCases.Add(new JsonObject { ["id"] = c.Id, ["mode"] = "onnx", ["file"] = $"{c.Id}.onnx", ["inputs"] = specs, ["outDir"] = $"out/{c.Id}" });
        }

        var result = NodeCrossCheck.Run(new JsonObject { ["cases"] = requestCases }, dir.Path);
        Assert.Equal("1.30.0", (string?)result["tool"]?["onnxruntimeNode"]);
        var failures = new List<string>();
        int compared = 0;
        foreach (var r in result["cases"]!.AsArray().Select(n => n!.AsObject()))
        {
            var id = (string)r["id"]!;
            if (!(bool)r["ok"]!) { failures.Add($"{id}: onnxruntime-node failed: {r["error"]}"); continue; }
            var ours = expected[id];
            var outs = r["outputs"]!.AsArray();
            if (outs.Count != ours.Count) { failures.Add($"{id}: {outs.Count} outputs from node, {ours.Count} from C#"); continue; }
            float worst = 0, scale = 1;
            for (int i = 0; i < outs.Count; i++)
            {
                var shape = outs[i]!["shape"]!.AsArray().Select(d => (long)d!).ToArray();
                if (!shape.SequenceEqual(ours[i].Shape)) { failures.Add($"{id}: output {i} shape [{string.Join(",", shape)}] vs [{string.Join(",", ours[i].Shape)}]"); continue; }
                var bytes = File.ReadAllBytes((string)outs[i]!["file"]!);
                var theirs = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();
                worst = Math.Max(worst, OnnxParity.MaxAbs(ours[i].Data, theirs));
                scale = Math.Max(scale, ours[i].Data.Max(Math.Abs));
            }
            compared++;
            log.WriteLine($"{id}: onnxruntime-node vs C# OnnxPredictor max abs {worst:E2} (output scale {scale:G3})");
            if (worst > 1e-5f * scale) failures.Add($"{id}: max abs {worst} at output scale {scale}");
        }
        Assert.Equal(expected.Count, result["cases"]!.AsArray().Count);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(compared >= LayerCases.All.Count, $"only {compared} cases were compared");
    }

    private IEnumerable<Case> Cases()
    {
        int n = 0;
        string Id(string name) => $"c{n++:D3}_" + new string(name.Select(ch => char.IsAsciiLetterOrDigit(ch) ? ch : '_').ToArray());
        foreach (var (name, make) in LayerCases.All)
        {
            var (g, shape) = make();
            yield return new(Id(name), g, new[] { shape });
        }
        foreach (var cls in new[] { "Add", "Concatenate" })
            yield return new(Id("merge " + cls), LayerCases.Merge(cls), new[] { new long[] { 2, 3, 4 }, new long[] { 2, 3, 4 } });
        yield return new(Id("attention concat"), LayerCases.Attention("concat"), new[] { new long[] { 2, 3, 4 }, new long[] { 2, 5, 4 } });
        yield return new(Id("dot normalize"), LayerCases.Dot("{\"axes\": [2, 1], \"normalize\": true}", new long[] { 2, 3, 4 }, new long[] { 2, 4, 5 }),
            new[] { new long[] { 2, 3, 4 }, new long[] { 2, 4, 5 } });
        foreach (var (name, size, top) in new[] { ("lenet5", 32, true), ("resnet50", 64, true), ("inceptionv3", 75, false) })
        {
            var entry = ZooCatalog.Get(name);
            int channels = name == "lenet5" ? 1 : 3;
            var g = entry.Build(new ApplicationOptions { InputShape = new[] { size, size, channels }, IncludeTop = top, Classes = top ? 10 : entry.DefaultClasses, Pooling = top ? Pooling.None : Pooling.Avg, Seed = 5 });
            yield return new(Id("zoo " + name), g, new[] { new long[] { 2, size, size, channels } });
        }
        foreach (var (name, make) in NestedModels.All)
        {
            var g = make();
            yield return new(Id("nested " + name), g, NestedModels.Inputs(g).Select(x => x.Shape).ToArray());
        }
        foreach (var c in FixtureCases(Id)) yield return c;
    }

    // Every real full model that loads and exports; those that do not are named in the log (their refusals are tested elsewhere).
    private IEnumerable<Case> FixtureCases(Func<string, string> id)
    {
        if (Fixtures.KerasRealRoot is null) { log.WriteLine(Fixtures.AbsentReason); yield break; }
        foreach (var row in Fixtures.Manifest().Where(r => r.Kind is "h5-full" or "keras3-archive"))
        {
            ModelGraph g;
            global::Onnx.ModelProto proto;
            try { g = KerasFile.Load(Fixtures.Path(row.LocalPath)); proto = OnnxExporter.Export(g); }
            catch (ZooException e) { log.WriteLine($"{row.LocalPath}: not exported: {e.Message}"); continue; }
            var shapes = proto.Graph.Input.Select(v => v.Type.TensorType.Shape.Dim
                .Select((d, i) => d.HasDimValue ? d.DimValue : i == 0 ? 2L : 32L).ToArray()).ToArray();
            if (proto.Graph.Input.Any(v => v.Type.TensorType.ElemType != (int)global::Onnx.TensorProto.Types.DataType.Float))
            { log.WriteLine($"{row.LocalPath}: not float32 inputs"); continue; }
            yield return new(id("fixture " + Path.GetFileNameWithoutExtension(row.LocalPath)), g, shapes);
        }
    }
}
