using Minsheng.Cli;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>The silo's command line: its one-shot commands and their help, through the built entry point.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task Help_lists_every_command_with_its_arguments_and_options()
    {
        var (exit, output) = await SiloCommand.Run("--help");

        Assert.True(exit == 0, output);
        foreach (var expected in new[] { "token", "ROLE", "--days", "--name", "import", "NOTICE", "DICTIONARY", "OUT", "migrate", "ConnectionStrings:Minsheng",
                     "generate", "--scale", "--seed", "--out", "--log-rows-per-assignment" })
            Assert.Contains(expected, output);
        // Each command's own section follows the list of commands.
        Assert.True(output.IndexOf("--days", StringComparison.Ordinal) > output.IndexOf("migrate", StringComparison.Ordinal), output);
    }

    [Fact]
    public async Task A_commands_help_lists_its_options()
    {
        var (exit, output) = await SiloCommand.Run("token", "--help");

        Assert.True(exit == 0, output);
        Assert.Contains("ROLE", output);
        Assert.Contains("--days", output);
        Assert.Contains("--name", output);
        Assert.DoesNotContain("DICTIONARY", output);
    }

    [Theory]
    [InlineData("token")]
    [InlineData("token", "office", "--days", "0")]
    [InlineData("token", "office", "--days", "many")]
    [InlineData("token", "office", "--name", "张\t三")]
    [InlineData("token", "office", "--name", "张\0三")]
    [InlineData("import", "notice.txt")]
    [InlineData("generate", "--out", "plans")]
    [InlineData("generate", "--scale", "city", "--out", "plans")]
    [InlineData("generate", "--scale", "province", "--out", "plans", "--log-rows-per-assignment", "0")]
    public async Task Wrong_usage_is_refused_with_exit_code_2_naming_the_problem(params string[] args)
    {
        var error = new StringWriter();

        var exit = await MinshengCommandLine.TryRunAsync(args, TextWriter.Null, error);

        Assert.Equal(MinshengCommandLine.UsageError, exit);
        Assert.Contains("--help", error.ToString());
    }

    [Theory]
    [InlineData]
    [InlineData("--demo")]
    [InlineData("--urls", "http://localhost:5081", "--Minsheng:Storage=Postgres")]
    public async Task Anything_but_a_command_starts_the_service(params string[] args) =>
        Assert.Null(await MinshengCommandLine.TryRunAsync(args, TextWriter.Null, TextWriter.Null));

    [Fact]
    public async Task Migrate_without_a_connection_string_is_refused_with_exit_code_2()
    {
        var error = new StringWriter();

        var exit = await MinshengCommandLine.TryRunAsync(["migrate", "--ConnectionStrings:Minsheng= "], TextWriter.Null, error);

        Assert.Equal(MinshengCommandLine.UsageError, exit);
        Assert.Contains("migrate needs ConnectionStrings:Minsheng", error.ToString());
    }

    [Fact]
    public async Task Generate_writes_a_province_of_90_plan_files_that_the_loader_loads()
    {
        var folder = Path.Combine(Path.GetTempPath(), "minsheng-generate-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (output, error) = (new StringWriter(), new StringWriter());

            var exit = await MinshengCommandLine.TryRunAsync(["generate", "--scale", "province", "--seed", "1", "--out", folder], output, error);

            Assert.True(exit == 0, error.ToString());
            Assert.Equal(90, Directory.GetFiles(folder, "*.plan.json").Length);
            var plans = Minsheng.Domain.Plans.PlanLoader.LoadDirectory(folder);
            Assert.Equal(90, plans.Count);
            Assert.All(plans, p => Assert.Equal("province-01", p.Region?.Id));
            Assert.StartsWith("province: 90 plans,", output.ToString());

            // The same command again rewrites the same files; a folder holding other plan files is refused.
            Assert.Equal(0, await MinshengCommandLine.TryRunAsync(["generate", "--scale", "province", "--seed", "1", "--out", folder], TextWriter.Null, TextWriter.Null));
            Assert.Equal(1, await MinshengCommandLine.TryRunAsync(["generate", "--scale", "3", "--seed", "1", "--out", folder], TextWriter.Null, error));
            Assert.Contains("already holds other plan files", error.ToString());
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Generate_with_a_log_but_no_connection_is_refused_with_exit_code_2()
    {
        var error = new StringWriter();

        var exit = await MinshengCommandLine.TryRunAsync(
            ["generate", "--scale", "1", "--out", Path.GetTempPath(), "--log-rows-per-assignment", "5", "--ConnectionStrings:Minsheng= "], TextWriter.Null, error);

        Assert.Equal(MinshengCommandLine.UsageError, exit);
        Assert.Contains("needs --connection", error.ToString());
    }
}
