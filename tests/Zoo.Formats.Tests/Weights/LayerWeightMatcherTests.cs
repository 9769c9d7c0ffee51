using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using Zoo.Formats.Weights;

namespace Zoo.Formats.Tests.Weights;

/// <summary>The one rule by which a layer's stored weights meet the weights it creates (runtime and zoo alike).</summary>
public class LayerWeightMatcherTests
{
    private static readonly WeightSpec Kernel = new("kernel", [3, 3, 3, 64], Aliases: ["W"]);
    private static readonly WeightSpec Bias = new("bias", [64], Aliases: ["b"]);
    private static readonly WeightSpec[] Conv = [Kernel, Bias];

    private static WeightTensor W(string name, long[] shape) => WeightTensor.FromFloat32(name, shape, new float[WeightTensor.ElementCount(shape)]);

    private static LayerWeightMatch Match(params string[] names)
        => LayerWeightMatcher.Match(names.Select((n, i) => W(n, Conv[Math.Min(i, 1)].Shape)).ToList(), Conv, "block1_conv1");

    [Fact]
    public void Keras2_names_bind_by_name_even_in_another_order()
    {
        var m = LayerWeightMatcher.Match([W("block1_conv1/bias:0", [64]), W("block1_conv1/kernel:0", [3, 3, 3, 64])], Conv, "block1_conv1");
        Assert.Equal(WeightMatchKind.ByName, m.Kind);
        Assert.Equal([1, 0], m.StoredIndex);
        Assert.False(m.ByPosition);
    }

    [Fact]
    public void Keras1_names_that_answer_an_alias_bind_by_name()
        => Assert.Equal(WeightMatchKind.ByName, Match("block1_conv1_W:0", "block1_conv1_b:0").Kind);

    [Fact]
    public void Keras1_session_suffixed_names_of_keras_applications_files_bind_by_position_and_say_why()
    {
        var m = Match("block1_conv1_W_1:0", "block1_conv1_b_1:0");
        Assert.Equal((WeightMatchKind.ByPosition, PositionalReason.Keras1Names), (m.Kind, m.Reason));
        Assert.Equal([0, 1], m.StoredIndex);
        Assert.True(m.ByPosition);
    }

    [Fact]
    public void Names_that_match_nothing_bind_by_position_when_the_counts_agree()
    {
        var m = Match("x/first:0", "x/second:0");
        Assert.Equal((WeightMatchKind.ByPosition, PositionalReason.NamesDoNotMatch), (m.Kind, m.Reason));
    }

    [Fact]
    public void A_name_that_answers_at_its_own_position_lets_the_others_bind_by_position()
        => Assert.Equal(WeightMatchKind.ByPosition, Match("block1_conv1/kernal:0", "block1_conv1/bias:0").Kind);

    [Fact]
    public void A_name_that_answers_another_position_contradicts_the_order_and_nothing_is_guessed()
    {
        var m = Match("block1_conv1/bias:0", "block1_conv1/other:0");
        Assert.Equal(WeightMatchKind.Incomplete, m.Kind);
        Assert.Equal([-1, 0], m.StoredIndex);
    }

    [Fact]
    public void A_different_count_is_never_bound_by_position()
    {
        Assert.Equal(WeightMatchKind.Incomplete, Match("block1_conv1_W_1:0").Kind);
        Assert.Equal(WeightMatchKind.Incomplete, Match("a:0", "b:0", "c:0").Kind);
    }

    [Fact]
    public void Keras3_vars_paths_bind_by_their_index()
    {
        var m = LayerWeightMatcher.Match([W("vars/1", [64]), W("vars/0", [3, 3, 3, 64])], Conv, "conv");
        Assert.Equal(WeightMatchKind.ByVariableIndex, m.Kind);
        Assert.Equal([1, 0], m.StoredIndex);
        Assert.Null(m.Reason);
    }

    [Fact]
    public void Every_reason_reads_as_one_sentence_per_kind_naming_the_first_layers()
    {
        var sentences = PositionalBinding.Summarize(
        [
            new("block1_conv1", "block1_conv1_W_1:0, block1_conv1_b_1:0", PositionalReason.Keras1Names),
            new("block1_conv2", "block1_conv2_W_1:0, block1_conv2_b_1:0", PositionalReason.Keras1Names),
            new("predictions", "probs", PositionalReason.LayerNameNotFound),
        ]);
        Assert.Equal(2, sentences.Count);
        Assert.StartsWith("the weights of 2 layers were bound by position within the layer", sentences[0]);
        Assert.Contains("(block1_conv1: block1_conv1_W_1:0, block1_conv1_b_1:0, block1_conv2: ", sentences[0]);
        Assert.StartsWith("1 layer was paired by position", sentences[1]);
        Assert.EndsWith("(predictions ← probs)", sentences[1]);
    }
}
