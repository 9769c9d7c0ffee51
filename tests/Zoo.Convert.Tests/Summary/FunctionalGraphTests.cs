using Zoo.Formats.Ir;
using Zoo.Formats.Summary;
using static Zoo.Convert.Tests.Support.Graphs;

namespace Zoo.Convert.Tests.Summary;

public class FunctionalGraphTests
{
    [Fact]
    public void Two_inputs_concatenated_on_the_last_axis_add_their_widths_and_list_their_sources()
    {
        var g = Functional([T("a"), T("b")], [T("out")],
            Layer("InputLayer", "a", """{"batch_input_shape": [null, 3]}"""),
            Layer("InputLayer", "b", """{"batch_input_shape": [null, 5]}"""),
            Layer("Concatenate", "cat", """{"axis": -1}""").Call(T("a"), T("b")),
            Layer("Dense", "out", """{"units": 2}""").Call(T("cat")));
        var s = ModelSummary.Of(g);
        var cat = s.Rows.Single(r => r.Name == "cat");
        Assert.Equal("(None, 8)", cat.OutputShapeText);
        Assert.Equal(["a[0][0]", "b[0][0]"], cat.ConnectedTo);
        Assert.Equal(18, s.Totals.Total);
        Assert.Equal("(None, 2)", s.OutputShapes.Single()!.ToString());
    }

    [Fact]
    public void Layers_listed_before_their_inputs_still_resolve()
    {
        var g = Functional([T("in")], [T("d2")],
            Layer("Dense", "d2", """{"units": 2}""").Call(T("d1")),
            Layer("Dense", "d1", """{"units": 4}""").Call(T("in")),
            Layer("InputLayer", "in", """{"batch_input_shape": [null, 3]}"""));
        Assert.Equal("(None, 2)", ModelSummary.Of(g).Rows[0].OutputShapeText);
    }

    [Fact]
    public void A_shared_layer_called_on_two_shapes_shows_multiple_and_counts_its_weights_once()
    {
        var shared = Layer("Conv2D", "shared", """{"filters": 4, "kernel_size": [3, 3], "padding": "same"}""").Call(T("a")).Call(T("b"));
        var g = Functional([T("a"), T("b")], [T("shared", 0), T("shared", 1)],
            Layer("InputLayer", "a", """{"batch_input_shape": [null, 8, 8, 2]}"""),
            Layer("InputLayer", "b", """{"batch_input_shape": [null, 16, 16, 2]}"""),
            shared,
            Layer("Add", "same_shape").Call(T("shared", 0), T("shared", 0)));
        var s = ModelSummary.Of(g);
        Assert.Equal("multiple", s.Rows.Single(r => r.Name == "shared").OutputShapeText);
        Assert.Equal("(None, 16, 16, 4)", s.OutputShapes[1]!.ToString());
        Assert.Equal(3 * 3 * 2 * 4 + 4, s.Totals.Total);
    }

    [Fact]
    public void A_nested_model_takes_its_callers_shape_and_contributes_all_its_parameters()
    {
        var inner = Functional([T("inner_in")], [T("inner_dense")],
            Layer("InputLayer", "inner_in", """{"batch_input_shape": [null, 10]}"""),
            Layer("Dense", "inner_dense", """{"units": 4}""").Call(T("inner_in")));
        var nested = Layer("Functional", "inner").Call(T("x"));
        nested.Nested = inner;
        var g = Functional([T("x")], [T("head")],
            Layer("InputLayer", "x", """{"batch_input_shape": [null, 10]}"""),
            nested,
            // Keras numbers a built nested model's first saved call node 1 (node 0 is its own).
            Layer("Dense", "head", """{"units": 1}""").Call(T("inner", 1)));
        var s = ModelSummary.Of(g);
        Assert.Equal("(None, 4)", s.Rows.Single(r => r.Name == "inner").OutputShapeText);
        Assert.Equal(44, s.Rows.Single(r => r.Name == "inner").Params);
        Assert.Equal(44 + 5, s.Totals.Total);
    }

    [Fact]
    public void A_frozen_nested_sequential_model_counts_as_non_trainable()
    {
        var inner = Sequential("[null, 6]", Layer("Dense", "d", """{"units": 2}"""));
        var nested = Layer("Sequential", "backbone", """{"trainable": false}""").Call(T("x"));
        nested.Nested = inner;
        var g = Functional([T("x")], [T("backbone", 1)],
            Layer("InputLayer", "x", """{"batch_input_shape": [null, 6]}"""), nested);
        var s = ModelSummary.Of(g);
        Assert.Equal(new ParamCount(0, 14), s.Totals);
    }

    [Fact]
    public void Keras1_merge_sums_and_concatenates_like_its_mode_says()
    {
        var g = Functional([T("a")], [T("cat")],
            Layer("InputLayer", "a", """{"batch_input_shape": [null, 4, 4, 3]}"""),
            Layer("Merge", "sum", """{"mode": "sum"}""").Call(T("a"), T("a")),
            Layer("Merge", "cat", """{"mode": "concat", "concat_axis": 3}""").Call(T("a"), T("sum")));
        var s = ModelSummary.Of(g);
        Assert.Equal("(None, 4, 4, 3)", s.Rows.Single(r => r.Name == "sum").OutputShapeText);
        Assert.Equal("(None, 4, 4, 6)", s.Rows.Single(r => r.Name == "cat").OutputShapeText);
    }
}

public class DegenerateGraphTests
{
    [Fact]
    public void A_weights_only_graph_has_unknown_shapes_and_totals_from_its_weights()
    {
        var g = new ModelGraph { HasArchitecture = false, ClassName = "Model" };
        var d = new LayerNode("", "dense_1");
        d.Weights.Add(Zeros("dense_1/kernel:0", 3, 2));
        g.Layers.Add(d);
        g.Layers.Add(new LayerNode("", "activation_1"));
        var s = ModelSummary.Of(g);
        Assert.Equal(["?", "?"], s.Rows.Select(r => r.OutputShapeText));
        Assert.True(s.Complete);
        Assert.Equal(new ParamCount(6, 0), s.Totals);
    }

    [Fact]
    public void A_cycle_or_a_dangling_reference_leaves_shapes_unknown_instead_of_hanging()
    {
        var g = Functional([T("in")], [T("b")],
            Layer("InputLayer", "in", """{"batch_input_shape": [null, 3]}"""),
            Layer("Dense", "a", """{"units": 2}""").Call(T("b")),
            Layer("Dense", "b", """{"units": 2}""").Call(T("a")),
            Layer("Dense", "c", """{"units": 2}""").Call(T("nowhere")));
        var s = ModelSummary.Of(g);
        Assert.Equal(["(None, 3)", "?", "?", "?"], s.Rows.Select(r => r.OutputShapeText));
        Assert.Null(s.OutputShapes.Single());
    }
}
