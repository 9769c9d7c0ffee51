namespace Zoo.Formats.Ir;

/// <summary>Element types a Keras weight can have.</summary>
public enum DType
{
    /// <summary>IEEE 754 binary32.</summary>
    Float32,
    /// <summary>IEEE 754 binary16.</summary>
    Float16,
    /// <summary>bfloat16 (upper half of a binary32).</summary>
    BFloat16,
    /// <summary>IEEE 754 binary64.</summary>
    Float64,
    /// <summary>Signed 8-bit integer.</summary>
    Int8,
    /// <summary>Signed 16-bit integer.</summary>
    Int16,
    /// <summary>Signed 32-bit integer.</summary>
    Int32,
    /// <summary>Signed 64-bit integer.</summary>
    Int64,
    /// <summary>Unsigned 8-bit integer.</summary>
    UInt8,
    /// <summary>Unsigned 16-bit integer.</summary>
    UInt16,
    /// <summary>Unsigned 32-bit integer.</summary>
    UInt32,
    /// <summary>Unsigned 64-bit integer.</summary>
    UInt64,
    /// <summary>Boolean stored as one byte (NumPy/h5py's enum-of-int8 convention).</summary>
    Bool,
}

/// <summary>Facts about <see cref="DType"/> values.</summary>
public static class DTypes
{
    /// <summary>Bytes per element.</summary>
    public static int Size(this DType t) => t switch
    {
        DType.Float16 or DType.BFloat16 or DType.Int16 or DType.UInt16 => 2,
        DType.Float32 or DType.Int32 or DType.UInt32 => 4,
        DType.Float64 or DType.Int64 or DType.UInt64 => 8,
        _ => 1,
    };

    /// <summary>True for the floating-point types.</summary>
    public static bool IsFloat(this DType t) => t is DType.Float16 or DType.BFloat16 or DType.Float32 or DType.Float64;

    /// <summary>The Keras/NumPy name ("float32", "bfloat16", "int64", ...).</summary>
    public static string KerasName(this DType t) => t switch
    {
        DType.Float32 => "float32",
        DType.Float16 => "float16",
        DType.BFloat16 => "bfloat16",
        DType.Float64 => "float64",
        DType.Int8 => "int8",
        DType.Int16 => "int16",
        DType.Int32 => "int32",
        DType.Int64 => "int64",
        DType.UInt8 => "uint8",
        DType.UInt16 => "uint16",
        DType.UInt32 => "uint32",
        DType.UInt64 => "uint64",
        DType.Bool => "bool",
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    /// <summary>Parses a Keras/NumPy dtype name; null when it is not one.</summary>
    public static DType? FromKerasName(string? name) => name switch
    {
        "float32" => DType.Float32,
        "float16" or "half" => DType.Float16,
        "bfloat16" => DType.BFloat16,
        "float64" or "double" => DType.Float64,
        "int8" => DType.Int8,
        "int16" => DType.Int16,
        "int32" => DType.Int32,
        "int64" => DType.Int64,
        "uint8" => DType.UInt8,
        "uint16" => DType.UInt16,
        "uint32" => DType.UInt32,
        "uint64" => DType.UInt64,
        "bool" => DType.Bool,
        _ => null,
    };
}
