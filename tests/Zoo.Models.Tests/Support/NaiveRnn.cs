namespace Zoo.Models.Tests.Support;

/// <summary>Keras recurrent cells as plain loops over one sample, from the Keras formulas.</summary>
internal static class NaiveRnn
{
    private static double[] Proj(float[] v, int vOff, int inDim, float[] k, int cols)
    {
        var r = new double[cols];
        for (int o = 0; o < cols; o++) for (int i = 0; i < inDim; i++) r[o] += v[vOff + i] * k[i * cols + o];
        return r;
    }

    private static double[] ProjD(double[] v, float[] k, int cols)
    {
        var r = new double[cols];
        for (int o = 0; o < cols; o++) for (int i = 0; i < v.Length; i++) r[o] += v[i] * k[i * cols + o];
        return r;
    }

    /// <summary>LSTM over x (t, in), gates i,f,c,o, sigmoid gates; returns every h (t·u).</summary>
    public static double[] Lstm(float[] x, int t, int inDim, int u, float[] k, float[] r, float[] b, Func<double, double> gate)
    {
        var h = new double[u]; var c = new double[u]; var seq = new List<double>();
        for (int s = 0; s < t; s++)
        {
            var z = Proj(x, s * inDim, inDim, k, 4 * u); var zr = ProjD(h, r, 4 * u);
            var nh = new double[u];
            for (int j = 0; j < u; j++)
            {
                double ig = gate(z[j] + zr[j] + b[j]), fg = gate(z[u + j] + zr[u + j] + b[u + j]);
                double cc = Math.Tanh(z[2 * u + j] + zr[2 * u + j] + b[2 * u + j]), og = gate(z[3 * u + j] + zr[3 * u + j] + b[3 * u + j]);
                c[j] = fg * c[j] + ig * cc;
                nh[j] = og * Math.Tanh(c[j]);
            }
            h = nh; seq.AddRange(h);
        }
        return seq.ToArray();
    }

    /// <summary>GRU over x, gates z,r,h; <paramref name="b"/> is (3u) or, with reset_after, (2, 3u).</summary>
    public static double[] Gru(float[] x, int t, int inDim, int u, float[] k, float[] r, float[] b, bool resetAfter)
    {
        var h = new double[u]; var seq = new List<double>();
        for (int s = 0; s < t; s++)
        {
            var xp = Proj(x, s * inDim, inDim, k, 3 * u);
            var nh = new double[u];
            if (resetAfter)
            {
                var inner = ProjD(h, r, 3 * u);
                for (int j = 0; j < u; j++)
                {
                    double z = Naive.Sigmoid(xp[j] + b[j] + inner[j] + b[3 * u + j]);
                    double rr = Naive.Sigmoid(xp[u + j] + b[u + j] + inner[u + j] + b[4 * u + j]);
                    double hh = Math.Tanh(xp[2 * u + j] + b[2 * u + j] + rr * (inner[2 * u + j] + b[5 * u + j]));
                    nh[j] = z * h[j] + (1 - z) * hh;
                }
            }
            else
            {
                var zr = ProjD(h, r, 3 * u);
                var z = new double[u]; var rr = new double[u];
                for (int j = 0; j < u; j++) { z[j] = Naive.Sigmoid(xp[j] + b[j] + zr[j]); rr[j] = Naive.Sigmoid(xp[u + j] + b[u + j] + zr[u + j]); }
                var rh = h.Select((v, j) => v * rr[j]).ToArray();
                for (int j = 0; j < u; j++)
                {
                    double acc = 0;
                    for (int i = 0; i < u; i++) acc += rh[i] * r[i * 3 * u + 2 * u + j];
                    nh[j] = z[j] * h[j] + (1 - z[j]) * Math.Tanh(xp[2 * u + j] + b[2 * u + j] + acc);
                }
            }
            h = nh; seq.AddRange(h);
        }
        return seq.ToArray();
    }
}
