using System.Text.Json.Nodes;

namespace Zoo.Formats.Ir;

/// <summary>One call of a layer in a functional graph: the tensors it was called on and its keyword arguments.</summary>
public sealed class NodeCall
{
    /// <summary>Creates a call on <paramref name="inputs"/>.</summary>
    public NodeCall(IEnumerable<TensorRef> inputs, JsonObject? kwargs = null, bool inputsAsList = false)
    {
        Inputs = inputs.ToList();
        Kwargs = kwargs ?? new JsonObject();
        InputsAsList = inputsAsList || Inputs.Count > 1;
    }

    /// <summary>Input tensors, in call order.</summary>
    public List<TensorRef> Inputs { get; }

    /// <summary>Keyword arguments of the call (<c>training</c>, <c>mask</c>, …), kept verbatim.</summary>
    public JsonObject Kwargs { get; }

    /// <summary>True when the layer was called with a list of tensors (merge layers), even a list of one.</summary>
    public bool InputsAsList { get; }
}
