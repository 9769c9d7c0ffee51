namespace Zoo.Models.Tests.Support;

/// <summary>
/// Straight-loop reference implementations in Keras layout (NHWC, HWIO kernels), written from the
/// TensorFlow definitions, so lowerings are checked against arithmetic rather than against torch.
/// </summary>
internal static class Naive
{
    /// <summary>TF "same" pad before for one axis.</summary>
    public static int PadBefore(int size, int k, int s, int d)
    {
        int outSize = (size + s - 1) / s;
        int total = Math.Max((outSize - 1) * s + (k - 1) * d + 1 - size, 0);
        return total / 2;
    }

    public static int OutSize(int size, int k, int s, int d, bool same)
        => same ? (size + s - 1) / s : (size - (k - 1) * d - 1) / s + 1;

    /// <summary>Conv2D NHWC with kernel (kh,kw,in/groups,out).</summary>
    public static float[] Conv2D(float[] x, int n, int h, int w, int c, float[] k, int kh, int kw, int f, float[]? bias,
        int sh, int sw, int dh, int dw, bool same, int groups = 1)
    {
        int oh = OutSize(h, kh, sh, dh, same), ow = OutSize(w, kw, sw, dw, same);
        int ph = same ? PadBefore(h, kh, sh, dh) : 0, pw = same ? PadBefore(w, kw, sw, dw) : 0;
        int cg = c / groups, fg = f / groups;
        var y = new float[n * oh * ow * f];
        for (int b = 0; b < n; b++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        for (int o = 0; o < f; o++)
        {
            int g = o / fg;
            double acc = bias?[o] ?? 0;
            for (int u = 0; u < kh; u++)
            for (int v = 0; v < kw; v++)
            {
                int yy = i * sh + u * dh - ph, xx = j * sw + v * dw - pw;
                if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
                for (int ci = 0; ci < cg; ci++)
                    acc += x[((b * h + yy) * w + xx) * c + g * cg + ci] * k[((u * kw + v) * cg + ci) * f + o];
            }
            y[((b * oh + i) * ow + j) * f + o] = (float)acc;
        }
        return y;
    }

    /// <summary>Depthwise conv NHWC with kernel (kh,kw,in,mult); output channel ci·mult + m.</summary>
    public static float[] Depthwise(float[] x, int n, int h, int w, int c, float[] k, int kh, int kw, int mult,
        int sh, int sw, bool same)
    {
        int oh = OutSize(h, kh, sh, 1, same), ow = OutSize(w, kw, sw, 1, same);
        int ph = same ? PadBefore(h, kh, sh, 1) : 0, pw = same ? PadBefore(w, kw, sw, 1) : 0;
        var y = new float[n * oh * ow * c * mult];
        for (int b = 0; b < n; b++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        for (int ci = 0; ci < c; ci++)
        for (int m = 0; m < mult; m++)
        {
            double acc = 0;
            for (int u = 0; u < kh; u++)
            for (int v = 0; v < kw; v++)
            {
                int yy = i * sh + u - ph, xx = j * sw + v - pw;
                if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
                acc += x[((b * h + yy) * w + xx) * c + ci] * k[((u * kw + v) * c + ci) * mult + m];
            }
            y[((b * oh + i) * ow + j) * c * mult + ci * mult + m] = (float)acc;
        }
        return y;
    }

    /// <summary>Pooling NHWC; average under "same" divides by the real cells in the window.</summary>
    public static float[] Pool2D(float[] x, int n, int h, int w, int c, int kh, int kw, int sh, int sw, bool same, bool max)
    {
        int oh = OutSize(h, kh, sh, 1, same), ow = OutSize(w, kw, sw, 1, same);
        int ph = same ? PadBefore(h, kh, sh, 1) : 0, pw = same ? PadBefore(w, kw, sw, 1) : 0;
        var y = new float[n * oh * ow * c];
        for (int b = 0; b < n; b++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        for (int ch = 0; ch < c; ch++)
        {
            double acc = max ? double.NegativeInfinity : 0; int count = 0;
            for (int u = 0; u < kh; u++)
            for (int v = 0; v < kw; v++)
            {
                int yy = i * sh + u - ph, xx = j * sw + v - pw;
                if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
                double val = x[((b * h + yy) * w + xx) * c + ch];
                acc = max ? Math.Max(acc, val) : acc + val;
                count++;
            }
            y[((b * oh + i) * ow + j) * c + ch] = (float)(max ? acc : acc / count);
        }
        return y;
    }

    /// <summary>x (n, in) · k (in, out) + b.</summary>
    public static float[] Dense(float[] x, int n, int inDim, float[] k, int outDim, float[]? b)
    {
        var y = new float[n * outDim];
        for (int r = 0; r < n; r++)
        for (int o = 0; o < outDim; o++)
        {
            double acc = b?[o] ?? 0;
            for (int i = 0; i < inDim; i++) acc += x[r * inDim + i] * k[i * outDim + o];
            y[r * outDim + o] = (float)acc;
        }
        return y;
    }

    public static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
    public static double HardSigmoid2(double v) => Math.Clamp(0.2 * v + 0.5, 0, 1);
}
