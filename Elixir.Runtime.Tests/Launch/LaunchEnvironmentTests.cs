using Elixir.Collectives.Nccl;
using Elixir.Cuda;

namespace Elixir.Runtime.Tests.Launch;

public sealed class LaunchEnvironmentTests
{
    private static Func<string, string?> Variables(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void A_process_started_alone_belongs_to_no_job()
    {
        Assert.Null(LaunchEnvironment.Detect(Variables(("HOME", "/root"))));
    }

    [Fact]
    public void Torchrun_variables_are_read_as_they_are()
    {
        var job = LaunchEnvironment.Detect(Variables(
            ("RANK", "5"), ("WORLD_SIZE", "8"), ("LOCAL_RANK", "1"), ("MASTER_ADDR", "node0"), ("MASTER_PORT", "29400"),
            ("SLURM_NTASKS", "99"), ("SLURM_PROCID", "7")));

        Assert.Equal(new DistributedEnvironment(5, 8, 1, "node0", 29401), job);
    }

    [Fact]
    public void Slurm_variables_give_the_rank_and_the_first_node_is_rank_zeros_host()
    {
        var job = LaunchEnvironment.Detect(Variables(
            ("SLURM_NTASKS", "16"), ("SLURM_PROCID", "9"), ("SLURM_LOCALID", "1"), ("SLURM_JOB_NODELIST", "gpu[03-10]")));

        Assert.Equal(new DistributedEnvironment(9, 16, 1, "gpu03", 29501), job);
    }

    [Fact]
    public void Under_slurm_master_addr_and_port_win_when_set()
    {
        var job = LaunchEnvironment.Detect(Variables(
            ("SLURM_NTASKS", "2"), ("SLURM_PROCID", "0"), ("SLURM_LOCALID", "0"), ("SLURM_JOB_NODELIST", "a,b"),
            ("MASTER_ADDR", "10.0.0.5"), ("MASTER_PORT", "1234")));

        Assert.Equal(new DistributedEnvironment(0, 2, 0, "10.0.0.5", 1235), job);
    }

    [Theory]
    [InlineData("SLURM_PROCID", "2", "SLURM_PROCID=2 is not an integer in [0, 1].")]
    [InlineData("SLURM_PROCID", "x", "SLURM_PROCID=x is not an integer in [0, 1].")]
    [InlineData("SLURM_LOCALID", "-1", "SLURM_LOCALID=-1 is not an integer in [0, 2147483647].")]
    public void A_malformed_slurm_variable_is_named_with_its_value(string name, string value, string message)
    {
        (string, string)[] variables =
            [("SLURM_NTASKS", "2"), ("SLURM_PROCID", "1"), ("SLURM_LOCALID", "0"), ("SLURM_JOB_NODELIST", "a")];
        variables = [.. variables.Select(v => v.Item1 == name ? (name, value) : v)];

        var error = Assert.Throws<InvalidOperationException>(() => LaunchEnvironment.Detect(Variables(variables)));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Slurm_without_a_node_list_or_master_addr_says_which_is_missing()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            LaunchEnvironment.Detect(Variables(("SLURM_NTASKS", "2"), ("SLURM_PROCID", "1"), ("SLURM_LOCALID", "0"))));

        Assert.Contains("MASTER_ADDR or SLURM_JOB_NODELIST", error.Message);
    }

    [Theory]
    [InlineData("gpu07", "gpu07")]
    [InlineData("gpu07,gpu09", "gpu07")]
    [InlineData("gpu[07-09,12]", "gpu07")]
    [InlineData("gpu[12,07-09]", "gpu12")]
    [InlineData("gpu[3]", "gpu3")]
    [InlineData("cpu01,gpu[07-09]", "cpu01")]
    [InlineData("gpu[07-09],cpu01", "gpu07")]
    public void The_first_host_of_a_slurm_node_list(string list, string first)
    {
        Assert.Equal(first, LaunchEnvironment.FirstHost(list));
    }

    [Theory]
    [InlineData("gpu[")]
    [InlineData("gpu[]")]
    [InlineData(",")]
    public void A_malformed_node_list_is_refused(string list)
    {
        Assert.Throws<InvalidOperationException>(() => LaunchEnvironment.FirstHost(list));
    }
}
