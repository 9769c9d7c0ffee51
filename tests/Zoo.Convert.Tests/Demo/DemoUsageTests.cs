using Zoo.Convert.Tests.Support;

namespace Zoo.Convert.Tests.Demo;

[Collection(Zoo.Convert.Tests.Support.TorchThreadsCollection.Name)]
public class DemoUsageTests
{
    [Theory]
    [InlineData("--threads", "-1")]
    [InlineData("--domain", "sideways")]
    public void A_bad_demo_option_is_a_usage_error(string option, string value)
    {
        var r = CliRunner.Run("demo", option, value, "--out", Path.Combine(Path.GetTempPath(), "zoo-demo-never-written"));
        Assert.Equal(ExitCodes.Usage, r.Code);
        Assert.Contains(option == "--threads" ? "--threads" : "sideways", r.Err);
    }

    [Fact]
    public void Demo_help_lists_every_option()
    {
        var r = CliRunner.Run("demo", "--help");
        Assert.Equal(0, r.Code);
        foreach (var o in new[] { "--output", "--seed", "--quick", "--json", "--formats-only", "--domain", "--threads" }) Assert.Contains(o, r.Out);
    }
}
