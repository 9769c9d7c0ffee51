using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Zoo.Formats.Ir;
using static TorchSharp.torch;

namespace Zoo.Models.Binding;

/// <summary>How a lowering keeps one weight, when it is one of the layouts <see cref="WeightCopy"/> converts directly.</summary>
internal enum TorchWeightLayout
{
    /// <summary>No direct conversion: the lowering's tensor-based <c>ToTorch</c> converts it.</summary>
    Other,

    /// <summary>Torch layout = Keras layout (biases, BatchNormalization statistics, …).</summary>
    Keras,

    /// <summary>Convolution kernel (k₁…k_r, in, out) → (out, in, k₁…k_r), as <c>KerasTorchLayout.ConvToTorch</c>.</summary>
    ConvKernel,

    /// <summary>Dense kernel (in, out) → (out, in), as <c>KerasTorchLayout.DenseToTorch</c>.</summary>
    DenseKernel,
}

/// <summary>
/// Puts a stored float32 weight into new torch memory in the lowering's layout with one pass over the file's
/// bytes: no float[] copy, no staging tensor, and kernel transposes done cache-friendly (torch's generic
/// strided copy walks a 3×3 kernel's short inner axis and is several times slower).
/// </summary>
internal static class WeightCopy
{
    /// <summary>True when <see cref="ToTorch"/> can convert <paramref name="w"/> to <paramref name="layout"/>.</summary>
    public static bool Handles(WeightTensor w, TorchWeightLayout layout)
        => layout != TorchWeightLayout.Other && w.DType == DType.Float32 && w.ElementCount() > 0 && w.Data.LongLength <= int.MaxValue
           && (layout == TorchWeightLayout.Keras || (layout == TorchWeightLayout.DenseKernel ? w.Shape.Length == 2 : w.Shape.Length >= 3));

    /// <summary>A new contiguous float32 tensor holding <paramref name="w"/> in torch <paramref name="layout"/>.</summary>
    public static Tensor ToTorch(WeightTensor w, TorchWeightLayout layout)
    {
        var s = w.Shape;
        int r = s.Length;
        // The weight seen as (A, B, C) row-major goes to (C, B, A): conv (spatial, in, out) → (out, in, spatial); dense (in, 1, out) → (out, 1, in).
        var (a, b, c, torchShape) = layout switch
        {
            TorchWeightLayout.Keras => (1L, 1L, w.ElementCount(), s),
            TorchWeightLayout.DenseKernel => (s[0], 1L, s[1], new[] { s[1], s[0] }),
            _ => (s.Take(r - 2).Aggregate(1L, (p, d) => p * d), s[r - 2], s[r - 1],
                  new[] { s[r - 1], s[r - 2] }.Concat(s.Take(r - 2)).ToArray()),
        };
        var t = empty(torchShape, dtype: ScalarType.Float32);
        try
        {
            if (layout == TorchWeightLayout.Keras) Copy(w.Data, t);
            // With one spatial cell (1×1 kernels) the reversal is a plain (in, out) → (out, in) transpose.
            else if (a == 1) Reverse(w.Data, t, (int)b, 1, (int)c);
            else Reverse(w.Data, t, (int)a, (int)b, (int)c);
            return t;
        }
        catch
        {
            t.Dispose();
            throw;
        }
    }

    private const int Tile = 32, ParallelCopyThreshold = 16 << 20, CopySlice = 4 << 20;

    /// <summary>
    /// A straight copy; large ones in slices on every core, because most of their cost is the kernel faulting
    /// in and zeroing the fresh torch pages, which spreads across cores like the copy itself.
    /// </summary>
    private static void Copy(byte[] source, Tensor target)
    {
        if (source.Length < ParallelCopyThreshold || Environment.ProcessorCount == 1) { source.AsSpan().CopyTo(target.bytes); return; }
        int slices = (source.Length + CopySlice - 1) / CopySlice;
        Parallel.For(0, slices, i =>
        {
            int start = i * CopySlice, length = Math.Min(CopySlice, source.Length - start);
            source.AsSpan(start, length).CopyTo(target.bytes.Slice(start, length));
        });
    }

    /// <summary>
    /// dst[k][j][i] = src[i][j][k] for src of shape (a, b, c): for each j a transpose of an a×c matrix, in
    /// 32×32 tiles so reads and writes both stay within a few pages; tile rows run in parallel when large.
    /// </summary>
    // Optimized at first call: a fresh process would otherwise run these loops as unoptimized tier-0 code for
    // most of a large model's load (tiering promotes them only after 30 calls and a 100 ms delay).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Reverse(byte[] source, Tensor target, int a, int b, int c)
    {
        int rowTiles = (c + Tile - 1) / Tile;
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Run(int tile)
        {
            ref float src = ref MemoryMarshal.GetReference(MemoryMarshal.Cast<byte, float>(source.AsSpan()));
            ref float dst = ref MemoryMarshal.GetReference(MemoryMarshal.Cast<byte, float>(target.bytes));
            int k0 = tile * Tile, k1 = Math.Min(k0 + Tile, c);
            for (int j = 0; j < b; j++)
                for (int i0 = 0; i0 < a; i0 += Tile)
                {
                    int i1 = Math.Min(i0 + Tile, a);
                    for (int k = k0; k < k1; k++)
                    {
                        ref float row = ref Unsafe.Add(ref dst, (k * b + j) * a);
                        for (int i = i0; i < i1; i++) Unsafe.Add(ref row, i) = Unsafe.Add(ref src, (i * b + j) * c + k);
                    }
                }
        }
        if ((long)a * b * c < 1 << 20) { for (int t = 0; t < rowTiles; t++) Run(t); }
        else Parallel.For(0, rowTiles, Run);
    }
}
