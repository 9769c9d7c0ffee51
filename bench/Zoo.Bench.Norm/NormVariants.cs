namespace Zoo.Bench.Norm;

/// <summary>
/// The normalizations the study swaps into the same small CNN: a layer after each convolution (<see cref="Layer"/>),
/// or a wrapper around each convolution (<see cref="Wrapper"/>), or nothing.
/// </summary>
internal sealed record NormVariant(string Label, string? Layer = null, string? LayerConfig = null, string? Wrapper = null, string? WrapperConfig = null)
{
    public static IReadOnlyList<NormVariant> All { get; } = new NormVariant[]
    {
        new("none"),
        new("BatchNorm", "BatchNormalization", "\"axis\": -1, \"momentum\": 0.99, \"epsilon\": 0.001, \"center\": true, \"scale\": true"),
        new("BatchNorm + renorm", "BatchNormalization",
            "\"axis\": -1, \"momentum\": 0.99, \"epsilon\": 0.001, \"center\": true, \"scale\": true, \"renorm\": true, \"renorm_clipping\": {\"rmax\": 3.0, \"rmin\": 0.3333, \"dmax\": 5.0}, \"renorm_momentum\": 0.99"),
        new("LayerNorm (H,W,C)", "LayerNormalization", "\"axis\": [1, 2, 3], \"epsilon\": 0.001, \"center\": true, \"scale\": true"),
        new("GroupNorm (4 groups)", "GroupNormalization", "\"groups\": 4, \"axis\": -1, \"epsilon\": 0.001, \"center\": true, \"scale\": true"),
        new("InstanceNorm (TFA)", "Addons>InstanceNormalization", "\"groups\": -1, \"axis\": -1, \"epsilon\": 0.001, \"center\": true, \"scale\": true"),
        new("WeightNorm (TFA)", Wrapper: "Addons>WeightNormalization", WrapperConfig: "\"data_init\": false"),
        new("SpectralNorm", Wrapper: "SpectralNormalization", WrapperConfig: "\"power_iterations\": 1"),
        new("Zoo>BatchInstanceNormalization", "Zoo>BatchInstanceNormalization", "\"axis\": -1, \"epsilon\": 0.001, \"momentum\": 0.99"),
        new("Zoo>SwitchableNormalization", "Zoo>SwitchableNormalization", "\"axis\": -1, \"epsilon\": 0.001, \"momentum\": 0.99"),
        new("Zoo>OnlineNormalization", "Zoo>OnlineNormalization", "\"axis\": -1, \"epsilon\": 0.001, \"alpha_fwd\": 0.999"),
        new("Zoo>CosineNormalization", Wrapper: "Zoo>CosineNormalization", WrapperConfig: "\"epsilon\": 1e-07"),
    };
}
