using static Zoo.FineTune.Tests.Fuzzing.Image.ImageStructuralMutator;

namespace Zoo.FineTune.Tests.Fuzzing.Image;

/// <summary>
/// JPEG: frame (SOF) dimensions, component counts, sampling factors and table ids; segments removed,
/// duplicated or given lying lengths; restart intervals without restart markers; impossible Huffman
/// tables and scan parameters; the frame type switched (lossless, arithmetic). GIF: logical screen and
/// frame sizes and positions, LZW code sizes, colour-table flags without tables, frames repeated, no trailer.
/// </summary>
public static class JpegGifMutations
{
    private record struct Segment(int Offset, byte Marker, int Length);

    /// <summary>A structurally mutated copy of a JPEG, or null when its segments cannot be walked.</summary>
    public static byte[]? Jpeg(byte[] src, Random r, out string what)
    {
        var segs = Segments(src);
        what = "jpeg";
        if (segs.Count == 0) return null;
        var b = (byte[])src.Clone();
        var sof = segs.Find(s => s.Marker is >= 0xC0 and <= 0xC2);
        var pick = segs[r.Next(segs.Count)];
        switch (r.Next(9))
        {
            case 0 when sof.Marker != 0:
            {
                long h = r.Next(3) == 0 ? -1 : Dimension(r) & 0xFFFF, w = r.Next(3) == 1 ? -1 : Dimension(r) & 0xFFFF;
                if (h >= 0) Put(b, sof.Offset + 5, 2, h, true);
                if (w >= 0) Put(b, sof.Offset + 7, 2, w, true);
                what = $"jpeg:SOF {(w < 0 ? "same" : w)}x{(h < 0 ? "same" : h)}";
                return b;
            }
            case 1 when sof.Marker != 0:
            {
                int field = new[] { 4, 9, 11, 12, 14, 15, 17 }[r.Next(7)]; // precision, Nf, sampling and table of the first two components, third sampling
                byte v = new byte[] { 0, 1, 3, 4, 5, 12, 16, 0x00, 0xFF, 0x44, 0x41, 0x14, 0x88 }[r.Next(13)];
                if (sof.Offset + field < b.Length) b[sof.Offset + field] = v;
                what = $"jpeg:SOF[{field}]={v}";
                return b;
            }
            case 2:
                what = $"jpeg:remove {pick.Marker:X2}";
                return [.. src[..pick.Offset], .. src[(pick.Offset + 2 + pick.Length)..]];
            case 3:
            {
                long len = new long[] { 0, 1, 2, 0xFFFF, pick.Length + 10, Math.Max(0, pick.Length - 3) }[r.Next(6)];
                Put(b, pick.Offset + 2, 2, len, true);
                what = $"jpeg:{pick.Marker:X2} length={len}";
                return b;
            }
            case 4:
            {
                long interval = new long[] { 1, 2, 0xFFFF, 0 }[r.Next(4)];
                var dri = new byte[] { 0xFF, 0xDD, 0, 4, (byte)(interval >> 8), (byte)interval };
                what = $"jpeg:DRI {interval}";
                return [.. src[..pick.Offset], .. dri, .. src[pick.Offset..]];
            }
            case 5:
            {
                var dht = segs.FindAll(s => s.Marker == 0xC4);
                if (dht.Count == 0) return null;
                var d = dht[r.Next(dht.Count)];
                int k = r.Next(16);
                b[d.Offset + 5 + k] = (byte)(r.Next(2) == 0 ? 255 : r.Next(256));
                if (r.Next(3) == 0) b[d.Offset + 4] = (byte)r.Next(256); // table class and id
                what = $"jpeg:DHT count[{k}]";
                return b;
            }
            case 6:
            {
                var sos = segs.FindLast(s => s.Marker == 0xDA);
                if (sos.Marker == 0) return null;
                int end = sos.Offset + 2 + sos.Length;
                int field = end - 3 + r.Next(3); // Ss, Se, Ah/Al
                b[field] = (byte)new[] { 0, 63, 64, 200, 255, 0x0F, 0xF0, 0x1D }[r.Next(8)];
                what = $"jpeg:SOS[{field - end}]={b[field]}";
                return b;
            }
            case 7 when sof.Marker != 0:
                b[sof.Offset + 1] = new byte[] { 0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC9, 0xCA, 0xCB, 0xCF }[r.Next(9)];
                what = $"jpeg:SOF type {b[sof.Offset + 1]:X2}";
                return b;
            default:
            {
                int times = r.Next(2) == 0 ? 1 : r.Next(2, 200);
                var copy = src.AsSpan(pick.Offset, 2 + pick.Length).ToArray();
                what = $"jpeg:duplicate {pick.Marker:X2} x{times}";
                return [.. src[..pick.Offset], .. Enumerable.Repeat(copy, times).SelectMany(c => c), .. src[pick.Offset..]];
            }
        }
    }

    /// <summary>Marker segments from after SOI to the last SOS header (the entropy-coded data is not walked).</summary>
    private static List<Segment> Segments(byte[] b)
    {
        var list = new List<Segment>();
        int at = 2;
        while (at + 4 <= b.Length && b[at] == 0xFF)
        {
            byte m = b[at + 1];
            int len = b[at + 2] << 8 | b[at + 3];
            if (len < 2 || at + 2 + len > b.Length) break;
            list.Add(new Segment(at, m, len));
            at += 2 + len;
            if (m == 0xDA)
            {
                // Skip entropy-coded data to the next marker that is not stuffing or a restart.
                while (at + 1 < b.Length && !(b[at] == 0xFF && b[at + 1] is not (0x00 or >= 0xD0 and <= 0xD7))) at++;
                if (at + 1 < b.Length && b[at + 1] == 0xD9) break;
            }
        }
        return list;
    }

    /// <summary>A structurally mutated copy of a GIF, or null when it is too short to hold a screen descriptor.</summary>
    public static byte[]? Gif(byte[] src, Random r, out string what)
    {
        what = "gif";
        if (src.Length < 13) return null;
        var b = (byte[])src.Clone();
        var frames = Frames(b);
        int frame = frames.Count == 0 ? -1 : frames[r.Next(frames.Count)];
        switch (r.Next(7))
        {
            case 0:
            {
                long w = Dimension(r) & 0xFFFF, h = Dimension(r) & 0xFFFF;
                if (r.Next(3) > 0) Put(b, 6, 2, w, false);
                if (r.Next(3) > 0) Put(b, 8, 2, h, false);
                what = $"gif:screen {w}x{h}";
                return b;
            }
            case 1 when frame >= 0:
            {
                int field = 1 + 2 * r.Next(4); // left, top, width, height
                long v = Dimension(r) & 0xFFFF;
                Put(b, frame + field, 2, v, false);
                what = $"gif:frame@{frame}[{field}]={v}";
                return b;
            }
            case 2 when frame >= 0:
            {
                int codeSize = frame + 10 + ((b[frame + 9] & 0x80) != 0 ? 3 << ((b[frame + 9] & 7) + 1) : 0);
                if (codeSize >= b.Length) return null;
                b[codeSize] = new byte[] { 0, 1, 2, 9, 11, 12, 13, 255 }[r.Next(8)];
                what = $"gif:lzw-min-code-size={b[codeSize]}";
                return b;
            }
            case 3:
            {
                int at = frame >= 0 && r.Next(2) == 0 ? frame + 9 : 10;
                b[at] ^= (byte)(r.Next(2) == 0 ? 0x80 : 0x07); // colour table present without one, or a size that does not match
                what = $"gif:flags@{at}";
                return b;
            }
            case 4 when frame >= 0:
            {
                int times = r.Next(2, 400);
                int end = frames.Count > 1 && frames.IndexOf(frame) + 1 < frames.Count ? frames[frames.IndexOf(frame) + 1] : Math.Max(frame, src.Length - 1);
                var copy = src.AsSpan(frame, end - frame).ToArray();
                what = $"gif:frame x{times}";
                return [.. src[..frame], .. Enumerable.Repeat(copy, times).SelectMany(c => c), .. src[frame..]];
            }
            case 5:
                what = "gif:no trailer";
                return src[^1] == 0x3B ? src[..^1] : null;
            default:
            {
                // A sub-block length that runs past the end of the file.
                if (frame < 0) return null;
                int at = Math.Min(b.Length - 1, frame + 11 + ((b[frame + 9] & 0x80) != 0 ? 3 << ((b[frame + 9] & 7) + 1) : 0));
                b[at] = 0xFF;
                what = $"gif:sub-block@{at}";
                return b;
            }
        }
    }

    /// <summary>Offsets of the image descriptors (0x2C), found by walking the blocks after the global colour table.</summary>
    private static List<int> Frames(byte[] b)
    {
        var list = new List<int>();
        int at = 13 + ((b[10] & 0x80) != 0 ? 3 << ((b[10] & 7) + 1) : 0);
        while (at < b.Length)
        {
            if (b[at] == 0x21 && at + 2 < b.Length) at = SkipSubBlocks(b, at + 2);
            else if (b[at] == 0x2C && at + 10 < b.Length)
            {
                list.Add(at);
                at += 10 + ((b[at + 9] & 0x80) != 0 ? 3 << ((b[at + 9] & 7) + 1) : 0) + 1;
                at = SkipSubBlocks(b, at);
            }
            else break;
        }
        return list;
    }

    private static int SkipSubBlocks(byte[] b, int at)
    {
        while (at < b.Length && b[at] != 0) at += 1 + b[at];
        return at + 1;
    }
}
