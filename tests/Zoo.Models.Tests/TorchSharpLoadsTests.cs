using TorchSharp;

namespace Zoo.Models.Tests;

public class TorchSharpLoadsTests
{
    [Fact]
    public void Native_libtorch_loads_and_computes()
    {
        // Fails with a clear hint when libstdc++ lacks GLIBCXX_3.4.32 (run scripts/prereq.sh).
        using var a = torch.ones(2, 3);
        Assert.Equal(6f, a.sum().item<float>());
    }
}
