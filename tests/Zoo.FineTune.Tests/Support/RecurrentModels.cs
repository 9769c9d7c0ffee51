using Zoo.FineTune.Fitting;
using Zoo.Formats.Ir;
using Zoo.Models.Tests.Support;

namespace Zoo.FineTune.Tests.Support;

/// <summary>Small sequence classifiers built by hand (the zoo builder has no recurrent layers), with seeded weights.</summary>
internal static class RecurrentModels
{
    public const int Steps = 6, Vocabulary = 8, EmbeddingSize = 4, Units = 5;

    /// <summary>The recurrent cores the tests train.</summary>
    public enum Core { Lstm, GruResetAfter, GruResetBefore, SimpleRnn, BidirectionalTimeDistributed }

    /// <summary>Embedding → <paramref name="core"/> → softmax Dense(2), Keras 2 names and layouts.</summary>
    public static ModelGraph Classifier(Core core, int seed = 1)
    {
        var layers = new List<LayerNode>
        {
            G.Layer("Embedding", "emb", $"{{\"input_dim\": {Vocabulary}, \"output_dim\": {EmbeddingSize}, \"batch_input_shape\": [null,{Steps}]}}",
                G.W("emb", "embeddings", new long[] { Vocabulary, EmbeddingSize }, seed)),
        };
        int features = Units;
        switch (core)
        {
            case Core.BidirectionalTimeDistributed:
                layers.Add(G.Layer("Bidirectional", "bi", "{\"merge_mode\": \"concat\", \"layer\": {\"class_name\": \"LSTM\", \"config\": {\"name\": \"l\", " +
                    $"\"units\": {Units}, \"recurrent_activation\": \"sigmoid\", \"return_sequences\": true}}}}}}",
                    Cell("bi/forward_l", "LSTM", EmbeddingSize, seed + 10).Concat(Cell("bi/backward_l", "LSTM", EmbeddingSize, seed + 20)).ToArray()));
                layers.Add(G.Layer("TimeDistributed", "td", "{\"layer\": {\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 3, \"activation\": \"tanh\"}}}",
                    G.W("td", "kernel", new long[] { 2 * Units, 3 }, seed + 30), G.W("td", "bias", new long[] { 3 }, seed + 31)));
                layers.Add(Recurrent("GRU", "rnn", 3, seed + 40, resetAfter: true));
                break;
            case Core.Lstm: layers.Add(Recurrent("LSTM", "rnn", EmbeddingSize, seed + 10)); break;
            case Core.GruResetAfter: layers.Add(Recurrent("GRU", "rnn", EmbeddingSize, seed + 10, resetAfter: true)); break;
            case Core.GruResetBefore: layers.Add(Recurrent("GRU", "rnn", EmbeddingSize, seed + 10, resetAfter: false)); break;
            case Core.SimpleRnn: layers.Add(Recurrent("SimpleRNN", "rnn", EmbeddingSize, seed + 10)); break;
        }
        layers.Add(G.Layer("Dense", "out", "{\"units\": 2, \"activation\": \"softmax\"}",
            G.W("out", "kernel", new long[] { features, 2 }, seed + 50), G.W("out", "bias", new long[] { 2 }, seed + 51)));
        var graph = G.Sequential(layers.ToArray());
        graph.Name = "seq_" + core.ToString().ToLowerInvariant();
        return graph;
    }

    /// <summary>A recurrent layer (returning its last output) with Keras 2 weight shapes.</summary>
    public static LayerNode Recurrent(string cls, string name, int inputs, int seed, bool resetAfter = true, string? batchShape = null)
    {
        var reset = cls == "GRU" ? $", \"reset_after\": {(resetAfter ? "true" : "false")}" : "";
        var shape = batchShape is null ? "" : $", \"batch_input_shape\": {batchShape}";
        return G.Layer(cls, name, $"{{\"units\": {Units}, \"recurrent_activation\": \"sigmoid\"{reset}{shape}}}", Cell(name, cls, inputs, seed, resetAfter));
    }

    private static WeightTensor[] Cell(string prefix, string cls, int inputs, int seed, bool resetAfter = true)
    {
        int gates = cls switch { "LSTM" => 4, "GRU" => 3, _ => 1 };
        var bias = cls == "GRU" && resetAfter ? new long[] { 2, gates * Units } : new long[] { gates * Units };
        return new[]
        {
            G.W(prefix, "kernel", new long[] { inputs, gates * Units }, seed),
            G.W(prefix, "recurrent_kernel", new long[] { Units, gates * Units }, seed + 1),
            G.W(prefix, "bias", bias, seed + 2, 0.1f),
        };
    }

    /// <summary>Token sequences; class 1 holds the token 7 somewhere, class 0 only tokens 1..6. One-hot targets.</summary>
    public static ArrayDataset Sequences(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n * Steps];
        var y = new float[n * 2];
        for (int i = 0; i < n; i++)
        {
            int cls = i % 2;
            for (int t = 0; t < Steps; t++) x[i * Steps + t] = rng.Next(1, 7);
            if (cls == 1) x[i * Steps + rng.Next(Steps)] = 7;
            y[i * 2 + cls] = 1;
        }
        return new ArrayDataset(x, new long[] { n, Steps }, y, new long[] { n, 2 });
    }
}
