using System.Reflection;
using PureHDF;
using PureHDF.VOL.Native;

namespace Zoo.Formats.Hdf5;

/// <summary>
/// Facts PureHDF 2.2.0 knows but does not make public, needed for safe mode and lossless strings:
/// an object's header address (to match it with what our own link scan, <see cref="H5LinkScan"/>, found
/// there), a string type's charset, and where a contiguous dataset's bytes lie (so they can be read
/// straight into their final array). Links, external storage and layouts are read by the link scan instead.
/// Pinned to PureHDF 2.2.0; the safety and fixture tests under tests/Zoo.Formats.Tests/Hdf5 fail loudly if an upgrade moves them.
/// </summary>
internal static class PureHdfInternals
{
    private const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;

    private static readonly PropertyInfo ReferenceProperty = Require(typeof(NativeObject).GetProperty("Reference", Any), "NativeObject.Reference");
    private static readonly PropertyInfo AttributeElementTypeProperty = Require(typeof(NativeAttribute).GetProperty("InternalElementDataType", Any), "NativeAttribute.InternalElementDataType");
    private static readonly PropertyInfo DataLayoutProperty = Require(typeof(NativeDataset).GetProperty("InternalDataLayout", Any), "NativeDataset.InternalDataLayout");
    private static readonly PropertyInfo DataTypeProperty = Require(typeof(NativeDataset).GetProperty("InternalDataType", Any), "NativeDataset.InternalDataType");
    private static readonly PropertyInfo ContextProperty = Require(typeof(NativeObject).GetProperty("Context", Any), "NativeObject.Context");
    private static readonly Type LayoutMessage3Type = Require(typeof(NativeDataset).Assembly.GetType("PureHDF.VOL.Native.DataLayoutMessage3"), "DataLayoutMessage3");
    private static readonly PropertyInfo LayoutPropertiesProperty = Require(LayoutMessage3Type.GetProperty("Properties", Any), "DataLayoutMessage3.Properties");
    private static readonly Type ContiguousStorageType = Require(typeof(NativeDataset).Assembly.GetType("PureHDF.VOL.Native.ContiguousStoragePropertyDescription"), "ContiguousStoragePropertyDescription");
    private static readonly PropertyInfo StorageAddressProperty = Require(ContiguousStorageType.GetProperty("Address", Any), "ContiguousStoragePropertyDescription.Address");
    private static readonly PropertyInfo StorageSizeProperty = Require(ContiguousStorageType.GetProperty("Size", Any), "ContiguousStoragePropertyDescription.Size");
    private static readonly PropertyInfo ContextSuperblockProperty = Require(ContextProperty.PropertyType.GetProperty("Superblock", Any), "NativeReadContext.Superblock");
    private static readonly PropertyInfo BaseAddressProperty = Require(ContextSuperblockProperty.PropertyType.GetProperty("BaseAddress", Any), "Superblock.BaseAddress");

    /// <summary>The object header address and the file object that owns it.</summary>
    public static (ulong Address, object? File) Identity(IH5Object obj)
    {
        var reference = ReferenceProperty.GetValue(obj) ?? throw new InvalidOperationException("PureHDF object without reference");
        var type = reference.GetType();
        var address = (ulong)(type.GetProperty("Value", Any)?.GetValue(reference) ?? throw new InvalidOperationException("reference without address"));
        return (address, type.GetProperty("File", Any)?.GetValue(reference));
    }

    /// <summary>The charset a string or variable-length string attribute declares, and whether a variable-length type is a string.</summary>
    public static (H5CharSet CharSet, bool IsString) StringInfo(IH5Attribute attribute)
    {
        var message = AttributeElementTypeProperty.GetValue(attribute) ?? throw new InvalidOperationException("attribute without datatype");
        var bitField = message.GetType().GetProperty("BitField", Any)?.GetValue(message)
            ?? throw new InvalidOperationException("datatype without bit field");
        var bitType = bitField.GetType();
        var encoding = Convert.ToInt32(bitType.GetProperty("Encoding", Any)?.GetValue(bitField) ?? 0);
        var vlenKind = bitType.GetProperty("Type", Any)?.GetValue(bitField);
        bool isString = vlenKind is null || Convert.ToInt32(vlenKind) == 1;
        return (encoding == 1 ? H5CharSet.Utf8 : H5CharSet.Ascii, isString);
    }

    /// <summary>
    /// Where a contiguous dataset's bytes lie: the absolute file offset (base address included) and the
    /// stored size. Null when the dataset is not contiguous, uses a pre-version-3 layout message, or stores
    /// elements in an order other than little-endian (PureHDF refuses those, and the caller should let it).
    /// </summary>
    public static (ulong Offset, ulong Size)? ContiguousExtent(IH5Dataset dataset)
    {
        if (dataset.Layout.Class != H5DataLayoutClass.Contiguous) return null;
        var layout = DataLayoutProperty.GetValue(dataset);
        if (layout is null || !LayoutMessage3Type.IsInstanceOfType(layout)) return null;
        var storage = LayoutPropertiesProperty.GetValue(layout);
        if (storage is null || !ContiguousStorageType.IsInstanceOfType(storage)) return null;
        if (!StoredLittleEndian(dataset)) return null;
        var address = (ulong)StorageAddressProperty.GetValue(storage)!;
        var size = (ulong)StorageSizeProperty.GetValue(storage)!;
        var context = ContextProperty.GetValue(dataset) ?? throw new InvalidOperationException("PureHDF object without context");
        var superblock = ContextSuperblockProperty.GetValue(context) ?? throw new InvalidOperationException("PureHDF context without superblock");
        var baseAddress = (ulong)BaseAddressProperty.GetValue(superblock)!;
        // An undefined address (all ones) or one past the end makes this overflow or fail the caller's bounds check.
        return address > ulong.MaxValue - baseAddress ? null : (baseAddress + address, size);
    }

    /// <summary>True unless the element type declares a byte order other than little-endian (types without one, like opaque, pass).</summary>
    private static bool StoredLittleEndian(IH5Dataset dataset)
    {
        var message = DataTypeProperty.GetValue(dataset) ?? throw new InvalidOperationException("dataset without datatype");
        var bitField = message.GetType().GetProperty("BitField", Any)?.GetValue(message);
        var order = bitField?.GetType().GetProperty("ByteOrder", Any)?.GetValue(bitField);
        return order is null || Convert.ToInt32(order) == 0;
    }

    private static T Require<T>(T? member, string what) where T : class
        => member ?? throw new InvalidOperationException($"PureHDF internals changed: {what} not found (Zoo is pinned to PureHDF 2.2.0)");
}
