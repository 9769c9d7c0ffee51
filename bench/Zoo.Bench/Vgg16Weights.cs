using System.Runtime.InteropServices;
using Zoo.Formats.Ir;

namespace Zoo.Bench;

/// <summary>A weights-only graph with keras.applications VGG16's layer names and shapes (138,357,544 float32 parameters).</summary>
internal static class Vgg16Weights
{
    public static readonly (string Layer, long[] Kernel)[] Layers =
    [
        ("block1_conv1", [3, 3, 3, 64]), ("block1_conv2", [3, 3, 64, 64]),
        ("block2_conv1", [3, 3, 64, 128]), ("block2_conv2", [3, 3, 128, 128]),
        ("block3_conv1", [3, 3, 128, 256]), ("block3_conv2", [3, 3, 256, 256]), ("block3_conv3", [3, 3, 256, 256]),
        ("block4_conv1", [3, 3, 256, 512]), ("block4_conv2", [3, 3, 512, 512]), ("block4_conv3", [3, 3, 512, 512]),
        ("block5_conv1", [3, 3, 512, 512]), ("block5_conv2", [3, 3, 512, 512]), ("block5_conv3", [3, 3, 512, 512]),
        ("fc1", [25088, 4096]), ("fc2", [4096, 4096]), ("predictions", [4096, 1000]),
    ];

    public static ModelGraph Build()
    {
        var g = new ModelGraph { ClassName = "Functional", Name = "vgg16", HasArchitecture = false };
        uint state = 12345;
        foreach (var (name, kernel) in Layers)
        {
            var layer = new LayerNode("", name);
            layer.Weights.Add(Fill($"{name}/kernel:0", kernel, ref state));
            layer.Weights.Add(Fill($"{name}/bias:0", [kernel[^1]], ref state));
            g.Layers.Add(layer);
        }
        return g;
    }

    private static WeightTensor Fill(string name, long[] shape, ref uint state)
    {
        var n = WeightTensor.ElementCount(shape);
        var bytes = new byte[n * 4];
        var f = MemoryMarshal.Cast<byte, float>(bytes.AsSpan());
        for (int i = 0; i < f.Length; i++)
        {
            state ^= state << 13; state ^= state >> 17; state ^= state << 5;
            f[i] = (state >> 8) * (1f / (1 << 24)) - 0.5f;
        }
        return new WeightTensor(name, shape, DType.Float32, bytes);
    }
}
