using Zoo.Formats.Hdf5;
using Zoo.Formats.Ir;
using Zoo.Formats.KerasV3;

namespace Zoo.Formats;

public static partial class KerasFile
{
    private static ModelGraph LoadZip(string path, LoadOptions options) => KerasArchive.Read(path, options);

    private static ModelGraph LoadKeras3Weights(H5TreeGroup root, string path, LoadOptions options)
    {
        var graph = WeightStoreMapper.ReadWeightsOnly(root, path);
        graph.Metadata.Dialect = KerasDialectKind.Keras3;
        return graph;
    }

    private static void AttachKeras3Weights(ModelGraph arch, H5TreeGroup root, string path)
    {
        ClearWeights(arch);
        WeightStoreMapper.Attach(arch, root, path);
    }

    private static void SaveKerasArchive(ModelGraph graph, string path, SaveOptions options)
    {
        // Keras 3 refuses to load an archive whose layers lack their variables, so an architecture-only
        // graph (from JSON/YAML or an unbuilt model) cannot become a loadable .keras file on its own.
        if (graph.HasArchitecture && !graph.AllWeights().Any() && Summary.ModelSummary.Of(graph).Totals.Total > 0)
            throw new UnsupportedFeatureException($"model '{graph.Name}' has no weights, and Keras 3 cannot load a .keras archive without them; pair the architecture with its weights file (zoo-convert convert ARCH OUT.keras --weights W.h5)", path);
        KerasArchive.Write(graph, path, options);
    }

    private static void SaveKeras3Weights(ModelGraph graph, string path, SaveOptions options) => KerasWeightsStore.Write(graph, path, options);
}
