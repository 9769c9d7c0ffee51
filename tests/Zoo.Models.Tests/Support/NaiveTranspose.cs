namespace Zoo.Models.Tests.Support;

/// <summary>
/// Straight-loop transposed convolution and 3-D convolution/pooling in Keras layout, written from the
/// definitions: a transposed convolution scatters x[i]·K[t] to output cell i·s + t·d − pad.
/// </summary>
internal static class NaiveTranspose
{
    /// <summary>Keras's deconv output length (conv_utils.deconv_output_length).</summary>
    public static int KerasLength(int input, int k, int s, int d, bool same, int? outputPadding)
    {
        int kd = (k - 1) * d + 1;
        if (outputPadding is null) return same ? input * s : input * s + Math.Max(kd - s, 0);
        int pad = same ? kd / 2 : 0;
        return (input - 1) * s + kd - 2 * pad + outputPadding.Value;
    }

    /// <summary>Leading cells TF drops: half (rounded down) of the same-padding the forward conv of the output would use.</summary>
    public static int PadBefore(int input, int output, int k, int s, int d, bool same)
        => same ? Math.Max((input - 1) * s + (k - 1) * d + 1 - output, 0) / 2 : 0;

    /// <summary>Conv2DTranspose, NHWC input, kernel (kh, kw, filters, in).</summary>
    public static float[] Conv2DTranspose(float[] x, int n, int h, int w, int c, float[] k, int kh, int kw, int f, float[]? bias,
        int sh, int sw, int dh, int dw, bool same, int? oph, int? opw, out int oh, out int ow, int? fixedH = null, int? fixedW = null)
    {
        oh = fixedH ?? KerasLength(h, kh, sh, dh, same, oph);
        ow = fixedW ?? KerasLength(w, kw, sw, dw, same, opw);
        int ph = PadBefore(h, oh, kh, sh, dh, same), pw = PadBefore(w, ow, kw, sw, dw, same);
        var y = new double[n * oh * ow * f];
        for (int b = 0; b < n; b++)
        for (int i = 0; i < h; i++)
        for (int j = 0; j < w; j++)
        for (int u = 0; u < kh; u++)
        for (int v = 0; v < kw; v++)
        {
            int oy = i * sh + u * dh - ph, ox = j * sw + v * dw - pw;
            if (oy < 0 || oy >= oh || ox < 0 || ox >= ow) continue;
            for (int o = 0; o < f; o++)
            for (int ci = 0; ci < c; ci++)
                y[((b * oh + oy) * ow + ox) * f + o] += x[((b * h + i) * w + j) * c + ci] * k[((u * kw + v) * f + o) * c + ci];
        }
        if (bias is not null) for (int p = 0; p < y.Length; p++) y[p] += bias[p % f];
        return y.Select(v => (float)v).ToArray();
    }

    /// <summary>Conv3D NDHWC, kernel (kd, kh, kw, in, out), stride 1 in every axis, TF same or valid.</summary>
    public static float[] Conv3D(float[] x, int n, int[] size, int c, float[] k, int[] ks, int f, int[] st, bool same, out int[] outSize)
    {
        var o = new int[3]; var pad = new int[3];
        for (int a = 0; a < 3; a++) { o[a] = Naive.OutSize(size[a], ks[a], st[a], 1, same); pad[a] = same ? Naive.PadBefore(size[a], ks[a], st[a], 1) : 0; }
        outSize = o;
        var y = new float[n * o[0] * o[1] * o[2] * f];
        for (int b = 0; b < n; b++)
        for (int z = 0; z < o[0]; z++)
        for (int i = 0; i < o[1]; i++)
        for (int j = 0; j < o[2]; j++)
        for (int of = 0; of < f; of++)
        {
            double acc = 0;
            for (int t = 0; t < ks[0]; t++)
            for (int u = 0; u < ks[1]; u++)
            for (int v = 0; v < ks[2]; v++)
            {
                int zz = z * st[0] + t - pad[0], yy = i * st[1] + u - pad[1], xx = j * st[2] + v - pad[2];
                if (zz < 0 || zz >= size[0] || yy < 0 || yy >= size[1] || xx < 0 || xx >= size[2]) continue;
                for (int ci = 0; ci < c; ci++)
                    acc += x[(((b * size[0] + zz) * size[1] + yy) * size[2] + xx) * c + ci] * k[(((t * ks[1] + u) * ks[2] + v) * c + ci) * f + of];
            }
            y[(((b * o[0] + z) * o[1] + i) * o[2] + j) * f + of] = (float)acc;
        }
        return y;
    }

    /// <summary>3-D max or average pooling NDHWC; average counts only real cells under same padding.</summary>
    public static float[] Pool3D(float[] x, int n, int[] size, int c, int[] ks, int[] st, bool same, bool max, out int[] outSize)
    {
        var o = new int[3]; var pad = new int[3];
        for (int a = 0; a < 3; a++) { o[a] = Naive.OutSize(size[a], ks[a], st[a], 1, same); pad[a] = same ? Naive.PadBefore(size[a], ks[a], st[a], 1) : 0; }
        outSize = o;
        var y = new float[n * o[0] * o[1] * o[2] * c];
        for (int b = 0; b < n; b++)
        for (int z = 0; z < o[0]; z++)
        for (int i = 0; i < o[1]; i++)
        for (int j = 0; j < o[2]; j++)
        for (int ci = 0; ci < c; ci++)
        {
            double acc = max ? double.NegativeInfinity : 0; int count = 0;
            for (int t = 0; t < ks[0]; t++)
            for (int u = 0; u < ks[1]; u++)
            for (int v = 0; v < ks[2]; v++)
            {
                int zz = z * st[0] + t - pad[0], yy = i * st[1] + u - pad[1], xx = j * st[2] + v - pad[2];
                if (zz < 0 || zz >= size[0] || yy < 0 || yy >= size[1] || xx < 0 || xx >= size[2]) continue;
                double val = x[(((b * size[0] + zz) * size[1] + yy) * size[2] + xx) * c + ci];
                acc = max ? Math.Max(acc, val) : acc + val; count++;
            }
            y[(((b * o[0] + z) * o[1] + i) * o[2] + j) * c + ci] = (float)(max ? acc : acc / count);
        }
        return y;
    }
}
