using Zoo.Formats.Ir;

namespace Zoo.Formats;

public static partial class KerasFile
{
    private static ModelGraph LoadHdf5(string path, LoadOptions options)
        => throw new UnsupportedFeatureException("HDF5 reading is being wired in", path);

    private static ModelGraph LoadZip(string path, LoadOptions options)
        => throw new UnsupportedFeatureException(".keras reading is being wired in", path);

    private static KerasFormat DetectHdf5(string path)
        => throw new UnsupportedFeatureException("HDF5 detection is being wired in", path);

    private static void BindWeights(ModelGraph arch, string weightsPath, LoadOptions options)
        => throw new UnsupportedFeatureException("weights binding is being wired in", weightsPath);

    private static void SaveBinary(ModelGraph graph, string path, KerasFormat format, SaveOptions options)
        => throw new UnsupportedFeatureException($"writing {format} is being wired in", path);
}
