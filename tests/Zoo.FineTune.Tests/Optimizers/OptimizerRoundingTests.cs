using Zoo.FineTune.Optimizers;
using static TorchSharp.torch;

namespace Zoo.FineTune.Tests.Optimizers;

/// <summary>
/// The optimizers reuse their temporaries in place for speed; their steps must still round exactly as each
/// update written as plain tensor expressions (for Adam, the form tf.keras evaluates), bit for bit.
/// </summary>
public class OptimizerRoundingTests
{
    private const int Steps = 3;

    private static float[] Random(int seed, int n)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }

    // Weights far smaller than one update, so a last-bit difference in the update shows in the weight.
    private static Tensor Start() => tensor(Random(1, 257)) * 1e-6;

    /// <summary>
    /// Runs <paramref name="optimizer"/> on 257 weights for <see cref="Steps"/> steps of seeded gradients;
    /// returns the weights followed by every state tensor the optimizer saves.
    /// </summary>
    private static float[] Stepped(Optimizer optimizer)
    {
        using var w = Start().requires_grad_(true);
        for (int s = 0; s < Steps; s++)
        {
            w.grad?.zero_();
            using (var g = tensor(Random(10 + s, 257)))
            using (var loss = (w * g).sum()) loss.backward();
            optimizer.Step(new[] { w });
        }
        var state = optimizer.SavedState(new[] { w }).Where(s => s.State is not null).SelectMany(s => s.State!.data<float>().ToArray());
        return w.detach().data<float>().ToArray().Concat(state).ToArray();
    }

    /// <summary>The same steps by <paramref name="update"/>(weight, gradient, step) on plain tensors, then <paramref name="state"/> in Keras's order.</summary>
    private static float[] ByHand(Action<Tensor, Tensor, long> update, params Tensor[] state)
    {
        using var w = Start();
        for (int s = 0; s < Steps; s++)
        {
            using var g = tensor(Random(10 + s, 257));
            update(w, g, s + 1);
        }
        return w.data<float>().ToArray().Concat(state.SelectMany(t => t.data<float>().ToArray())).ToArray();
    }

    [Fact]
    public void Adam_rounds_exactly_as_its_plain_update_expressions()
    {
        using var m = zeros(257);
        using var v = zeros(257);
        var expected = ByHand((w, g, t) =>
        {
            double alpha = 0.01 * Math.Sqrt(1 - Math.Pow(0.999, t)) / (1 - Math.Pow(0.9, t));
            m.add_((g - m) * (1 - 0.9));
            v.add_((g.square() - v) * (1 - 0.999));
            w.sub_(m * alpha / (v.sqrt() + 1e-3));
        }, m, v);
        Assert.Equal(expected, Stepped(new Adam(0.01, epsilon: 1e-3)));
    }

    [Fact]
    public void Centered_rmsprop_with_momentum_rounds_exactly_as_its_plain_update_expressions()
    {
        using var v = zeros(257);
        using var avg = zeros(257);
        using var m = zeros(257);
        var expected = ByHand((w, g, _) =>
        {
            v.mul_(0.9).add_(g.square() * (1 - 0.9));
            avg.mul_(0.9).add_(g * (1 - 0.9));
            m.mul_(0.5).add_(g * 0.01 / (v - avg.square() + 1e-2).sqrt());
            w.sub_(m);
        }, v, m, avg);
        Assert.Equal(expected, Stepped(new RmsProp(0.01, 0.9, 0.5, 1e-2, centered: true)));
    }

    [Fact]
    public void Nesterov_sgd_rounds_exactly_as_its_plain_update_expressions()
    {
        using var velocity = zeros(257);
        var expected = ByHand((w, g, _) =>
        {
            velocity.mul_(0.9).sub_(g * 0.1);
            w.add_(velocity * 0.9 - g * 0.1);
        }, velocity);
        Assert.Equal(expected, Stepped(new Sgd(0.1, 0.9, nesterov: true)));
    }

    [Fact]
    public void Sgd_without_momentum_keeps_no_state_yet_still_lists_keras_momentum_slot()
    {
        using var w = tensor(new[] { 1f, 2f }).requires_grad_(true);
        using (var loss = w.sum()) loss.backward();
        using var plain = new Sgd(0.1);
        plain.Step(new[] { w });
        Assert.Equal(new[] { ("m", 0, (Tensor?)null) }, plain.SavedState(new[] { w }).ToArray());
        using var withMomentum = new Sgd(0.1, 0.9);
        withMomentum.Step(new[] { w });
        Assert.NotNull(Assert.Single(withMomentum.SavedState(new[] { w })).State);
    }
}
