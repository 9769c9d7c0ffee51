using Zoo.Formats.Hdf5;
using Zoo.Formats.Ir;

namespace Zoo.Formats;

public static partial class KerasFile
{
    private static ModelGraph LoadZip(string path, LoadOptions options)
        => throw new UnsupportedFeatureException(".keras reading is being wired in", path);

    private static ModelGraph LoadKeras3Weights(H5TreeGroup root, string path, LoadOptions options)
        => throw new UnsupportedFeatureException("Keras 3 weight stores are being wired in", path);

    private static void AttachKeras3Weights(ModelGraph arch, H5TreeGroup root, string path)
        => throw new UnsupportedFeatureException("Keras 3 weight stores are being wired in", path);

    private static void SaveKerasArchive(ModelGraph graph, string path, SaveOptions options)
        => throw new UnsupportedFeatureException("writing .keras is being wired in", path);

    private static void SaveKeras3Weights(ModelGraph graph, string path, SaveOptions options)
        => throw new UnsupportedFeatureException("writing .weights.h5 is being wired in", path);
}
