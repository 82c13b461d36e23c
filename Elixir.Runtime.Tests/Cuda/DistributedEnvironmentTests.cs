using Elixir.Collectives.Nccl;
using Elixir.Cuda;

namespace Elixir.Runtime.Tests.Cuda;

public sealed class DistributedEnvironmentTests
{
    private static Func<string, string?> Variables(params (string Name, string Value)[] values) =>
        name => values.Where(v => v.Name == name).Select(v => v.Value).FirstOrDefault();

    private static readonly (string, string)[] Torchrun =
        [("RANK", "3"), ("WORLD_SIZE", "4"), ("LOCAL_RANK", "1"), ("MASTER_ADDR", "node0"), ("MASTER_PORT", "29500")];

    [Fact]
    public void Torchrun_variables_are_read_and_the_bootstrap_port_is_the_one_after_master_port()
    {
        Assert.Equal(new DistributedEnvironment(3, 4, 1, "node0", 29501), DistributedEnvironment.FromEnvironment(Variables(Torchrun)));
    }

    [Theory]
    [InlineData(29500, 29501)]
    [InlineData(1, 2)]
    [InlineData(65534, 65535)]
    [InlineData(65535, 65534)]
    public void The_default_bootstrap_port_is_never_master_port(int masterPort, int expected)
    {
        DistributedEnvironment environment = DistributedEnvironment.FromEnvironment(
            Variables([.. Torchrun.Where(v => v.Item1 != "MASTER_PORT"), ("MASTER_PORT", masterPort.ToString(System.Globalization.CultureInfo.InvariantCulture))]));

        Assert.Equal(expected, environment.BootstrapPort);
    }

    [Fact]
    public void The_bootstrap_port_override_wins_over_master_port()
    {
        DistributedEnvironment environment = DistributedEnvironment.FromEnvironment(Variables([.. Torchrun, ("ELIXIR_BOOTSTRAP_PORT", "29611")]));

        Assert.Equal(29611, environment.BootstrapPort);
    }

    [Theory]
    [InlineData("MASTER_ADDR", "MASTER_ADDR is not set")]
    [InlineData("RANK", "RANK is not set")]
    [InlineData("WORLD_SIZE", "WORLD_SIZE is not set")]
    public void A_missing_variable_is_named(string missing, string message)
    {
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(
            () => DistributedEnvironment.FromEnvironment(Variables([.. Torchrun.Where(v => v.Item1 != missing)])));

        Assert.StartsWith(message, e.Message);
    }

    [Theory]
    [InlineData("RANK", "4", "RANK=4 is not an integer in [0, 3].")]
    [InlineData("MASTER_PORT", "http", "MASTER_PORT=http is not an integer in [1, 65535].")]
    [InlineData("WORLD_SIZE", "0", "WORLD_SIZE=0 is not an integer in [1, 2147483647].")]
    public void A_malformed_variable_is_named_with_its_value(string name, string value, string message)
    {
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(
            () => DistributedEnvironment.FromEnvironment(Variables([(name, value), .. Torchrun.Where(v => v.Item1 != name)])));

        Assert.Equal(message, e.Message);
    }
}
