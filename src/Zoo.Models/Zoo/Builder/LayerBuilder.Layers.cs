using System.Text.Json.Nodes;
using Zoo.Formats;
using Zoo.Formats.Layers;

namespace Zoo.Models.ModelZoo.Builder;

/// <summary>The layer factories, one per Keras class the zoo needs; configs as tf.keras 2.15 writes them.</summary>
public sealed partial class LayerBuilder
{
    /// <summary><c>keras.Input(shape)</c>: an <c>InputLayer</c> (named <c>input_1</c>, … unless named) and its tensor.</summary>
    public SymbolicTensor Input(int[] shape, string? name = null)
    {
        if (shape.Length == 0 || shape.Any(d => d <= 0))
            throw new UnsupportedFeatureException($"input shape ({string.Join(", ", shape)}): expected positive dimensions");
        var batch = new JsonArray(shape.Select(d => (JsonNode?)d).Prepend(null).ToArray());
        var config = new JsonObject { ["batch_input_shape"] = batch, ["dtype"] = "float32", ["sparse"] = false, ["ragged"] = false };
        var layer = DefineLayer("InputLayer", name, config, _ => shape, null, inputLayer: true);
        return new SymbolicTensor(this, new Formats.Ir.TensorRef(layer.Node.Name, 0, 0), (int[])shape.Clone());
    }

    /// <summary>An image input of <paramref name="height"/> × <paramref name="width"/> × <paramref name="channels"/>.</summary>
    public SymbolicTensor Input(int height, int width, int channels, string? name = null) => Input([height, width, channels], name);

    /// <summary><c>layers.Conv2D</c> (channels last, kernel initializer Glorot uniform, zero bias).</summary>
    public LayerCall Conv2D(int filters, Size2 kernelSize, Size2? strides = null, Padding padding = Padding.Valid,
        string activation = "linear", bool useBias = true, int groups = 1, Size2? dilationRate = null, string? name = null)
    {
        var s = strides ?? 1;
        var d = dilationRate ?? 1;
        var config = new JsonObject
        {
            ["filters"] = filters, ["kernel_size"] = kernelSize.ToJson(), ["strides"] = s.ToJson(), ["padding"] = PaddingName(padding),
            ["data_format"] = "channels_last", ["dilation_rate"] = d.ToJson(), ["groups"] = groups, ["activation"] = activation,
            ["use_bias"] = useBias, ["kernel_initializer"] = Initializers.GlorotUniform(), ["bias_initializer"] = Initializers.Config("Zeros"),
            ["kernel_regularizer"] = null, ["bias_regularizer"] = null, ["activity_regularizer"] = null,
            ["kernel_constraint"] = null, ["bias_constraint"] = null,
        };
        return Define("Conv2D", name, config,
            shapes => Spatial(shapes, kernelSize, s, padding, d, filters, "Conv2D"),
            shapes =>
            {
                int inCh = Image(shapes, "Conv2D")[2];
                if (inCh % groups != 0) throw new UnsupportedFeatureException($"Conv2D: {inCh} input channels are not divisible by groups={groups}");
                var w = new List<WeightSlot> { new("kernel", [kernelSize.Rows, kernelSize.Cols, inCh / groups, filters], Init.GlorotUniform) };
                if (useBias) w.Add(new("bias", [filters], Init.Zeros));
                return w;
            });
    }

    /// <summary><c>layers.Dense</c> (Glorot uniform kernel, zero bias).</summary>
    public LayerCall Dense(int units, string activation = "linear", bool useBias = true, string? name = null)
    {
        var config = new JsonObject
        {
            ["units"] = units, ["activation"] = activation, ["use_bias"] = useBias,
            ["kernel_initializer"] = Initializers.GlorotUniform(), ["bias_initializer"] = Initializers.Config("Zeros"),
            ["kernel_regularizer"] = null, ["bias_regularizer"] = null, ["activity_regularizer"] = null,
            ["kernel_constraint"] = null, ["bias_constraint"] = null,
        };
        return Define("Dense", name, config,
            shapes => [.. Single(shapes)[..^1], units],
            shapes =>
            {
                var w = new List<WeightSlot> { new("kernel", [Single(shapes)[^1], units], Init.GlorotUniform) };
                if (useBias) w.Add(new("bias", [units], Init.Zeros));
                return w;
            });
    }

    /// <summary><c>layers.BatchNormalization</c> on the channels axis; weights gamma (when scale), beta (when center), moving mean and variance.</summary>
    public LayerCall BatchNormalization(int axis = 3, double momentum = 0.99, double epsilon = 1e-3, bool center = true, bool scale = true, string? name = null)
    {
        var config = new JsonObject
        {
            ["axis"] = new JsonArray(axis), ["momentum"] = momentum, ["epsilon"] = epsilon, ["center"] = center, ["scale"] = scale,
            ["beta_initializer"] = Initializers.Config("Zeros"), ["gamma_initializer"] = Initializers.Config("Ones"),
            ["moving_mean_initializer"] = Initializers.Config("Zeros"), ["moving_variance_initializer"] = Initializers.Config("Ones"),
            ["beta_regularizer"] = null, ["gamma_regularizer"] = null, ["beta_constraint"] = null, ["gamma_constraint"] = null,
        };
        return Define("BatchNormalization", name, config, Single, shapes =>
        {
            var shape = Single(shapes);
            int a = axis < 0 ? shape.Length + 1 + axis : axis;
            if (a < 1 || a > shape.Length) throw new UnsupportedFeatureException($"BatchNormalization: axis {axis} is outside an input of rank {shape.Length + 1}");
            long[] dim = [shape[a - 1]];
            var w = new List<WeightSlot>();
            if (scale) w.Add(new("gamma", dim, Init.Ones));
            if (center) w.Add(new("beta", dim, Init.Zeros));
            w.Add(new("moving_mean", dim, Init.Zeros));
            w.Add(new("moving_variance", dim, Init.Ones));
            return w;
        });
    }

    /// <summary><c>layers.Activation</c>.</summary>
    public LayerCall Activation(string activation, string? name = null)
        => Define("Activation", name, new JsonObject { ["activation"] = activation }, Single);

    /// <summary><c>layers.MaxPooling2D</c>; strides default to the pool size.</summary>
    public LayerCall MaxPooling2D(Size2? poolSize = null, Size2? strides = null, Padding padding = Padding.Valid, string? name = null)
        => Pooling("MaxPooling2D", poolSize ?? 2, strides, padding, name);

    /// <summary><c>layers.AveragePooling2D</c>; strides default to the pool size.</summary>
    public LayerCall AveragePooling2D(Size2? poolSize = null, Size2? strides = null, Padding padding = Padding.Valid, string? name = null)
        => Pooling("AveragePooling2D", poolSize ?? 2, strides, padding, name);

    private LayerCall Pooling(string className, Size2 pool, Size2? strides, Padding padding, string? name)
    {
        var s = strides ?? pool;
        var config = new JsonObject { ["pool_size"] = pool.ToJson(), ["padding"] = PaddingName(padding), ["strides"] = s.ToJson(), ["data_format"] = "channels_last" };
        return Define(className, name, config, shapes => Spatial(shapes, pool, s, padding, 1, null, className));
    }

    /// <summary><c>layers.GlobalAveragePooling2D</c>.</summary>
    public LayerCall GlobalAveragePooling2D(string? name = null) => GlobalPooling("GlobalAveragePooling2D", name);

    /// <summary><c>layers.GlobalMaxPooling2D</c>.</summary>
    public LayerCall GlobalMaxPooling2D(string? name = null) => GlobalPooling("GlobalMaxPooling2D", name);

    private LayerCall GlobalPooling(string className, string? name)
        => Define(className, name, new JsonObject { ["data_format"] = "channels_last", ["keepdims"] = false },
            shapes => [Image(shapes, className)[2]]);

    /// <summary><c>layers.ZeroPadding2D(padding=((top, bottom), (left, right)))</c>.</summary>
    public LayerCall ZeroPadding2D(((int Top, int Bottom) Rows, (int Left, int Right) Cols) padding, string? name = null)
    {
        var config = new JsonObject
        {
            ["padding"] = new JsonArray(new JsonArray(padding.Rows.Top, padding.Rows.Bottom), new JsonArray(padding.Cols.Left, padding.Cols.Right)),
            ["data_format"] = "channels_last",
        };
        return Define("ZeroPadding2D", name, config, shapes =>
        {
            var s = Image(shapes, "ZeroPadding2D");
            return [s[0] + padding.Rows.Top + padding.Rows.Bottom, s[1] + padding.Cols.Left + padding.Cols.Right, s[2]];
        });
    }

    /// <summary><c>layers.ZeroPadding2D(padding=n)</c>: <paramref name="padding"/> cells on every side.</summary>
    public LayerCall ZeroPadding2D(int padding, string? name = null) => ZeroPadding2D(((padding, padding), (padding, padding)), name);

    /// <summary><c>layers.Flatten</c> (row-major over height, width, channels).</summary>
    public LayerCall Flatten(string? name = null)
        => Define("Flatten", name, new JsonObject { ["data_format"] = "channels_last" },
            shapes => [Single(shapes).Aggregate(1, (a, b) => checked(a * b))]);

    /// <summary><c>layers.Dropout</c> (identity at inference).</summary>
    public LayerCall Dropout(double rate, string? name = null)
        => Define("Dropout", name, new JsonObject { ["rate"] = rate, ["noise_shape"] = null, ["seed"] = null }, Single);

    /// <summary><c>layers.Add</c> of tensors of one shape.</summary>
    public LayerCall Add(string? name = null) => Define("Add", name, new JsonObject(), shapes =>
    {
        if (shapes.Count < 2 || shapes.Any(s => !s.AsSpan().SequenceEqual(shapes[0])))
            throw new UnsupportedFeatureException($"Add: expected at least two tensors of one shape, found {string.Join(", ", shapes.Select(Text))}");
        return shapes[0];
    });

    /// <summary><c>layers.Concatenate(axis)</c> (axis counts the batch dimension, as in Keras; −1 is the last).</summary>
    public LayerCall Concatenate(int axis = -1, string? name = null) => Define("Concatenate", name, new JsonObject { ["axis"] = axis }, shapes =>
    {
        int rank = shapes[0].Length;
        int a = (axis < 0 ? rank + 1 + axis : axis) - 1;
        bool fits = shapes.Count >= 2 && a >= 0 && a < rank && shapes.All(s => s.Length == rank
            && Enumerable.Range(0, rank).All(i => i == a || s[i] == shapes[0][i]));
        if (!fits) throw new UnsupportedFeatureException($"Concatenate(axis={axis}): shapes {string.Join(", ", shapes.Select(Text))} do not line up");
        var result = (int[])shapes[0].Clone();
        result[a] = shapes.Sum(s => s[a]);
        return result;
    });

    private static string PaddingName(Padding p) => p switch
    {
        Padding.Valid => "valid",
        Padding.Same => "same",
        _ => throw new UnsupportedFeatureException($"padding '{p}' is not a 2-D padding"),
    };

    private static int[] Single(IReadOnlyList<int[]> shapes)
        => shapes.Count == 1 ? shapes[0] : throw new UnsupportedFeatureException($"expected one input tensor, found {shapes.Count}");

    private static int[] Image(IReadOnlyList<int[]> shapes, string className)
    {
        var s = Single(shapes);
        return s.Length == 3 ? s : throw new UnsupportedFeatureException($"{className}: expected an image tensor (None, height, width, channels), found {Text(s)}");
    }

    /// <summary>Output size of a sliding window as TensorFlow computes it; a window that no longer fits is an error, as in Keras.</summary>
    private static int[] Spatial(IReadOnlyList<int[]> shapes, Size2 window, Size2 strides, Padding padding, Size2 dilation, int? filters, string className)
    {
        var s = Image(shapes, className);
        int Out(int size, int k, int stride, int dil)
        {
            int span = (k - 1) * dil + 1;
            int n = padding == Padding.Same ? (size + stride - 1) / stride : (size - span) / stride + 1;
            if (n <= 0 || (padding == Padding.Valid && size < span))
                throw new UnsupportedFeatureException($"{className}: window {window} does not fit an input of {Text(s)}; use a larger input shape");
            return n;
        }
        return [Out(s[0], window.Rows, strides.Rows, dilation.Rows), Out(s[1], window.Cols, strides.Cols, dilation.Cols), filters ?? s[2]];
    }
}
