using System.Reflection;
using System.Runtime.InteropServices;
using Zoo.Formats.Ir;
using static TorchSharp.torch;

namespace Zoo.Models.Binding;

/// <summary>
/// Lets a torch tensor use a stored float32 weight's own bytes: the array is pinned for as long as torch keeps
/// the tensor's storage, and nothing is copied. Loading VGG16 otherwise faults in and fills 494 MB of fresh
/// torch memory only to hold a second copy of its Dense kernels. Only an inference model uses it, and only for
/// lowerings that never write to their weights (<see cref="Torch.LoweredLayer.KeepsStoredWeights"/>): training
/// builds its own executor with owned copies, so a model's graph still never sees a weight change.
/// </summary>
internal static class WeightAlias
{
    /// <summary>Below this a copy costs nothing worth saving, and pinning many small arrays would fragment the GC heap.</summary>
    public const int MinimumBytes = 1 << 20;

    // TorchSharp 0.107 exposes tensors over managed memory only for arrays of the tensor's own element type, and
    // Keras weights arrive as bytes: its native constructor is reached through its own binding, so a TorchSharp
    // that changes it makes this fall back to copying instead of calling with the wrong signature.
    private static readonly MethodInfo? NewTensor = FindNewTensor();
    private static readonly Delegate? Deleter = NewTensor is null ? null
        : Delegate.CreateDelegate(NewTensor.GetParameters()[1].ParameterType, typeof(WeightAlias).GetMethod(nameof(Release), BindingFlags.NonPublic | BindingFlags.Static)!);
    private static readonly Dictionary<IntPtr, Stack<GCHandle>> pins = new();

    /// <summary>Whether a torch tensor holds <paramref name="data"/> pinned now (tests check Dispose releases it).</summary>
    public static bool IsPinned(byte[] data)
    {
        lock (pins) return pins.Values.Any(stack => stack.Any(h => ReferenceEquals(h.Target, data)));
    }

    /// <summary>Whether this TorchSharp build offers the constructor aliasing needs.</summary>
    public static bool Available => NewTensor is not null;

    /// <summary>A tensor of <paramref name="w"/>'s shape over its bytes, or null when it cannot or should not alias them.</summary>
    public static Tensor? TryCreate(WeightTensor w)
    {
        if (NewTensor is null || w.DType != DType.Float32 || w.Data.Length < MinimumBytes || w.Data.LongLength != w.ElementCount() * 4)
            return null;
        var data = GCHandle.Alloc(w.Data, GCHandleType.Pinned);
        var address = data.AddrOfPinnedObject();
        lock (pins)
        {
            if (!pins.TryGetValue(address, out var stack)) pins[address] = stack = new Stack<GCHandle>();
            stack.Push(data);
        }
        var dims = GCHandle.Alloc(w.Shape.ToArray(), GCHandleType.Pinned);
        try
        {
            var handle = (IntPtr)NewTensor.Invoke(null,
                [address, Deleter, dims.AddrOfPinnedObject(), w.Shape.Length, (sbyte)ScalarType.Float32, (sbyte)ScalarType.Float32, (int)TorchSharp.DeviceType.CPU, -1, false])!;
            if (handle != IntPtr.Zero) return Tensor.UnsafeCreateTensor(handle);
            Release(address);
            return null;
        }
        catch (TargetInvocationException)
        {
            // Torch refused (out of memory, a changed native contract): unpin and let the caller copy.
            Release(address);
            return null;
        }
        finally { dims.Free(); }
    }

    // Torch calls this when the last tensor over the bytes is gone.
    private static void Release(IntPtr address)
    {
        lock (pins)
        {
            if (!pins.TryGetValue(address, out var stack)) return;
            stack.Pop().Free();
            if (stack.Count == 0) pins.Remove(address);
        }
    }

    private static MethodInfo? FindNewTensor()
    {
        var m = typeof(TorchSharp.torch).Assembly.GetType("TorchSharp.PInvoke.NativeMethods")
            ?.GetMethod("THSTensor_new", BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Static);
        var expected = new[] { typeof(IntPtr), null, typeof(IntPtr), typeof(int), typeof(sbyte), typeof(sbyte), typeof(int), typeof(int), typeof(bool) };
        var actual = m?.GetParameters().Select(p => p.ParameterType).ToArray();
        if (m is null || actual!.Length != expected.Length || m.ReturnType != typeof(IntPtr)) return null;
        for (int i = 0; i < expected.Length; i++)
            if (expected[i] is { } t ? actual[i] != t : !typeof(Delegate).IsAssignableFrom(actual[i])) return null;
        var invoke = actual[1].GetMethod("Invoke")!;
        return invoke.ReturnType == typeof(void) && invoke.GetParameters() is [{ ParameterType: var p }] && p == typeof(IntPtr) ? m : null;
    }
}
