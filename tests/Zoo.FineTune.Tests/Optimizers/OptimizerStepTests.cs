using Zoo.FineTune.Optimizers;
using static TorchSharp.torch;

namespace Zoo.FineTune.Tests.Optimizers;

/// <summary>Steps of each optimizer against the update written out by hand from Keras's formulas.</summary>
public class OptimizerStepTests
{
    private static readonly double[] W0 = { 0.5, -1.0, 2.0 };
    private static readonly double[][] Grads = { new[] { 0.1, -0.2, 0.3 }, new[] { -0.4, 0.05, 0.2 } };

    /// <summary>Runs <paramref name="optimizer"/> for one step per gradient in <see cref="Grads"/>.</summary>
    private static double[] Run(Optimizer optimizer, int steps)
    {
        using var w = tensor(W0.Select(v => (float)v).ToArray()).requires_grad_(true);
        for (int s = 0; s < steps; s++)
        {
            w.grad?.zero_();
            using (var g = tensor(Grads[s].Select(v => (float)v).ToArray()))
            using (var loss = (w * g).sum()) loss.backward();
            optimizer.Step(new[] { w });
        }
        return w.detach().data<float>().ToArray().Select(v => (double)v).ToArray();
    }

    private static void Near(double[] expected, double[] actual)
    {
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 5e-6);
    }

    [Fact]
    public void Plain_sgd_subtracts_the_learning_rate_times_the_gradient()
        => Near(W0.Select((w, i) => w - 0.1 * Grads[0][i]).ToArray(), Run(new Sgd(0.1), 1));

    [Fact]
    public void Sgd_with_momentum_accumulates_a_velocity_over_two_steps()
    {
        var expected = W0.Select((w, i) =>
        {
            double v = -0.1 * Grads[0][i];
            w += v;
            v = 0.9 * v - 0.1 * Grads[1][i];
            return w + v;
        }).ToArray();
        Near(expected, Run(new Sgd(0.1, momentum: 0.9), 2));
    }

    [Fact]
    public void Nesterov_sgd_looks_ahead_by_momentum_times_the_new_velocity()
    {
        var expected = W0.Select((w, i) =>
        {
            double v = 0;
            for (int s = 0; s < 2; s++)
            {
                v = 0.9 * v - 0.1 * Grads[s][i];
                w += 0.9 * v - 0.1 * Grads[s][i];
            }
            return w;
        }).ToArray();
        Near(expected, Run(new Sgd(0.1, momentum: 0.9, nesterov: true), 2));
    }

    [Fact]
    public void Adam_adds_keras_epsilon_to_the_uncorrected_root_of_v_over_two_steps()
    {
        const double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-3; // a large ε so its placement shows
        var expected = W0.Select((w, i) =>
        {
            double m = 0, v = 0;
            for (int t = 1; t <= 2; t++)
            {
                double g = Grads[t - 1][i];
                m += (g - m) * (1 - b1);
                v += (g * g - v) * (1 - b2);
                double alpha = lr * Math.Sqrt(1 - Math.Pow(b2, t)) / (1 - Math.Pow(b1, t));
                w -= alpha * m / (Math.Sqrt(v) + eps);
            }
            return w;
        }).ToArray();
        Near(expected, Run(new Adam(lr, b1, b2, eps), 2));
        // torch's placement (ε added to the bias-corrected root) would give a visibly different first step.
        double torchStyle = W0[0] - lr * (Grads[0][0]) / (Math.Abs(Grads[0][0]) + eps);
        Assert.True(Math.Abs(torchStyle - Run(new Adam(lr, b1, b2, eps), 1)[0]) > 1e-5);
    }

    [Fact]
    public void Rmsprop_puts_epsilon_inside_the_square_root()
    {
        const double lr = 0.01, rho = 0.9, eps = 1e-2;
        var expected = W0.Select((w, i) =>
        {
            double v = 0;
            for (int s = 0; s < 2; s++)
            {
                double g = Grads[s][i];
                v = rho * v + (1 - rho) * g * g;
                w -= lr * g / Math.Sqrt(v + eps);
            }
            return w;
        }).ToArray();
        Near(expected, Run(new RmsProp(lr, rho, epsilon: eps), 2));
    }

    [Fact]
    public void Centered_rmsprop_with_momentum_follows_keras()
    {
        const double lr = 0.01, rho = 0.9, mom = 0.5, eps = 1e-2;
        var expected = W0.Select((w, i) =>
        {
            double v = 0, avg = 0, m = 0;
            for (int s = 0; s < 2; s++)
            {
                double g = Grads[s][i];
                v = rho * v + (1 - rho) * g * g;
                avg = rho * avg + (1 - rho) * g;
                m = mom * m + lr * g / Math.Sqrt(v - avg * avg + eps);
                w -= m;
            }
            return w;
        }).ToArray();
        Near(expected, Run(new RmsProp(lr, rho, mom, eps, centered: true), 2));
    }

    [Fact]
    public void Weights_without_a_gradient_are_left_alone()
    {
        using var w = tensor(new[] { 1f, 2f }).requires_grad_(true);
        var opt = new Adam();
        opt.Step(new[] { w });
        Assert.Equal(new[] { 1f, 2f }, w.detach().data<float>().ToArray());
        Assert.Equal(1, opt.Iterations);
    }
}
