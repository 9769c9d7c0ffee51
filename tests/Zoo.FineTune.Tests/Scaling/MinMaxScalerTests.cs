using FsCheck;
using FsCheck.Fluent;
using Zoo.FineTune.Scaling;
using Zoo.Formats;

namespace Zoo.FineTune.Tests.Scaling;

public class MinMaxScalerTests
{
    private static readonly long[] Table = { 3, 2 };

    [Fact]
    public void Each_column_maps_its_min_and_max_to_the_range_ends()
    {
        var x = new float[] { 1, 10, 3, 30, 2, 20 };
        var y = new MinMaxScaler().FitTransform(x, Table);
        Assert.Equal(new[] { 0f, 0f, 1f, 1f, 0.5f, 0.5f }, y);
        var ranged = new MinMaxScaler(-1, 1).FitTransform(x, Table);
        Assert.Equal(new[] { -1f, -1f, 1f, 1f, 0f, 0f }, ranged);
    }

    [Fact]
    public void A_constant_feature_maps_to_the_low_end_instead_of_dividing_by_zero()
    {
        var y = new MinMaxScaler(2, 5).FitTransform(new float[] { 7, 1, 7, 2 }, new long[] { 2, 2 });
        Assert.Equal(new[] { 2f, 2f, 2f, 5f }, y);
    }

    [Fact]
    public void Clip_keeps_unseen_values_inside_the_range()
    {
        var s = new MinMaxScaler(clip: true).Fit(new float[] { 0, 10 }, new long[] { 2, 1 });
        Assert.Equal(new[] { 0f, 1f, 0.5f }, s.Transform(new float[] { -5, 15, 5 }, new long[] { 3, 1 }));
        var unclipped = new MinMaxScaler().Fit(new float[] { 0, 10 }, new long[] { 2, 1 });
        Assert.Equal(new[] { -0.5f, 1.5f }, unclipped.Transform(new float[] { -5, 15 }, new long[] { 2, 1 }));
    }

    [Fact]
    public void Fitting_in_pieces_equals_fitting_at_once()
    {
        var x = Enumerable.Range(0, 40).Select(i => (float)Math.Sin(i * 1.7) * i).ToArray();
        var once = new MinMaxScaler().Fit(x, new long[] { 10, 4 });
        var pieces = new MinMaxScaler().PartialFit(x.AsSpan(0, 16), new long[] { 4, 4 }).PartialFit(x.AsSpan(16), new long[] { 6, 4 });
        Assert.Equal(once.DataMin, pieces.DataMin);
        Assert.Equal(once.DataMax, pieces.DataMax);
        Assert.Equal(10, pieces.SamplesSeen);
    }

    [Fact]
    public void The_inverse_transform_undoes_the_transform()
    {
        Prop.ForAll(Gen.Choose(-1000, 1000).Select(i => i / 7f).ArrayOf(12).ToArbitrary(), x =>
        {
            var shape = new long[] { 4, 3 };
            var s = new MinMaxScaler(-2, 3).Fit(x, shape);
            var back = s.InverseTransform(s.Transform(x, shape), shape);
            return x.Zip(back).All(p => Math.Abs(p.First - p.Second) <= 1e-3 * Math.Max(1, Math.Abs(p.First)));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Saved_state_loads_back_and_scales_identically()
    {
        var path = Path.Combine(Path.GetTempPath(), $"zoo-scaler-{Guid.NewGuid():N}.json");
        try
        {
            var x = new float[] { 1, 10, 3, 30, 2, 25 };
            var s = new MinMaxScaler(0, 2, clip: true).Fit(x, Table);
            s.Save(path);
            var back = MinMaxScaler.Load(path);
            Assert.Equal((0.0, 2.0, true, 3L), (back.Low, back.High, back.Clip, back.SamplesSeen));
            Assert.Equal(s.Transform(x, Table), back.Transform(x, Table));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_broken_state_file_is_a_format_error_naming_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"zoo-scaler-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, "{\"feature_range\": [0, 1], \"data_min\": [0, 1], \"data_max\": [1]}");
            var e = Assert.Throws<ModelFormatException>(() => MinMaxScaler.Load(path));
            Assert.Contains(path, e.Message);
            File.WriteAllText(path, "not json");
            Assert.Throws<ModelFormatException>(() => MinMaxScaler.Load(path));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Feature_counts_must_match_the_fit()
    {
        var s = new MinMaxScaler().Fit(new float[] { 1, 2, 3, 4 }, new long[] { 2, 2 });
        Assert.Throws<ArgumentException>(() => s.Transform(new float[] { 1, 2, 3 }, new long[] { 1, 3 }));
        Assert.Throws<InvalidOperationException>(() => new MinMaxScaler().Transform(new float[] { 1 }, new long[] { 1, 1 }));
    }
}
