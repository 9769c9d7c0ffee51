using System.Diagnostics;
using System.Text.Json;

namespace Zoo.Convert.Tests.Support;

/// <summary>
/// Parameter totals of a Keras file computed by an independent implementation: Debian's h5py
/// (libhdf5) sums the element counts of the stored weight datasets. Skips when h5py is absent.
/// </summary>
internal static class H5pyCounts
{
    private const string Python = "/usr/bin/python3";

    // Legacy H5: every dataset listed in weight_names of every layer in layer_names; moving/running
    // statistics and layers whose config says trainable=false are non-trainable.
    // Keras 3 archive or .weights.h5: every dataset below layers/ (tf.keras on Windows wrote "layers\").
    private const string Script = """
import h5py, json, sys, zipfile, io
def frozen_names(node, out):
    if isinstance(node, dict):
        cfg = node.get('config')
        if isinstance(cfg, dict) and cfg.get('trainable') is False and 'name' in cfg:
            out.add(cfg['name'])
        for v in node.values(): frozen_names(v, out)
    elif isinstance(node, list):
        for v in node: frozen_names(v, out)
    return out
def text(v): return v.decode('utf8') if isinstance(v, bytes) else str(v)
def legacy(f):
    frozen = frozen_names(json.loads(text(f.attrs['model_config'])), set()) if 'model_config' in f.attrs else set()
    g = f['model_weights'] if 'model_weights' in f else f
    total = non = 0
    for ln in [text(n) for n in g.attrs['layer_names']]:
        for wn in [text(n) for n in g[ln].attrs.get('weight_names', [])]:
            n = int(g[ln][wn].size)
            total += n
            short = wn.split('/')[-1].split(':')[0]
            if ln in frozen or short.endswith(('moving_mean', 'moving_variance', 'running_mean', 'running_std')): non += n
    return total, non
def archive(path):
    z = zipfile.ZipFile(path)
    return by_object_path(h5py.File(io.BytesIO(z.read('model.weights.h5')), 'r'))
def by_object_path(f):
    sizes = []
    f.visititems(lambda n, o: sizes.append(int(o.size)) if isinstance(o, h5py.Dataset) and n.replace('\\', '/').startswith('layers/') else None)
    return sum(sizes), 0
p = sys.argv[1]
if zipfile.is_zipfile(p):
    t, n = archive(p)
else:
    f = h5py.File(p, 'r')
    t, n = legacy(f) if 'layer_names' in f.attrs or 'model_weights' in f else by_object_path(f)
print(json.dumps({'total': t, 'non_trainable': n}))
""";

    /// <summary>(total, non-trainable) parameters stored in <paramref name="path"/>.</summary>
    public static (long Total, long NonTrainable) Of(string path)
    {
        Skip.IfNot(File.Exists(Python), $"{Python} (Debian python3-h5py) is absent");
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Script);
        psi.ArgumentList.Add(path);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Skip.If(stderr.Contains("No module named 'h5py'"), "Debian python3-h5py is not installed");
        Assert.True(p.ExitCode == 0, $"h5py reference failed on {path}: {stderr}");
        var o = JsonDocument.Parse(stdout).RootElement;
        return (o.GetProperty("total").GetInt64(), o.GetProperty("non_trainable").GetInt64());
    }
}
