using Zoo.FineTune.Data;

namespace Zoo.FineTune.Tests.Data;

/// <summary>Augmentation: seeded, per epoch, per sample, and consistent with preprocessing.</summary>
public class AugmentationTests
{
    private static float[] Images(int n, int h, int w, int c, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n * h * w * c).Select(_ => (float)rng.Next(256)).ToArray();
    }

    private static float[] Augment(AugmentOptions o, int epoch, long[] indices, float[] batch, int h = 8, int w = 6, int c = 3)
    {
        var copy = batch.ToArray();
        new ImageAugmenter(o).Apply(epoch, indices, copy, new long[] { h, w, c });
        return copy;
    }

    private static readonly AugmentOptions All = new() { HorizontalFlip = true, Shift = 0.2, RotationDegrees = 15, Seed = 3 };

    [Fact]
    public void The_same_seed_epoch_and_sample_give_the_same_pixels_and_another_epoch_or_seed_does_not()
    {
        var x = Images(4, 8, 6, 3, seed: 1);
        long[] ids = [0, 1, 2, 3];
        Assert.Equal(Augment(All, 0, ids, x), Augment(All, 0, ids, x));
        Assert.NotEqual(Augment(All, 0, ids, x), Augment(All, 1, ids, x));
        Assert.NotEqual(Augment(All, 0, ids, x), Augment(All with { Seed = 4 }, 0, ids, x));
        Assert.NotEqual(x, Augment(All, 0, ids, x));
    }

    [Fact]
    public void A_samples_transform_depends_on_its_index_not_on_its_place_in_the_batch()
    {
        var x = Images(2, 8, 6, 3, seed: 2);
        var swapped = x[144..].Concat(x[..144]).ToArray();
        var a = Augment(All, 5, new long[] { 10, 11 }, x);
        var b = Augment(All, 5, new long[] { 11, 10 }, swapped);
        Assert.Equal(a[..144], b[144..]);
        Assert.Equal(a[144..], b[..144]);
    }

    [Fact]
    public void Flip_alone_gives_either_the_image_or_its_exact_mirror_and_both_occur()
    {
        var x = Images(1, 4, 5, 1, seed: 3);
        var mirror = new float[20];
        for (int y = 0; y < 4; y++) for (int c = 0; c < 5; c++) mirror[y * 5 + c] = x[y * 5 + 4 - c];
        var seen = new HashSet<bool>();
        for (int epoch = 0; epoch < 32; epoch++)
        {
            var a = Augment(new AugmentOptions { HorizontalFlip = true, Seed = 1 }, epoch, new long[] { 0 }, x, 4, 5, 1);
            bool flipped = a.SequenceEqual(mirror);
            Assert.True(flipped || a.SequenceEqual(x));
            seen.Add(flipped);
        }
        Assert.Equal(2, seen.Count);
    }

    [Fact]
    public void Rotations_and_shifts_of_a_constant_image_stay_constant_because_borders_reflect()
    {
        var x = Enumerable.Repeat(7.5f, 8 * 6 * 3).ToArray();
        var a = Augment(All, 2, new long[] { 0 }, x);
        Assert.All(a, v => Assert.Equal(7.5f, v, 4));
    }

    [Fact]
    public void Reflection_repeats_the_edge_pixel_like_keras_reflect_fill()
    {
        // n = 4: "d c b a | a b c d | d c b a"
        Assert.Equal(new[] { 3, 2, 1, 0, 0, 1, 2, 3, 3, 2, 1, 0 }, Enumerable.Range(-4, 12).Select(i => ImageAugmenter.Reflect(i, 4)));
    }

    [Theory]
    [InlineData(ImagePreprocessing.Tf)]
    [InlineData(ImagePreprocessing.Caffe)]
    [InlineData(ImagePreprocessing.Torch)]
    public void Augmenting_after_preprocessing_equals_preprocessing_after_augmenting(ImagePreprocessing mode)
    {
        var x = Images(3, 8, 6, 3, seed: 4);
        long[] ids = [4, 5, 6];
        var augmentedThenPre = Augment(All, 1, ids, x);
        ImagePreprocess.Apply(mode, augmentedThenPre, 3);
        var pre = x.ToArray();
        ImagePreprocess.Apply(mode, pre, 3);
        var preThenAugmented = Augment(All, 1, ids, pre);
        for (int i = 0; i < x.Length; i++) Assert.Equal(augmentedThenPre[i], preThenAugmented[i], 1e-3f);
    }
}
