namespace Zoo.Formats.IO;

/// <summary>
/// One step of a write, reported after each weight's bytes went to the file: which object was written
/// (its HDF5 path, e.g. <c>/model_weights/dense/dense/kernel:0</c> or <c>/layers/dense/vars/0</c>) and how far
/// the write is, by count and by bytes. A front end turns these into a progress bar.
/// </summary>
/// <param name="ObjectPath">The HDF5 path of the dataset just written.</param>
/// <param name="Done">Datasets written so far, this one included.</param>
/// <param name="Total">Datasets the file holds.</param>
/// <param name="BytesDone">Payload bytes written so far.</param>
/// <param name="BytesTotal">Payload bytes the file holds.</param>
public sealed record WriteProgress(string ObjectPath, int Done, int Total, long BytesDone, long BytesTotal);
