using System.Text.Json.Nodes;
using Zoo.Formats.Dialects;
using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using Zoo.Models.ModelZoo.Applications;
using Zoo.Models.ModelZoo.Builder;

namespace Zoo.FineTune.Tests.Transfer;

/// <summary>
/// The shapes Keras users build around a pre-trained base, small enough to train in a test: a three-stage
/// convolutional base (conv, BatchNormalization, relu, pool) on 16×16×1 images, used as a layer.
/// </summary>
internal static class TransferModels
{
    /// <summary>The base: stages s1..s3, ending in 12 feature maps of 4×4 (no head).</summary>
    public static ModelGraph Base(int seed = 1, string name = "base")
    {
        var l = new LayerBuilder(seed);
        var input = l.Input(16, 16, 1);
        var x = input;
        for (int s = 1; s <= 3; s++)
        {
            x = l.Conv2D(4 * s, 3, padding: Padding.Same, name: $"s{s}_conv")(x);
            x = l.BatchNormalization(name: $"s{s}_bn")(x);
            x = l.Activation("relu", name: $"s{s}_relu")(x);
            if (s < 3) x = l.MaxPooling2D(2, name: $"s{s}_pool")(x);
        }
        return l.Model(input, x, name);
    }

    /// <summary>Keras's transfer-learning model: <c>base.trainable = False; base(inputs, training=False)</c>, GAP, Dropout, Dense.</summary>
    public static ModelGraph Transfer(ModelGraph? @base = null, int classes = 2, bool? training = false, int seed = 3)
        => TransferModel.Build(@base ?? Base(), new TransferModelOptions
        {
            Head = new ClassifierHeadOptions { Classes = classes, Dropout = 0.2, Seed = seed }, BaseTraining = training,
        });

    /// <summary>The same model in Keras 3's dialect (configs, envelopes, node numbering), as Keras 3 saves it.</summary>
    public static ModelGraph TransferKeras3() => Transfer(DialectTranslator.Translate(Base(), KerasDialectKind.Keras3));

    /// <summary>
    /// Nested two deep: <c>mid = Model(x, Dense(8)(GAP(base(x))))</c> is itself the base of the outer transfer model.
    /// </summary>
    public static ModelGraph TwoDeep()
    {
        var mid = TransferModel.Build(Base(), new TransferModelOptions
        {
            Name = "mid", Head = new ClassifierHeadOptions { Classes = 8, Dropout = 0, Activation = "relu", Seed = 5 }, BaseTraining = null,
        });
        return Transfer(mid);
    }

    /// <summary>One base shared by two image inputs (Keras node 1 and node 2 of the base), each pooled, concatenated, classified.</summary>
    public static ModelGraph SharedBase()
    {
        var outer = Transfer();
        var @base = outer.Layers.Single(l => l.Nested is not null);
        var input = outer.Layers[0];
        var second = new LayerNode("InputLayer", "input_b", (JsonObject)input.Config.DeepClone()) { };
        second.Config["name"] = "input_b";
        outer.Layers.Insert(1, second);
        outer.Inputs.Add(new TensorRef("input_b", 0, 0));
        @base.InboundNodes.Add(new NodeCall([new TensorRef("input_b", 0, 0)], new JsonObject { ["training"] = false }));
        // Keep the transfer model's pooling for the first call; pool the second call too and concatenate.
        var gap = outer.Layers.Single(l => l.ClassName == "GlobalAveragePooling2D");
        gap.InboundNodes.Add(new NodeCall([new TensorRef(@base.Name, 2, 0)]));
        var concat = new LayerNode("Concatenate", "concatenate", new JsonObject { ["name"] = "concatenate", ["trainable"] = true, ["dtype"] = "float32", ["axis"] = -1 });
        concat.InboundNodes.Add(new NodeCall([new TensorRef(gap.Name, 0, 0), new TensorRef(gap.Name, 1, 0)]));
        int at = outer.Layers.IndexOf(gap) + 1;
        outer.Layers.Insert(at, concat);
        var dropout = outer.Layers.Single(l => l.ClassName == "Dropout");
        dropout.InboundNodes[0].Inputs[0] = new TensorRef("concatenate", 0, 0);
        var dense = outer.Layers.Single(l => l.ClassName == "Dense");
        var kernel = dense.Weights[0];
        // Twice the features now: a kernel of shape (24, 2).
        var doubled = new byte[kernel.Data.Length * 2];
        kernel.Data.AsSpan().CopyTo(doubled);
        kernel.Data.AsSpan().CopyTo(doubled.AsSpan(kernel.Data.Length));
        dense.Weights[0] = new WeightTensor(kernel.Name, [kernel.Shape[0] * 2, kernel.Shape[1]], kernel.DType, doubled);
        return outer;
    }

    /// <summary>A Sequential model whose first layer is a Sequential base (tf.keras numbers the inner model's call node 1).</summary>
    public static ModelGraph SequentialInSequential()
    {
        var functional = Base(name: "inner");
        var inner = new ModelGraph { ClassName = "Sequential", Name = "inner" };
        inner.ConfigExtras["name"] = "inner";
        foreach (var layer in functional.Layers)
        {
            var copy = layer.CloneLayer();
            copy.InboundNodes.Clear();
            copy.RawInboundNodes = null;
            inner.Layers.Add(copy);
        }
        var innerLayer = new LayerNode("Sequential", "inner", inner.ConfigExtras) { Nested = inner, Extras = inner.Extras };
        var outer = new ModelGraph { ClassName = "Sequential", Name = "outer" };
        outer.ConfigExtras["name"] = "outer";
        outer.Layers.Add(innerLayer);
        ClassifierHead.Append(outer, null, [1, 4, 4, 12], new ClassifierHeadOptions { Classes = 2, Seed = 4 });
        return outer;
    }
}
